"""What a reader gets from the seed notes: checked on a real, strict MkDocs build."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[2]


class _Page(HTMLParser):
    """Collects list items' text, links, and script/stylesheet URLs of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self.open_items: list[list[str]] = []
        self.footnote: list[bool] = []
        self.hrefs: list[str] = []
        self.assets: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "li":
            self.open_items.append([])
            self.footnote.append(str(a.get("id", "")).startswith("fn:"))
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "script" and a.get("src"):
            self.assets.append(a["src"])
        if tag == "link" and a.get("rel") in ("stylesheet", "preload", "modulepreload"):
            self.assets.append(a.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self.open_items:
            text = " ".join("".join(self.open_items.pop()).split())
            if not self.footnote.pop():  # the page's reference list repeats every title
                self.items.append(text)

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for item in self.open_items:
            item.append(data)


def page(site: Path, uri: str) -> _Page:
    parser = _Page()
    parser.feed((site / uri / "index.html").read_text(encoding="utf-8"))
    return parser


def _listed(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8").split('<h2 id="related-papers"')[0])
    return parser


def test_feed_is_built_and_announced(built_site: Path) -> None:
    import xml.etree.ElementTree as ET

    feed = ET.fromstring((built_site / "feed.xml").read_bytes())
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert entries, "feed.xml has no entry"
    for entry in entries[:5]:  # absolute links from mkdocs.yml's site_url, to pages built
        href = entry.find("{http://www.w3.org/2005/Atom}link").get("href")
        assert href.startswith("http") and "/papers/" in href
        assert (built_site / "papers" / href.split("/papers/", 1)[1] / "index.html").is_file()
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'rel="alternate" type="application/atom+xml"' in home and "feed.xml" in home
    assert 'id="recently-added"' in home
    paper = (built_site / "papers/louart2017random/index.html").read_text(encoding="utf-8")
    related = paper.split('<h2 id="related-papers"')[1].split("<h2")[0]
    assert related.count('href="../') >= 3


def test_topic_merged_across_notes_holds_each_paper_once(built_site: Path) -> None:
    rmt = page(built_site, "topics/random-matrix-theory")
    for title in ("Statistical thresholds for Tensor PCA", "Two-way kernel matrix puncturing"):
        items = [i for i in rmt.items if title in i and "Related" not in i]
        assert len(items) == 1, (title, items)
        assert "Reading list 2023" in items[0] or "Two-way" in title
    tensor = next(i for i in rmt.items if "Statistical thresholds for Tensor PCA" in i)
    assert "Reading list 2023" in tensor and "Research map" in tensor


def test_title_broken_by_a_rule_stays_whole(built_site: Path) -> None:
    text = " ".join("".join(page(built_site, "topics/category-theory").text).split())
    assert (
        "Physical Computing: A Category Theoretic Perspective on Physical Computation and "
        "System Compositionality" in text
    )


def test_mojibake_repaired_everywhere(built_site: Path) -> None:
    pages = list(built_site.rglob("*.html"))
    assert not [p for p in pages if "â†“" in p.read_text(encoding="utf-8")]
    assert any("↓" in p.read_text(encoding="utf-8") for p in pages)


def test_search_index_has_the_papers(built_site: Path) -> None:
    """Pagefind's index (its contents: tests/site_build/test_search_index.py)."""
    entries = (built_site / "pagefind").glob("*/pagefind-entry.json")
    indexed = sum(
        json.loads(e.read_text("utf-8"))["languages"]["en"]["page_count"] for e in entries
    )
    papers = list((built_site / "papers").glob("*/index.html"))
    assert indexed > len(papers) > 0


def test_no_script_or_stylesheet_from_elsewhere(built_site: Path) -> None:
    for html in built_site.rglob("*.html"):
        parsed = _Page()
        parsed.feed(html.read_text(encoding="utf-8"))
        offsite = [a for a in parsed.assets if re.match(r"^(https?:)?//", a)]
        assert not offsite, (html, offsite)


def test_math_reaches_arithmatex_intact(built_site: Path) -> None:
    html = (built_site / "notes/llm-internals/index.html").read_text(encoding="utf-8")
    assert r'<span class="arithmatex">\(\vec{E}\)</span>' in html
    assert r"\(M_{\text{up}}\)" in html


def test_diagram_stays_preformatted(built_site: Path) -> None:
    html = (built_site / "topics/physics-lens/index.html").read_text(encoding="utf-8")
    pre = re.search(r"<pre.*?</pre>", html, re.S)
    assert pre and "↓" in pre.group() and "Symetry duality" in pre.group()


def test_obsidian_links_are_marked_text_not_links(built_site: Path) -> None:
    parsed = page(built_site, "notes/llm-internals")
    assert not [h for h in parsed.hrefs if h.startswith("obsidian:")]
    assert "Papers I read" in "".join(parsed.text)


def bib_keys() -> list[str]:
    keys = []
    for name in ("arxiv.bib", "manual.bib"):
        path = ROOT / "bib" / name
        if path.exists():
            keys += list(parse_file(str(path)).entries)
    return keys


def test_every_bib_entry_has_a_paper_page_linked_both_ways(built_site: Path) -> None:
    keys = bib_keys()
    assert len(keys) >= 40
    topic_pages = {  # what each topic lists: its "Related papers" (outside it) left out
        p.parent.name: _listed(p) for p in (built_site / "topics").glob("*/index.html")
    }
    for key in keys:
        paper = page(built_site, f"papers/{key}")
        linking = [
            slug
            for slug, p in topic_pages.items()
            if any(h.rstrip("/").endswith(f"papers/{key}") for h in p.hrefs)
        ]
        notes = [
            n
            for n in (built_site / "notes").glob("*/index.html")
            if f"papers/{key}/" in n.read_text(encoding="utf-8")
        ]
        assert linking or notes, f"no topic or note page links papers/{key}/"
        for slug in linking:
            assert any(h.rstrip("/").endswith(f"topics/{slug}") for h in paper.hrefs), (key, slug)


def test_paper_page_lists_every_place_it_is_mentioned(built_site: Path) -> None:
    key = next(
        k
        for k in bib_keys()
        if "myopic" in (built_site / f"papers/{k}/index.html").read_text(encoding="utf-8")
    )
    text = " ".join("".join(page(built_site, f"papers/{key}").text).split())
    assert "line 38" in text and "line 55" in text
    assert "Interpretability methods might be misleading." in text


def test_author_page_lists_papers(built_site: Path) -> None:
    author = page(built_site, "authors/romain-couillet")
    papers = [h for h in author.hrefs if "/papers/" in h]
    assert len(set(papers)) >= 10


def test_topics_show_related_topics(built_site: Path) -> None:
    """Related topics are those sharing papers or authors, saying so (issue 9, item 7):
    "in the same note" said nothing with three notes, so a topic sharing nothing lists none."""
    shown = 0
    for html in (built_site / "topics").glob("*/index.html"):
        text = html.read_text(encoding="utf-8")
        if html.parent.name != "topics" and "Related topics" in text:
            shown += 1
            assert "shared" in text.split("Related topics", 1)[1], html
            assert "same note" not in text, html
    assert shown >= 3


@pytest.mark.parametrize("slug", ["random-matrix-theory", "information-theory"])
def test_topic_bibtex_download_parses(built_site: Path, slug: str) -> None:
    data = parse_file(str(built_site / f"downloads/topics/{slug}.bib"))
    assert len(data.entries) >= 3


def test_no_page_carries_a_list_of_every_topic_note_paper_or_author(built_site: Path) -> None:
    """Material renders the nav into every page: per-item links there grow every page with the
    garden. The nav holds the section indexes only, on every page type."""
    for page in (
        "index.html",
        "topics/random-matrix-theory/index.html",
        "topics/index.html",
        "notes/research-map/index.html",
        "papers/wen2023transformers/index.html",
    ):
        html = (built_site / page).read_text(encoding="utf-8")
        nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
        nav = nav[: nav.index("</nav>")]
        links = {h for h in re.findall(r'href="([^"#][^"]*)"', nav)}
        # home, the five section indexes, the page itself: nothing that grows with the garden
        assert len(links) <= 7, (page, sorted(links))
    home = (built_site / "index.html").read_text(encoding="utf-8")
    for section in ('href="topics/"', 'href="papers/"', 'href="authors/"', 'href="notes/"'):
        assert section in home, section


def test_every_html_part_is_back_in_its_page(built_site: Path) -> None:
    """The parts a generated page carried beside its Markdown (garden.pages.markdown.fragment)
    are all in the built page, as blocks: no token, no mark, no part inside a paragraph."""
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 80
    for page in pages:
        text = page.read_text("utf-8")
        assert "gardenpart" not in text and "\x02" not in text and "\x03" not in text, page
        assert "<p><div" not in text and "<p><ul" not in text, page
    paper = (built_site / "papers" / "jagannath2018statistical" / "index.html").read_text("utf-8")
    for part in ('<div class="garden-authors">', '<div class="garden-citations">', "md-button"):
        assert part in paper, part
