"""Hover cards on links to paper pages (issue 12, item 5), in Chromium: hover and keyboard
focus show the paper's card, Escape hides it, it still works after Material's instant
navigation, showing it moves nothing on the page, and nothing logs an error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

TOPIC = "topics/random-matrix-theory/"
CARD = "#garden-preview"
PAPER_LINKS = "article a.garden-paper"  # a topic's papers, linked by title
BOX = (
    "() => { const r = document.querySelector('article').getBoundingClientRect(); "
    "return [r.x, r.y, r.width, r.height, document.documentElement.scrollHeight]; }"
)


def key_of(link: Locator) -> str:
    href = link.get_attribute("href") or ""
    return href.rstrip("/").rsplit("/", 1)[-1]


def title_of(site_dir: Path, key: str) -> str:
    return json.loads((site_dir / "previews" / f"{key}.json").read_text("utf-8"))["title"]


def test_hover_shows_the_papers_card_without_moving_the_page(
    page: Page, site_dir: Path, page_errors: list[str], requested_urls: list[str]
) -> None:
    page.goto(TOPIC, wait_until="networkidle")
    link = page.locator(PAPER_LINKS).nth(1)
    key = key_of(link)
    before = page.evaluate(BOX)
    link.hover()
    card = page.locator(CARD)
    expect(card).to_be_visible()
    expect(card).to_have_attribute("role", "tooltip")
    expect(card.locator(".garden-preview__title")).to_have_text(title_of(site_dir, key))
    expect(card.locator(".garden-preview__meta")).not_to_be_empty()
    expect(link).to_have_attribute("aria-describedby", "garden-preview")
    assert page.evaluate(BOX) == before, "showing the card moved the page"
    card_box, link_box = card.bounding_box(), link.bounding_box()
    assert card_box and link_box and card_box["y"] >= link_box["y"] + link_box["height"] - 1
    # moving away hides it; hovering the same paper again does not fetch it again
    page.mouse.move(5, 5)
    expect(card).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", "garden-preview")
    link.hover()
    expect(card).to_be_visible()
    asked = [url for url in requested_urls if url.endswith(f"/previews/{key}.json")]
    assert len(asked) == 1, asked
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    assert not page_errors


def test_keyboard_focus_shows_the_card_and_escape_hides_it(
    page: Page, site_dir: Path, page_errors: list[str]
) -> None:
    page.goto(TOPIC, wait_until="networkidle")
    link = page.locator(PAPER_LINKS).first
    link.focus()
    card = page.locator(CARD)
    expect(card).to_be_visible()
    expect(card.locator(".garden-preview__title")).to_have_text(title_of(site_dir, key_of(link)))
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    expect(link).to_be_focused()  # Escape closes the card, not the reader's place
    # Tab to the next paper link: its card, not the last one's
    following = page.locator(PAPER_LINKS).nth(1)
    following.focus()
    expect(card.locator(".garden-preview__title")).to_have_text(
        title_of(site_dir, key_of(following))
    )
    page.locator("body").click(position={"x": 5, "y": 5})  # focus leaves the link
    expect(card).to_be_hidden()
    assert not page_errors


def test_cards_work_after_instant_navigation(
    page: Page, site_dir: Path, page_errors: list[str]
) -> None:
    page.goto("topics/physics-lens/", wait_until="networkidle")  # it has related topics
    page.locator(PAPER_LINKS).first.hover()
    expect(page.locator(CARD)).to_be_visible()
    page.evaluate("window.__noReload = true")
    related = page.locator("article h2#related-topics ~ ul a").first
    target = related.get_attribute("href") or ""
    related.click()
    slug = target.rstrip("/").rsplit("/", 1)[-1]
    # navigation.tracking may add the anchor of the heading in view
    page.wait_for_url(re.compile(rf"/topics/{re.escape(slug)}/(#[\w-]*)?$"))
    expect(page.locator(CARD)).to_be_hidden()  # no card left over from the last page
    assert page.evaluate("window.__noReload === true"), "the click reloaded the page"
    link = page.locator(PAPER_LINKS).first
    before = page.evaluate(BOX)
    link.hover()
    card = page.locator(CARD)
    expect(card).to_be_visible()
    expect(card.locator(".garden-preview__title")).to_have_text(title_of(site_dir, key_of(link)))
    assert page.evaluate(BOX) == before
    assert page.locator(CARD).count() == 1
    assert not page_errors


def test_no_card_for_links_that_are_not_paper_pages(page: Page) -> None:
    page.goto("papers/louart2017random/", wait_until="networkidle")
    page.locator("article .garden-authors a").first.hover()  # an author page
    page.wait_for_timeout(600)  # longer than the hover delay
    expect(page.locator(CARD)).to_have_count(0)
