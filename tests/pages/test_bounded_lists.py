"""Lists that grow with the garden stay bounded: the bibliography of a large garden is several
pages (garden.pages.bibliography), its home page lists its largest topics (garden.pages.home).
Built from the seed garden with the bounds made small."""

from __future__ import annotations

import dataclasses
import html
import posixpath
import re
from pathlib import Path

import pytest

from garden import routes
from garden.bibliography.library import Library, load_library
from garden.join import build_garden
from garden.notes import load_notes
from garden.pages import bibliography
from garden.pages.site import generate_site
from garden.site_search import kind_of

ROOT = Path(__file__).resolve().parents[2]
HREF = re.compile(r'href="([^"]*)"')
PAPER_LINK = re.compile(r'<a href="([^"]*)">')


@pytest.fixture(scope="module")
def garden():
    return build_garden(load_notes(ROOT / "notes", ROOT), load_library(ROOT / "bib"))


@pytest.fixture
def split_site(garden, monkeypatch):
    monkeypatch.setattr(bibliography, "LIST_PAPERS", 10)
    assert len(garden.library.papers) > 30  # the seeds: several pages of 10
    return generate_site(garden).pages


def _target(page: str, link: str) -> str:
    """The page URL (from the site root) a relative ``href`` on ``page`` leads to."""
    path = link.partition("#")[0]
    return posixpath.normpath(posixpath.join(routes.url(page), path)).lstrip("./") + "/"


def _listed_papers(pages: dict[str, str], uris: list[str]) -> list[str]:
    """The paper page URLs the list pages ``uris`` link, in order, each as often as linked."""
    out = []
    for uri in uris:
        for link in HREF.findall(pages[uri]):
            target = _target(uri, html.unescape(link))
            if routes.is_paper(target.rstrip("/") + ".md"):
                out.append(target)
    return out


def test_a_small_garden_keeps_one_page(garden) -> None:
    uris = [uri for uri, _ in bibliography.bibliography_pages(garden)]
    assert uris == [routes.PAPERS]


def test_every_paper_is_on_one_page_of_the_split_list_in_order(garden, split_site) -> None:
    parts = sorted(
        (uri for uri in split_site if uri.startswith("papers/list/")),
        key=lambda uri: int(uri.removeprefix("papers/list/").removesuffix(".md")),
    )
    count = len(garden.library.papers)
    assert len(parts) == -(-count // 10)
    listed = _listed_papers(split_site, parts)
    expected = [routes.url(routes.paper(p.key)) for p in bibliography._sorted_papers(garden)]
    assert listed == expected  # each once, by first author, as the one page had them
    index = split_site[routes.PAPERS]
    for uri in parts:  # the index links every page of the list
        assert f'href="{routes.href(routes.PAPERS, uri)}"' in index, uri
    assert not _listed_papers(split_site, [routes.PAPERS])  # and no paper itself


def test_a_page_links_its_neighbours_and_the_index(split_site) -> None:
    first, second = split_site["papers/list/1.md"], split_site["papers/list/2.md"]
    back = routes.href("papers/list/2.md", routes.PAPERS)
    assert f'href="{routes.href("papers/list/1.md", "papers/list/2.md")}"' in first
    assert f'href="{routes.href("papers/list/2.md", "papers/list/1.md")}"' in second
    assert f'href="{back}"' in second and back == "../../"
    assert "Papers 11–20 of " in second


def test_each_category_chip_leads_to_a_page_listing_the_paper(garden, split_site) -> None:
    checked = 0
    for key, paper in garden.library.papers.items():
        uri = routes.paper(key)
        for category in bibliography.categories(paper):
            chip = bibliography.category_href(uri, category, garden)
            target = _target(uri, chip)
            source = target.removesuffix("/") + ".md"
            assert source.startswith("papers/category/") and source in split_site, chip
            assert f'href="{chip}"' in split_site[uri]  # the paper page's chip is that link
            category_pages = [u for u in split_site if u.startswith(source.rsplit("/", 1)[0])]
            assert routes.url(uri) in _listed_papers(split_site, category_pages), (key, category)
            checked += 1
    assert checked >= 20


def test_the_list_pages_are_not_searched_nor_paper_pages() -> None:
    for uri in ("papers/list/3.md", "papers/category/cs-lg/1.md", routes.PAPERS):
        assert kind_of(uri) is None and not routes.is_paper(uri), uri
    assert kind_of(routes.paper("vaswani2017attention")) == "paper"


def test_no_list_page_holds_more_than_a_page_of_papers(split_site) -> None:
    for uri, markdown in split_site.items():
        if uri.startswith(("papers/list/", "papers/category/")):
            assert markdown.count("<li>") <= 10, uri


def test_a_hostile_surname_in_a_page_label_stays_text(garden, monkeypatch) -> None:
    monkeypatch.setattr(bibliography, "LIST_PAPERS", 10)
    first = bibliography._sorted_papers(garden)[0]
    hostile = type(first.authors)(["Eve <img src=x onerror=alert(1)>"])
    papers = {**garden.library.papers, first.key: dataclasses.replace(first, authors=hostile)}
    library = Library(papers, garden.library.refmap)
    changed = build_garden(load_notes(ROOT / "notes", ROOT), library)
    pages = {uri: render() for uri, render in bibliography.bibliography_pages(changed)}
    labels = [pages[routes.PAPERS]] + [pages[u] for u in pages if u.startswith("papers/list/")]
    assert any("onerror=alert(1)" in markdown for markdown in labels)  # the label: its surname
    for markdown in labels:
        assert "<img" not in markdown, markdown[:300]


def test_a_home_page_past_its_topics_lists_the_largest_and_links_the_index(
    garden, monkeypatch
) -> None:
    from garden.pages import home

    monkeypatch.setattr(home, "HOME_TOPICS", 5)
    page = home.render_home(garden)
    rows = [line for line in page.splitlines() if line.startswith("| [")]
    largest = sorted(garden.topics, key=lambda topic: -len(topic.paper_keys))[:5]
    assert len(rows) == 5
    for row, topic in zip(rows, largest, strict=True):  # largest first, the garden's order after
        assert f"]({routes.link(routes.HOME, routes.topic(topic.slug))})" in row, row
    assert f"]({routes.link(routes.HOME, routes.TOPICS)})" in page
    assert f"all {len(garden.topics)} are in the" in page
    index = home.render_topics_index(garden)  # the topic index still lists every topic
    assert sum(line.startswith("| [") for line in index.splitlines()) == len(garden.topics)
