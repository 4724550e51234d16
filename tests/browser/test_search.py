"""The header's Pagefind search in Chromium: lazy, local, finds papers every way a reader asks,
filters by kind, shows math as text. Structure only: speed is scripts/benchmark.py's."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from garden.site_search import start_index

from .harness import is_local, serve_directory

pytestmark = pytest.mark.browser

PAPER = "papers/jagannath2018statistical/"
BOX = "input.md-search__input"
HITS = ".md-search-result__item a.md-search-result__link"


def search(page: Page, query: str) -> list[str]:
    """Type ``query`` into the search box (opened with "/") and return the hits' hrefs."""
    box = page.locator(BOX)
    if not box.evaluate("(e) => e === document.activeElement"):
        page.keyboard.press("/")
    expect(box).to_be_focused()
    box.fill("")
    box.press_sequentially(query)
    page.wait_for_function(
        "(q) => document.querySelector('[data-garden-search-list]').dataset.query === q", arg=query
    )
    return page.locator(HITS).evaluate_all("(as) => as.map(a => a.getAttribute('href'))")


def pagefind_requests(urls: list[str]) -> list[str]:
    return [url for url in urls if "/pagefind/" in url]


def test_nothing_of_search_loads_before_the_box_is_used(
    page: Page, requested_urls: list[str], page_errors: list[str]
) -> None:
    page.goto(PAPER, wait_until="networkidle")
    page.mouse.wheel(0, 600)
    page.wait_for_load_state("networkidle")
    assert pagefind_requests(requested_urls) == []
    assert not [url for url in requested_urls if "search_index.json" in url]  # lunr's is gone
    # the box in use: the shards' list, then Pagefind itself (waited for as requests: the
    # page was already idle, so waiting for "networkidle" again would return at once)
    with page.expect_request(lambda request: request.url.endswith("/pagefind/0/pagefind.js")):
        page.keyboard.press("/")
    expect(page.locator(BOX)).to_be_focused()
    assert any(url.endswith("/pagefind/shards.json") for url in requested_urls)
    assert page_errors == []


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Statistical thresholds for Tensor PCA", f"/{PAPER}"),  # title
        ("Miolane", f"/{PAPER}"),  # an author of this paper alone (no page of their own)
        ("1812.03403", f"/{PAPER}"),  # arXiv ID
        ("discontinuous", f"/{PAPER}"),  # a word of the abstract only
    ],
)
def test_finds_a_paper(page: Page, query: str, first: str) -> None:
    page.goto("")
    hits = search(page, query)
    assert hits and hits[0] == first, hits
    assert f"/{PAPER}" in hits


def test_finds_an_author_page(page: Page) -> None:
    """An author with more than one paper here has a page, found first by their name."""
    page.goto("")
    hits = search(page, "Couillet")
    assert hits and hits[0] == "/authors/romain-couillet/", hits


def test_finds_a_note_comment(page: Page) -> None:
    page.goto("")
    assert "/notes/research-map/" in search(page, "Particles here")


def test_the_box_speaks_the_themes_texts(page: Page) -> None:
    """The box's texts come from the script bundle (garden.site_search.TEXTS_JS), in the
    theme's language: the placeholder, the clear button, the prompt and the counts."""
    page.goto(PAPER)
    page.keyboard.press("/")
    box = page.locator(BOX)
    expect(box).to_have_attribute("placeholder", "Search")
    expect(page.locator("[data-garden-search-reset]")).to_have_attribute("aria-label", "Clear")
    meta = page.locator("[data-garden-search-meta]")
    expect(meta).to_have_text("Type to start searching")
    assert search(page, "qwzxv") == []
    expect(meta).to_have_text("No matching documents")
    assert len(search(page, "Louart")) > 1
    expect(meta).to_have_text(re.compile(r"^\d+ matching documents$"))


def test_kind_filter(page: Page) -> None:
    page.goto("")
    # an author's name: their page, their two papers, the topic listing them (an author page
    # is found by its own words, not by its papers' titles)
    everything = search(page, "Louart")
    assert {href.split("/")[1] for href in everything} == {"papers", "authors", "topics"}
    kinds = page.locator(".garden-search__kind")
    papers = kinds.filter(has_text="Papers")
    expect(papers).to_have_text("Papers 2")
    expect(kinds.filter(has_text="Authors")).to_have_text("Authors 1")
    for label, folder in (("Papers", "papers"), ("Authors", "authors"), ("Topics", "topics")):
        button = kinds.filter(has_text=label)
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        page.wait_for_function(
            "(f) => [...document.querySelectorAll('.md-search-result__link')]"
            ".every(a => a.getAttribute('href').startsWith('/' + f + '/'))",
            arg=folder,
        )
        hits = page.locator(HITS).evaluate_all("(as) => as.map(a => a.getAttribute('href'))")
        assert hits and all(href.startswith(f"/{folder}/") for href in hits), hits
    kinds.filter(has_text="All").click()
    expect(page.locator(HITS)).to_have_count(len(everything))


def test_results_show_math_as_text(page: Page) -> None:
    page.goto("")
    hits = search(page, "nonlinear function")
    assert "/papers/ali2021random/" in hits
    text = page.locator(".md-search-result").inner_text()
    assert "σ(·)" in text
    assert "\\(" not in text and "\\)" not in text and "\\[" not in text


def test_results_stay_local_and_open_the_page(
    page: Page, requested_urls: list[str], page_errors: list[str]
) -> None:
    page.goto("topics/")
    search(page, "1812.03403")
    page.keyboard.press("Enter")  # the first hit
    page.wait_for_url(f"**/{PAPER}")
    expect(page.locator(".md-content article h1")).to_contain_text("Statistical thresholds")
    expect(page.locator("#__search")).not_to_be_checked()
    assert pagefind_requests(requested_urls)
    assert [url for url in requested_urls if not is_local(url)] == []
    assert page_errors == []


def test_a_words_first_letter_waits_for_the_next(page: Page) -> None:
    """Typed on, a word's first letter is never searched (at 10,000 papers it matches nearly
    every page); left alone, it is, after a moment."""
    page.goto(PAPER, wait_until="networkidle")
    page.evaluate(
        """() => {
          window.__shown = [];
          document.querySelector("[data-garden-search-input]").addEventListener(
            "garden-search:results", (e) => window.__shown.push(e.detail));
        }"""
    )
    page.keyboard.press("/")
    page.keyboard.type("tensor p", delay=40)
    page.wait_for_function("() => window.__shown.some(r => r.query === 'tensor p')")
    shown = page.evaluate("window.__shown")
    queries = [r["query"] for r in shown]
    assert all(len(q.split()[-1]) > 1 for q in queries[:-1]), queries  # "t" never searched
    assert shown[-1]["ms"] >= 150  # the last letter waited, then was searched
    assert shown[-1]["results"] > 0


def test_escape_closes_and_slash_reopens(page: Page) -> None:
    page.goto("")
    search(page, "tensor")
    toggle = page.locator("#__search")
    expect(toggle).to_be_checked()
    page.keyboard.press("Escape")
    expect(toggle).not_to_be_checked()
    expect(page.locator(BOX)).not_to_be_focused()
    page.keyboard.press("/")
    expect(page.locator(BOX)).to_be_focused()
    expect(toggle).to_be_checked()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_search_box_follows_the_palette(page: Page, scheme: str) -> None:
    page.goto("")
    if scheme == "slate":
        page.get_by_title("Switch to dark mode").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    search(page, "tensor")
    colours = page.evaluate(
        """() => {
          const background = (e) => {  // the first opaque background from e up
            for (; e; e = e.parentElement) {
              const colour = getComputedStyle(e).backgroundColor;
              if (colour !== "rgba(0, 0, 0, 0)") return colour;
            }
          };
          return {
            body: getComputedStyle(document.body).backgroundColor,
            result: background(document.querySelector(".md-search-result__list")),
            title: getComputedStyle(document.querySelector(".md-search-result h1")).color,
          };
        }"""
    )
    assert colours["result"] == colours["body"], colours  # the list is the page's colour
    assert colours["title"] != colours["result"], colours


# --- the index in shards (garden.site_search.run), merged in the browser -----------------------


@pytest.fixture(scope="module")
def sharded_url(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same site, its index split into shards of 20 pages (the seeds make one shard)."""
    site = tmp_path_factory.mktemp("sharded") / "site"
    shutil.copytree(site_dir, site)
    start_index(site, shard_pages=20).finish()
    with serve_directory(site) as url:
        yield url


def _hits_and_counts(page: Page, query: str) -> tuple[list[str], list[str]]:
    hits = search(page, query)
    counts = page.locator(".garden-search__kind").all_inner_texts()
    return hits, counts


@pytest.mark.parametrize(
    ("query", "one_answer"),
    [
        ("Statistical thresholds for Tensor PCA", True),
        ("Miolane", True),
        ("Mio", True),
        ("1812.03403", True),
        ("discontinuous", True),
        ("tensor", False),
        ("x", False),
        ("random matrix", False),
        ("Particles here", False),
        ("grokking", False),
    ],
)
def test_shards_merge_into_the_same_results(
    page: Page, browser, sharded_url: str, query: str, one_answer: bool
) -> None:
    """The same pages match, with the same counts per kind; where one page is the answer, it
    comes first either way. (The order of the rest may differ: each shard weighs a word by
    how rare it is in that shard.)"""
    page.goto("")
    one_hits, one_counts = _hits_and_counts(page, query)
    every_hit = search_all(page)
    context = browser.new_context(base_url=sharded_url)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    errors: list[str] = []
    try:
        sharded = context.new_page()
        sharded.on("pageerror", lambda error: errors.append(str(error)))
        sharded.goto("")
        hits, counts = _hits_and_counts(sharded, query)
        every_sharded_hit = search_all(sharded)
        sharded.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert counts == one_counts, (hits, one_hits)  # the kind buttons: every shard's matches
    assert hits and sorted(every_sharded_hit) == sorted(every_hit)
    if one_answer:
        assert hits[0] == one_hits[0]
    shards = {url.split("/pagefind/")[1].split("/")[0] for url in requested if "/pagefind/" in url}
    assert len(shards - {"shards.json"}) >= 4, shards  # each shard's bundle was asked
    assert errors == []


def search_all(page: Page) -> list[str]:
    """Every hit of the query shown (its "More results" pressed until there are no more)."""
    more = page.locator("[data-garden-search-more]")
    while more.is_visible():
        shown = page.locator(HITS).count()
        more.click()
        page.wait_for_function(
            "(n) => document.querySelectorAll('.md-search-result__link').length > n", arg=shown
        )
    return page.locator(HITS).evaluate_all("(as) => as.map(a => a.getAttribute('href'))")
