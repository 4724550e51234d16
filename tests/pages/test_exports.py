"""Downloads for reference managers (CSL-JSON, RIS), citations in APA/IEEE/ACM, and the hover
cards' data (issue 12, items 4 and 5), on the seed garden and on papers made to break them."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
import rispy

from garden import routes
from garden.bibliography import csl
from garden.bibliography.library import Library, Paper, load_library, paper_from_entry
from garden.bibliography.library import parse_bibtex as parse
from garden.join import build_garden
from garden.notes import load_notes
from garden.pages import exports, previews
from garden.pages.escape import code_block
from garden.pages.paper_page import render_paper
from garden.pages.site import generate_site

ROOT = Path(__file__).resolve().parents[2]
# The CSL-JSON input schema, from citation-style-language/schema (see its README there)
SCHEMA = json.loads((ROOT / "tests/fixtures/csl/csl-data.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def seed():
    garden = build_garden(load_notes(ROOT / "notes", ROOT), load_library(ROOT / "bib"))
    return garden, generate_site(garden)


def downloads(site, suffix: str) -> dict[str, str]:
    return {uri: text for uri, text in site.assets.items() if uri.endswith(suffix)}


def paper(**fields) -> Paper:
    base = {"key": "smith2020x", "title": "A Title", "authors": ("Jane Smith",), "year": "2020"}
    return Paper(**{**base, **fields})


def garden_of(*papers: Paper):
    return build_garden([], Library({p.key: p for p in papers}, {}))


# --- the downloads exist and are linked where the BibTeX is ----------------------------------


def test_every_bib_download_has_csl_json_and_ris_beside_it(seed) -> None:
    garden, site = seed
    bibs = downloads(site, ".bib")
    assert routes.GARDEN_BIB in bibs and len(bibs) > 5
    for bib in bibs:
        stem = bib.removesuffix(".bib")
        assert stem + ".csl.json" in site.assets and stem + ".ris" in site.assets, bib
    assert set(routes.topic_downloads("x")) == {
        "downloads/topics/x.bib",
        "downloads/topics/x.csl.json",
        "downloads/topics/x.ris",
    }


def test_the_pages_that_link_the_bib_link_the_other_two(seed) -> None:
    _, site = seed
    papers = site.pages[routes.PAPERS]
    for uri in routes.GARDEN_DOWNLOADS:
        assert f"]({routes.link(routes.PAPERS, uri)})" in papers, uri
    topics = [uri for uri in site.pages if uri.startswith("topics/") and uri != routes.TOPICS]
    linked = 0
    for uri in topics:
        slug = uri.removeprefix("topics/").removesuffix(".md")
        bib, csl, ris = routes.topic_downloads(slug)
        if f"]({routes.link(uri, bib)})" in site.pages[uri]:
            linked += 1
            assert f"[CSL-JSON]({routes.link(uri, csl)})" in site.pages[uri], uri
            assert f"[RIS]({routes.link(uri, ris)})" in site.pages[uri], uri
    assert linked > 5


# --- CSL-JSON -------------------------------------------------------------------------------


def test_csl_json_downloads_validate_against_the_csl_schema(seed) -> None:
    garden, site = seed
    files = downloads(site, ".csl.json")
    for uri, text in files.items():
        items = json.loads(text)
        jsonschema.validate(items, SCHEMA)
        assert [item["id"] for item in items] == sorted(item["id"] for item in items), uri
    whole = json.loads(files[routes.GARDEN_CSL])
    assert {item["id"] for item in whole} == set(garden.library.papers)


def test_the_schema_rejects_what_it_should(seed) -> None:
    """The check above can fail: the schema says no to a misspelt field or a bad name."""
    _, site = seed
    item = json.loads(site.assets[routes.GARDEN_CSL])[0]
    for broken in ({**item, "url": "x"}, {**item, "author": [{"surname": "X"}]}, {"id": "k"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([broken], SCHEMA)


def test_an_arxiv_paper_is_a_preprint_zotero_reads(seed) -> None:
    garden, site = seed
    items = {item["id"]: item for item in json.loads(site.assets[routes.GARDEN_CSL])}
    p = garden.library.papers["akemann2016random"]
    item = items[p.key]
    assert item["type"] == "article"  # CSL's preprint type; Zotero's "Preprint"
    assert item["publisher"] == "arXiv" and item["number"] == p.eprint == "1603.06011"
    assert item["URL"] == "https://arxiv.org/abs/1603.06011"
    assert item["author"] == [{"family": "Akemann", "given": "Gernot"}]
    assert item["issued"] == {"date-parts": [[2016, 3, 18]]}
    assert item["title"] == p.title and item["abstract"] == p.abstract


def test_a_manual_entry_keeps_its_type_and_venue(seed) -> None:
    garden, _ = seed
    manual = [p for p in garden.library.papers.values() if not p.eprint]
    assert manual, "the seed has papers not on arXiv (bib/manual.bib)"
    for p in manual:
        item = csl.csl_item(p)
        assert item["type"] != "article", p.key
        if p.journal:
            assert p.journal in (item.get("container-title"), item.get("publisher")), p.key


def test_names_come_from_bibtex_so_particles_and_braces_survive() -> None:
    bib = (
        '@article{k, author = "van der Waals, Johannes Diderik and {Google Brain} and '
        'Smith, Jr., John and others", title = "T", year = "1873"}'
    )
    p = paper_from_entry("k", parse(bib)["k"], "manual.bib")
    assert csl.csl_names(p) == [
        {"family": "Waals", "given": "Johannes Diderik", "non-dropping-particle": "van der"},
        {"family": "Google Brain"},
        {"family": "Smith", "given": "John", "suffix": "Jr."},
    ]  # "others" is not a person
    assert csl.csl_item(p)["type"] == "article-journal"
    jsonschema.validate([csl.csl_item(p)], SCHEMA)


def test_only_real_dates_are_dates() -> None:
    for published, parts in [
        ("2020-03-18", [2020, 3, 18]),
        ("2020-13-45", [2020]),
        ("2020-02-40", [2020, 2]),
        ("0000-01-01", []),
        ("circa 1900", []),
        ("", []),
    ]:
        item = csl.csl_item(paper(published=published, year=""))
        assert item.get("issued", {"date-parts": [[]]})["date-parts"] == [parts], published


def test_a_venue_is_a_container_only_for_what_has_one() -> None:
    article = csl.csl_item(paper(entry_type="article", journal="Nature"))
    assert article["type"] == "article-journal" and article["container-title"] == "Nature"
    book = csl.csl_item(paper(entry_type="book", journal="Springer"))
    assert "container-title" not in book and book["publisher"] == "Springer"
    assert not csl.citations(paper(entry_type="book", journal="Springer"))[0][1].count(" In ")


# --- RIS ------------------------------------------------------------------------------------


def test_ris_downloads_read_back_with_rispy(seed) -> None:
    garden, site = seed
    for uri, text in downloads(site, ".ris").items():
        assert text.startswith("TY  - "), uri
        records = rispy.loads(text)
        csl = json.loads(site.assets[uri.removesuffix(".ris") + ".csl.json"])
        assert [r["id"] for r in records] == [item["id"] for item in csl], uri
    records = {r["id"]: r for r in rispy.loads(site.assets[routes.GARDEN_RIS])}
    assert records.keys() == garden.library.papers.keys()
    r = records["akemann2016random"]
    assert r["type_of_reference"] == "UNPB" and r["authors"] == ["Akemann, Gernot"]
    assert r["title"] == garden.library.papers["akemann2016random"].title
    assert r["year"] == "2016" and r["date"] == "2016/03/18"
    assert r["urls"] == ["https://arxiv.org/abs/1603.06011"] and r["notes"] == ["arXiv:1603.06011"]


def test_a_line_break_in_a_field_cannot_start_a_record() -> None:
    sly = paper(title="Title\nER  - \nTY  - JOUR\nTI  - Forged", abstract="a\r\nb")
    records = rispy.loads(exports.ris([sly.key], garden_of(sly)))
    assert len(records) == 1
    assert records[0]["title"] == "Title ER - TY - JOUR TI - Forged"
    assert records[0]["abstract"] == "a b"


# --- citations on the paper page ------------------------------------------------------------


def test_citations_in_each_style(seed) -> None:
    garden, _ = seed
    cited = dict(csl.citations(garden.library.papers["akemann2016random"]))
    assert list(cited) == ["APA", "IEEE", "ACM"]
    title = "Random Matrix Theory and Quantum Chromodynamics"
    assert cited["APA"].startswith(f"Akemann, G. (2016). {title} (1603.06011). arXiv.")
    assert cited["IEEE"].startswith(f"G. Akemann, “{title}”, Mar. 18, 2016, arXiv: 1603.06011.")
    assert cited["ACM"].startswith(f"Gernot Akemann. 2016. {title}.")


def test_the_macro_cache_changes_no_citation(seed, monkeypatch) -> None:
    """csl._cache_macros speeds citeproc-py up; without it, every paper reads the same."""
    from citeproc.model import CitationStylesElement

    garden, _ = seed
    papers = list(garden.library.papers.values())
    cached = [csl.citations(p) for p in papers]
    assert CitationStylesElement.get_macro.garden_cached
    monkeypatch.setattr(
        CitationStylesElement, "get_macro", CitationStylesElement.get_macro.uncached
    )
    csl.format_citations.cache_clear()
    try:
        assert [csl.citations(p) for p in papers] == cached
    finally:
        csl.format_citations.cache_clear()


# --- bib/styled.json: citations formatted when bib/ is written -------------------------------


def test_the_committed_styled_json_is_what_formatting_the_seed_bib_gives() -> None:
    """If this fails, run scripts/fetch_arxiv.py (or raise csl.FORMAT after changing how
    citations are formatted): the seed build would otherwise format every paper itself."""
    library = load_library(ROOT / "bib")
    text, formatted = csl.styled_json(library, {})
    assert formatted == len(library.papers) > 40
    assert (ROOT / "bib/styled.json").read_text("utf-8") == text
    assert csl.styled_json(library, library.styled) == (text, 0)  # nothing left to format


def test_a_stored_citation_is_used_only_while_its_hash_matches(monkeypatch) -> None:
    p = paper(title="Stored Title")
    fresh = csl.format_citations(p)
    stored = {"hash": csl.item_hash(p), **{label: f"kept {label}" for label, _ in csl.STYLES}}
    monkeypatch.setattr(csl, "format_citations", lambda _: pytest.fail("formatted again"))
    assert csl.citations(p, stored) == tuple((label, f"kept {label}") for label, _ in csl.STYLES)
    monkeypatch.undo()
    # the paper changed since (its title), the formatter changed, or the entry is damaged
    changed = replace(p, title="Another Title")
    assert csl.citations(changed, stored) == csl.format_citations(changed) != fresh
    monkeypatch.setattr(csl, "FORMAT", csl.FORMAT + 1)
    csl._formatter_version.cache_clear(), csl.item_hash.cache_clear()
    try:
        assert csl.citations(p, stored) == fresh
    finally:
        monkeypatch.undo()
        csl._formatter_version.cache_clear(), csl.item_hash.cache_clear()
    assert csl.citations(p, {"hash": csl.item_hash(p), "APA": "only one"}) == fresh
    assert csl.citations(p, {**stored, "IEEE": 3}) == fresh


def test_build_pages_are_the_same_with_or_without_styled_json(tmp_path, seed, caplog) -> None:
    _, site = seed
    bib = tmp_path / "bib"
    shutil.copytree(ROOT / "bib", bib)
    notes = load_notes(ROOT / "notes", ROOT)
    for damage in (None, "{not json", "[1, 2]"):
        if damage is None:
            (bib / "styled.json").unlink()
        else:
            (bib / "styled.json").write_text(damage, "utf-8")
        caplog.clear()
        library = load_library(bib)
        assert library.styled == {}
        assert generate_site(build_garden(notes, library)).pages == site.pages, damage
        warned = [r.getMessage() for r in caplog.records]
        if damage is None:
            assert not warned
        else:
            assert len(warned) == 1 and "bib/styled.json" in warned[0], warned
            assert "run scripts/fetch_arxiv.py" in warned[0].lower(), warned
    assert csl.refresh_styled(bib) == len(library.papers)
    assert (bib / "styled.json").read_bytes() == (ROOT / "bib/styled.json").read_bytes()
    assert csl.refresh_styled(bib) == 0


def test_the_paper_page_offers_each_citation_to_copy(seed) -> None:
    garden, site = seed
    p = garden.library.papers["akemann2016random"]
    page = site.pages[routes.paper(p.key)]
    cite = page[page.index('<h2 id="cite">Cite</h2>') :]
    for label, text in csl.citations(p):
        assert f"<p><strong>{label}</strong></p>\n{code_block(text)}\n" in cite
    assert f"<p><strong>BibTeX</strong></p>\n{code_block(p.bibtex)}\n" in cite
    assert "&#64;misc{akemann2016random," in cite
    # the entry to paste into a paper's .bib: all of bib/'s entry but the abstract, which the
    # whole garden's CSL-JSON and RIS keep (a reference manager shows it)
    stored = parse((ROOT / "bib" / "arxiv.bib").read_text(encoding="utf-8"))[p.key]
    assert p.abstract and "abstract" in stored.fields and "abstract" not in p.bibtex
    assert dict(parse(p.bibtex)[p.key].fields) == {
        name: value for name, value in stored.fields.items() if name != "abstract"
    }
    topic = next(t for t in garden.topics if p.key in t.paper_keys)
    assert p.bibtex in site.assets[routes.topic_downloads(topic.slug)[0]]
    assert p.bibtex in site.assets[routes.GARDEN_BIB]


def test_a_topics_downloads_are_to_cite_the_whole_gardens_to_import(seed) -> None:
    """A topic's three files list its papers without their abstracts (what a paper's .bib
    needs); the whole garden's CSL-JSON and RIS carry every abstract, its BibTeX none (every
    BibTeX of the site is to cite)."""
    garden, site = seed
    with_abstract = {k for k, p in garden.library.papers.items() if p.abstract}
    assert len(with_abstract) > 30
    bib, csl_file, ris_file = (site.assets[uri] for uri in routes.GARDEN_DOWNLOADS)
    assert "abstract = " not in bib and bib.count("@") == len(garden.library.papers)
    assert sum("abstract" in item for item in json.loads(csl_file)) == len(with_abstract)
    assert ris_file.count("\nAB  - ") == len(with_abstract)
    checked = 0
    for topic in garden.topics:
        if not topic.paper_keys:
            continue
        bib, csl_file, ris_file = (site.assets[uri] for uri in routes.topic_downloads(topic.slug))
        items = json.loads(csl_file)
        assert {item["id"] for item in items} == set(topic.paper_keys), topic.slug
        assert not [item["id"] for item in items if "abstract" in item], topic.slug
        assert "abstract = " not in bib and "\nAB  - " not in ris_file, topic.slug
        assert bib.count("@") == ris_file.count("TY  - ") == len(topic.paper_keys), topic.slug
        checked += 1
    assert checked > 5


HOSTILE_CITATION = "```\n<script>alert(1)</script> ```` [@akemann2016random] $x$ & 'q' \"d\""


def test_a_hostile_title_stays_inside_its_code_block(seed) -> None:
    garden, _ = seed
    sly = paper(title=HOSTILE_CITATION, authors=("A <b>B</b>",))
    text = render_paper(sly, garden, generate_site_ctx(garden, sly))
    cite = text[text.index('<h2 id="cite">') : text.index("<p><strong>BibTeX</strong></p>")]
    blocks = re.split(r"<p><strong>[^<]+</strong></p>", cite)[1:]  # after each style's label
    assert len(blocks) == len(csl.STYLES)
    for block in blocks:
        block = block.strip()
        assert block.startswith('<div class="highlight"><pre>') and "\n\n" not in block
        assert "<script>" not in block and "&lt;script&gt;alert(1)&lt;/script&gt;" in block
        assert "@" not in block and "&#64;akemann2016random" in block  # not a citation


def test_a_code_block_renders_as_the_highlighter_would_render_its_fence() -> None:
    """escape.code_block writes, without Pygments, the HTML a ``text`` fence becomes."""
    import markdown
    from lxml import html as lxml_html

    from garden.pages.markdown import fence

    def render(block: str) -> str:
        md = markdown.Markdown(extensions=["md_in_html", "pymdownx.superfences"])
        return md.convert(f'<div class="garden-citations" markdown>\n\n{block}\n\n</div>')

    def shape(fragment: str) -> list:
        root = lxml_html.fragment_fromstring(fragment)
        blank = lambda text: text if text and text.strip() else None  # noqa: E731
        return [(e.tag, e.get("class"), blank(e.text), blank(e.tail)) for e in root.iter()]

    def pygments_empty_span(element) -> bool:  # the one difference: left out by code_block
        return element[0] == "span" and element[1:] == (None, None, None)

    for text in (HOSTILE_CITATION, "Akemann, G. (2016). Random Matrix", "@misc{a,\n    b = 1\n}"):
        highlighted = shape(render(fence(text)))
        assert [e for e in highlighted if pygments_empty_span(e)] == [("span", None, None, None)]
        expected = [e for e in highlighted if not pygments_empty_span(e)]
        assert shape(render(code_block(text))) == expected, text
    assert code_block("a\n\n\nb") == code_block("a\nb")  # a blank line would end the block


def generate_site_ctx(garden, p: Paper):
    from garden.pages.markdown import Inline
    from garden.pages.page import Env

    return Env(garden, Inline(lambda name: None, [], {}, frozenset([p.key]))).ctx(
        routes.paper(p.key)
    )


# --- hover-card data ------------------------------------------------------------------------


def test_every_paper_has_a_small_preview(seed) -> None:
    garden, site = seed
    previews_of = {uri: text for uri, text in site.assets.items() if uri.startswith("previews/")}
    assert previews_of.keys() == {routes.preview(key) for key in garden.library.papers}
    for uri, text in previews_of.items():
        card = json.loads(text)
        assert set(card) == {"title", "authors", "year", "abstract"}, uri
        assert len(text.encode()) < 1200, uri
    card = json.loads(site.assets[routes.preview("akemann2016random")])
    assert card["title"] == "Random Matrix Theory and Quantum Chromodynamics"
    assert card["authors"] == "Gernot Akemann" and card["year"] == "2016"
    assert card["abstract"].startswith("These notes are based on the lectures")
    assert card["abstract"].endswith("…") and len(card["abstract"]) <= previews.ABSTRACT_CHARS + 1


def test_a_preview_names_three_authors_then_et_al() -> None:
    many = paper(authors=("A One", "B Two", "C Three", "D Four"))
    assert json.loads(previews.preview_json(many))["authors"] == "A One, B Two, C Three et al."
    few = replace(many, authors=("A One",), more_authors=True)
    assert json.loads(previews.preview_json(few))["authors"] == "A One et al."
    short = paper(abstract="Short.")
    assert json.loads(previews.preview_json(short))["abstract"] == "Short."


def test_a_preview_shows_formulas_as_text(seed) -> None:
    """The card has no KaTeX: a formula reads as text, as in the search results."""
    garden, site = seed
    cards = [json.loads(site.assets[routes.preview(key)]) for key in garden.library.papers]
    # (not every backslash: an abstract carries "\\cite key" as text, on its page too)
    raw = re.compile(r"\$[^$]*\\|\\[(\[]")
    assert not [c for c in cards if raw.search(c["title"] + c["abstract"])]
    wedin = next(c for c in cards if "Davis-Kahan-Wedin" in c["abstract"])
    assert "Davis-Kahan-Wedin sin Θ theorem" in wedin["abstract"]
    tex = paper(title=r"Bounds on $\lambda_{\max}$", abstract=r"We show \(x^2\) costs $5")
    card = json.loads(previews.preview_json(tex))
    assert card["title"] == "Bounds on λ_max" and card["abstract"] == "We show x^2 costs $5"


def test_the_whole_gardens_files_written_in_parts_are_the_files_written_whole(seed) -> None:
    """The whole garden's downloads are packed a paper at a time (bibliography.GARDEN_WRITERS,
    Asset.from_parts): the same bytes as the text written whole: rispy's own file of every
    record, json's array of every item, the entries joined."""
    garden, site = seed
    papers = sorted(garden.library.papers)
    records = [exports.ris_record(garden.library.papers[k]) for k in papers]
    assert site.assets[routes.GARDEN_DOWNLOADS[2]] == rispy.dumps(
        records, implementation=exports._RisWriter
    )
    items = json.loads(site.assets[routes.GARDEN_DOWNLOADS[1]])
    assert [item["id"] for item in items] == papers
    assert (
        site.assets[routes.GARDEN_DOWNLOADS[1]]
        == "[\n"
        + ",\n".join(
            json.dumps(
                csl.csl_item(garden.library.papers[k]), ensure_ascii=False, separators=(",", ":")
            )
            for k in papers
        )
        + "\n]\n"
    )
    entries = [garden.library.papers[k].bibtex for k in papers]
    assert site.assets[routes.GARDEN_DOWNLOADS[0]] == "\n".join(e + "\n" for e in entries if e)
    assert len(records) > 40
