"""The Pagefind index of the built site: there, chunked, holding the four kinds of page with
their kind as a filter, without the BibTeX blocks, the everything-lists or raw TeX; and the
pieces of garden.site_search that decide it."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import pytest

from garden import routes
from garden.site_search import kind_of, math_as_text, prepare_page, unindexed_tail
from garden.site_search.run import unused_wasm
from garden.site_search.tex import tex_to_text
from tests.pagefind_index import read_fragment

PAPER = "/papers/jagannath2018statistical/"


@cache
def _fragments(site: Path) -> dict[str, dict]:
    """Every indexed page's fragment (what a result shows), by URL."""
    pages = {}
    for path in (site / "pagefind").glob("*/fragment/*.pf_fragment"):  # every shard's
        fragment = read_fragment(path)
        pages[fragment["url"]] = fragment
    return pages


def test_index_exists_and_is_chunked(built_site: Path) -> None:
    manifest = json.loads((built_site / "pagefind/shards.json").read_text(encoding="utf-8"))
    assert manifest == {"shards": ["0/"]}, "the seeds' ~200 pages are one shard"
    bundle = built_site / "pagefind/0"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(_fragments(built_site))
    assert (bundle / "pagefind.js").is_file()
    # only the WebAssembly the entry names for its language: the fallback one is never loaded
    assert [p.name for p in bundle.glob("wasm.*.pagefind")] == ["wasm.en.pagefind"]
    assert not list(bundle.glob("pagefind-*ui*")), "Pagefind's own UIs are not shipped"
    chunks = list((bundle / "index").glob("*.pf_index"))
    assert len(chunks) >= 2, "the word index is one file: a reader would fetch all of it"
    assert len(list((bundle / "filter").glob("*.pf_filter"))) == 1
    assert not (built_site / "search/search_index.json").exists(), "Material's lunr index too"


def test_a_wasm_file_goes_only_when_no_language_falls_back_to_it(tmp_path: Path) -> None:
    for name in ("wasm.en.pagefind", "wasm.de.pagefind", "wasm.unknown.pagefind"):
        (tmp_path / name).write_bytes(b"\0asm")
    entry = tmp_path / "pagefind-entry.json"
    entry.write_text(json.dumps({"languages": {"en": {"wasm": "en"}, "de": {"wasm": "de"}}}))
    assert [p.name for p in unused_wasm(tmp_path)] == ["wasm.unknown.pagefind"]
    # a language with no WebAssembly of its own (no stemmer) loads the unknown one
    entry.write_text(json.dumps({"languages": {"en": {"wasm": "en"}, "tlh": {"wasm": None}}}))
    assert unused_wasm(tmp_path) == []


def test_the_four_kinds_are_indexed_with_their_kind(built_site: Path) -> None:
    pages = _fragments(built_site)
    kinds = {url: fragment["filters"]["kind"] for url, fragment in pages.items()}
    for folder, kind in (("topics", "topic"), ("papers", "paper"), ("authors", "author")):
        built = {f"/{folder}/{p.parent.name}/" for p in (built_site / folder).glob("*/index.html")}
        assert built and all(kinds.get(url) == [kind] for url in built), folder
    assert kinds["/notes/research-map/"] == ["note"]
    assert {url.split("/")[1] for url in kinds} == {"topics", "papers", "authors", "notes"}


def test_lists_of_everything_are_not_indexed(built_site: Path) -> None:
    """The bibliography (papers/), the other section indexes, home and graph list everything:
    they would be a hit for every query."""
    pages = _fragments(built_site)
    for url in ("/", "/papers/", "/authors/", "/topics/", "/notes/", "/graph/"):
        assert url not in pages
    html = (built_site / "papers/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in html


def test_paper_found_by_title_author_arxiv_id_and_abstract(built_site: Path) -> None:
    fragment = _fragments(built_site)[PAPER]
    assert fragment["meta"]["title"] == "Statistical thresholds for Tensor PCA"
    text = fragment["content"]
    assert "Leo Miolane" in text and "1812.03403" in text and "BBP-type transition" in text


def test_paper_bibtex_is_not_indexed(built_site: Path) -> None:
    pages = _fragments(built_site)
    bibtex = [url for url, f in pages.items() if re.search(r"@misc\b|eprint", f["content"])]
    assert bibtex == []
    assert "Cite" not in pages[PAPER]["content"]


def test_cite_section_still_on_the_page(built_site: Path) -> None:
    html = (built_site / "papers/jagannath2018statistical/index.html").read_text(encoding="utf-8")
    tail = '<div class="garden-unindexed" data-pagefind-ignore="all"><h2 id="related-papers">'
    assert tail in html and html.index(tail) < html.index('<h2 id="cite">')
    assert "<code>&#64;misc{jagannath2018statistical,\n" in html  # the BibTeX, as text
    assert "data-search-exclude" not in html


def test_indexed_text_has_no_raw_tex(built_site: Path) -> None:
    pages = _fragments(built_site)
    # (Not every backslash: some abstracts carry "\cite key" as text, on the page too.)
    raw = {url for url, f in pages.items() if re.search(r"\\[()\[\]]|\$", f["content"])}
    assert raw == set()
    math = pages["/papers/ali2021random/"]["content"]
    assert "σ(·)" in math and "x_1, …, x_n ∈ ℝ^p" in math


def test_math_stays_for_katex(built_site: Path) -> None:
    html = (built_site / "papers/ali2021random/index.html").read_text(encoding="utf-8")
    assert r'<span class="arithmatex">\(\sigma(\cdot)\)</span>' in html
    assert '<span class="garden-math-text" hidden>σ(·)</span>' in html


# ----------------------------------------------------------------- garden.site_search alone


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\lambda_{\max}", "λ_max"),
        (r"\mathcal{O}(n^{1/2})", "O(n^(1/2))"),
        (r"W \in \mathbb{R}^{m}", "W ∈ ℝ^m"),
        (r"M_{\text{up}}", "M_up"),
        (r"\frac{1}{\sqrt{n}}", "1/(√n)"),
        (r"\left[ {\bf w}^{\sf T} \right]", "[ w^T ]"),
        (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", "a b c d"),
        (r"\unknown{x} \\ \, \$ \{", "unknownx {"),
        ("\\", ""),
        (r"x^", "x^"),
        (r"}{", ""),
    ],
)
def test_tex_to_text(tex: str, text: str) -> None:
    assert tex_to_text(tex) == text
    assert "\\" not in tex_to_text(tex)


def test_math_as_text_escapes_and_keeps_the_formula() -> None:
    html = '<p>a <span class="arithmatex">\\(x &lt; \\alpha\\)</span> b</p>'
    out = math_as_text(html)
    assert out == (
        '<p>a <span class="arithmatex">\\(x &lt; \\alpha\\)</span>'
        '<span class="garden-math-text" hidden>x &lt; α</span> b</p>'
    )
    block = '<div class="arithmatex">\\[\n\\sum_i x_i\n\\]</div>'
    assert math_as_text(block).endswith('<span class="garden-math-text" hidden>∑_i x_i</span>')


def test_unindexed_tail() -> None:
    cite = '<h2 id="cite">Cite</h2><pre>@misc{k,}</pre>'
    cited = '<h2 id="citations-in-your-garden">Citations in your garden</h2><p>Not known yet</p>'
    related = '<h2 id="related-papers">Related papers</h2><div class="garden-related"></div>'
    unindexed = '<div class="garden-unindexed" data-pagefind-ignore="all">'
    assert unindexed_tail(f"<p>x</p>{related}{cited}{cite}") == (
        f"<p>x</p>{unindexed}{related}{cited}{cite}</div>"
    )
    assert unindexed_tail(f"<p>x</p>{cited}{cite}") == f"<p>x</p>{unindexed}{cited}{cite}</div>"
    assert unindexed_tail(f"<p>x</p>{cite}") == f"<p>x</p>{unindexed}{cite}</div>"
    assert unindexed_tail("<p>no cite</p>") == "<p>no cite</p>"
    # a note's heading of the same words gets another id (toc): the section's is the last
    fake = '<h2 id="citations-in-your-garden_1">Citations in your garden</h2>'
    assert unindexed_tail(f"{fake}<p>x</p>{cited}").startswith(f"{fake}<p>x</p>{unindexed}")


@pytest.mark.parametrize(
    ("uri", "kind"),
    [
        (routes.topic("rmt"), "topic"),
        (routes.paper("key2020x"), "paper"),
        (routes.author("ada-lovelace"), "author"),
        (routes.note("research-map"), "note"),
        ("about.md", "page"),
        (routes.HOME, None),
        (routes.GRAPH, None),
        (routes.PAPERS, None),
        (routes.TOPICS, None),
        (routes.AUTHORS, None),
        (routes.NOTES, None),
    ],
)
def test_kind_of(uri: str, kind: str | None) -> None:
    assert kind_of(uri) == kind


def test_prepare_page_sets_the_kind_the_template_reads() -> None:
    page = SimpleNamespace(file=SimpleNamespace(src_uri=routes.PAPERS), meta={})
    assert prepare_page('<span class="arithmatex">\\(x\\)</span>', page).count("hidden") == 0
    assert page.meta == {"garden_search_kind": None}


def test_related_papers_are_on_the_page_but_not_indexed(built_site: Path) -> None:
    """A paper page lists other papers' titles as related: indexed, they would make it a hit
    for every one of them."""
    html = (built_site / "papers/louart2017random/index.html").read_text(encoding="utf-8")
    related = html.split('id="related-papers"')[1]
    assert 'class="garden-related"' in related
    title = "A Concentration of Measure and Random Matrix Approach"
    assert title in related
    assert title not in _fragments(built_site)["/papers/louart2017random/"]["content"]


def test_other_pages_titles_are_not_indexed(built_site: Path) -> None:
    """An author's list of papers and a paper's related papers and citations are on the page,
    not in the index: a title's words find its paper, the notes and topics that discuss it, not
    every author page and paper that lists it. What is the page's own stays: the author's name
    and topics."""
    pages = _fragments(built_site)
    html = (built_site / "authors/cosme-louart/index.html").read_text(encoding="utf-8")
    title = "A Random Matrix Approach to Neural Networks"
    assert '<div class="garden-author-papers">' in html and title in html
    assert pages["/authors/cosme-louart/"]["content"] == (
        "Cosme Louart. 2 papers in this garden. Papers. Topics. Random Matrix Theory (2)."
    )
    found = sorted(url for url, f in pages.items() if title in f["content"])
    assert found == [
        "/notes/reading-list-2023/",
        "/notes/research-map/",
        "/papers/louart2017random/",
        "/topics/random-matrix-theory/",
    ]
    paper = (built_site / PAPER.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "Not known yet" in paper and "Related papers" in paper
    content = pages[PAPER]["content"]
    assert content.endswith("Random Matrix Theory — Research map, line 25.")
    assert not any("Semantic Scholar" in f["content"] for f in pages.values())
