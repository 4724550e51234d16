"""The topic index is how topics are reached now that the sidebar holds only section indexes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_topic_filter_keeps_matching_rows(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/topics/")
    rows = page.locator(".garden-filter tbody tr")
    total = rows.count()
    assert total > 10
    box = page.locator(".garden-filter__input")
    box.press_sequentially("random matrix")
    visible = page.locator(".garden-filter tbody tr:not([hidden])")
    expect(visible).to_have_count(1)
    assert "Random Matrix Theory" in visible.first.inner_text()
    expect(page.locator(".garden-filter__status")).to_have_text(f"1 of {total} topics")
    box.fill("")
    box.press_sequentially("x")
    box.press("Backspace")
    expect(page.locator(".garden-filter tbody tr:not([hidden])")).to_have_count(total)


def test_the_sidebar_lists_sections_not_topics(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/topics/random-matrix-theory/")
    nav = page.locator("nav.md-nav--primary")
    assert nav.locator("a[href*='physics-lens']").count() == 0
    assert nav.locator("a", has_text="Papers").count() >= 1
