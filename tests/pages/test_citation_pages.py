"""Citations among the garden's papers on the pages: a temp copy of the seed garden with the
fixture ``bib/citations/`` (``tests/fixtures/citations``, what a fetch against the S2 replay
writes), and the seed garden itself, which holds no citation data and says so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from golden import check_text

from garden import routes
from garden.bibliography.citations import CitationRecord
from garden.bibliography.library import Library, Paper
from garden.build import Project, build_pages
from garden.join import build_garden
from garden.notes import parse_note
from garden.pages.graph import graph_data
from garden.pages.paper_page import NO_CITATION_DATA, NOT_ASKED
from garden.pages.site import generate_site

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
FIXTURES = ROOT / "tests" / "fixtures" / "citations"


def fixture_citations() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(FIXTURES.glob("*.json"))}


@pytest.fixture(scope="module")
def cited(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("garden")
    for name in ("docs", "notes", "bib"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(FIXTURES, root / "bib" / "citations")
    (root / "bib" / "citations" / "rende2023mapping.json").unlink()  # one paper not asked yet
    return build_pages(Project(root))


def section(markdown: str) -> str:
    start = markdown.index('<h2 id="citations-in-your-garden">Citations in your garden</h2>')
    return markdown[start : markdown.index('<h2 id="cite">Cite</h2>')]


def test_the_seed_garden_says_it_has_no_citation_data() -> None:
    built = build_pages(Project(ROOT))
    assert built.garden.library.citations == {}
    for key, paper in built.garden.library.papers.items():
        text = section(built.site.pages[routes.paper(key)])
        assert ("Cited here" in text) is False
        assert (NO_CITATION_DATA in text) is bool(paper.eprint), key
    assert not any("Most cited" in page for page in built.site.pages.values())
    assert not [link for link in graph_data(built.garden)["links"] if link.get("kind")]


def test_cited_by_and_cites_link_the_paper_pages(cited) -> None:
    files = fixture_citations()
    # every paper whose file lists 2306.01129 (yu2023white) in its references, and no other
    citing = {k for k, d in files.items() if "2306.01129" in d.get("references", [])}
    assert citing == {"gurnee2023language", "liu2023grokking"}
    text = section(cited.site.pages["papers/yu2023white.md"])
    assert "**Cited here by 2 papers in your garden**" in text
    assert "](gurnee2023language.md) (2023)" in text and "](liu2023grokking.md) (2023)" in text
    assert "**Cites 2 papers in your garden** (Semantic Scholar lists 5 references, asked " \
        "2026-12-03)" in text  # fmt: skip
    assert "](khromov2023fundamental.md) (2023)" in text and "](liao2017large.md) (2017)" in text
    # every link in the section is to a paper page that exists
    for target in _links(text):
        assert f"papers/{target}" in cited.site.pages, target


def _links(text: str) -> list[str]:
    return [part.split(")")[0] for part in text.split("](")[1:]]


def test_a_paper_s2_does_not_know_says_so_and_is_still_cited(cited) -> None:
    text = section(cited.site.pages["papers/couillet2015kernel.md"])
    assert "**Cited here by 9 papers in your garden**" in text
    assert (
        "Semantic Scholar has no record of arXiv:1510.03547 (asked 2026-12-03): what it cites "
        "is not known." in text
    )
    assert "Cites" not in text


def test_a_paper_not_asked_yet_gets_the_honest_line_and_no_invented_links(cited) -> None:
    text = section(cited.site.pages["papers/rende2023mapping.md"])
    # who cites it is known from the others' references; what it cites is not
    assert text.splitlines()[2:5] == [
        "Cited here by none of the 36 other papers whose references are known.",
        "",
        NOT_ASKED,
    ]
    assert NO_CITATION_DATA not in text and "Cites" not in text
    # what others cite of it is still known: tiomoko2021pca is not cited by rende any more
    assert "rende2023mapping" not in cited.garden.citations.cited_by.get("tiomoko2021pca", ())


def test_no_citation_among_garden_papers_says_none(cited) -> None:
    text = section(cited.site.pages["papers/wen2023transformers.md"])
    assert text.splitlines()[2:5] == [
        "Cited here by none of the 35 other papers whose references are known.",
        "",
        "Cites none of the other papers in your garden (Semantic Scholar lists 1 reference, "
        "asked 2026-12-03).",
    ]


def test_a_paper_without_an_arxiv_id_says_why_it_has_no_data(cited) -> None:
    text = section(cited.site.pages["papers/kammoun2023covariance.md"])
    assert "this paper has none" in text and NO_CITATION_DATA not in text


def test_the_index_is_computed_from_the_files(cited) -> None:
    files, index = fixture_citations(), cited.garden.citations
    by_eprint = cited.garden.library.by_eprint
    del files["rende2023mapping"]
    for key, data in files.items():
        wanted = {by_eprint[i] for i in data.get("references", []) if i in by_eprint}
        assert set(index.cites.get(key, ())) == wanted, key
    pairs = {(a, b) for a, cites in index.cites.items() for b in cites}
    assert pairs == {(a, b) for b, by in index.cited_by.items() for a in by}
    assert len(pairs) == 90


def test_topic_pages_list_their_most_cited_papers(cited) -> None:
    page = cited.site.pages["topics/random-matrix-theory.md"]
    start = page.index("## Most cited within the garden")
    rows = page[start:].split("\n\n")[1].splitlines()
    assert rows == [
        "- [Kernel spectral clustering of large dimensional data](../papers/couillet2015kernel.md)"
        " — cited by 9 papers in your garden",
        "- [A Large Dimensional Analysis of Least Squares Support Vector Machines]"
        "(../papers/liao2017large.md) — cited by 8 papers in your garden",
        "- [Matrices with Gaussian noise: optimal estimates for singular subspace perturbation]"
        "(../papers/orourke2018matrices.md) — cited by 8 papers in your garden",
        "- [Deep Neural Networks as Gaussian Processes](../papers/lee2017deep.md) — cited by 7 "
        "papers in your garden",
        "- [A Random Matrix Approach to Neural Networks](../papers/louart2017random.md) — cited "
        "by 7 papers in your garden",
    ]
    assert "## Related topics" not in page  # this topic shares nothing: the section is last
    other = cited.site.pages["topics/physics-lens.md"]
    assert other.index("## Most cited") < other.index("## Related topics")


def test_a_topic_whose_papers_nobody_cites_has_no_most_cited_section(cited) -> None:
    cited_by = cited.garden.citations.cited_by
    for topic in cited.garden.topics:
        page = cited.site.pages[routes.topic(topic.slug)]
        assert ("## Most cited" in page) is any(cited_by.get(k) for k in topic.paper_keys)


def test_the_graph_has_one_cites_link_per_citation(cited) -> None:
    data = graph_data(cited.garden)
    cites = [(lk["source"], lk["target"]) for lk in data["links"] if lk.get("kind") == "cites"]
    assert len(cites) == len(set(cites)) == 90
    assert ("p:akemann2016random", "p:couillet2015kernel") in cites
    assert all(a.startswith("p:") and b.startswith("p:") for a, b in cites)
    page = cited.site.pages[routes.GRAPH]
    assert "Dashed arrows: a paper citing another (90 citations between its papers" in page


def test_the_paper_page_with_citations_golden(cited, update_goldens: bool) -> None:
    check_text(
        GOLDEN / "cited__papers__lee2017deep.md",
        cited.site.pages["papers/lee2017deep.md"],
        update_goldens,
    )


def test_titles_in_citation_lists_are_escaped() -> None:
    evil = "<img src=x onerror=alert(1)> [click](javascript:alert(2)) *bold*"
    papers = {
        "a2020": Paper("a2020", evil, ("A",), year="2020", eprint="2001.00001"),
        "b2021": Paper("b2021", "Plain", ("B",), year="2021", eprint="2001.00002"),
    }
    citations = {
        "b2021": CitationRecord("b2021", "2001.00002", "2026-12-03", "abc", ("2001.00001",)),
    }
    library = Library(
        papers,
        {"arxiv:2001.00001": "a2020", "arxiv:2001.00002": "b2021"},
        {"2001.00001": "a2020", "2001.00002": "b2021"},
        citations=citations,
    )
    note = "## Topic\n+ https://arxiv.org/abs/2001.00001\n+ https://arxiv.org/abs/2001.00002\n"
    garden = build_garden([parse_note(note, "notes/n.md", stem="n")], library)
    site = generate_site(garden)
    listed = section(site.pages["papers/b2021.md"])
    assert "**Cites 1 paper in your garden**" in listed
    escaped = "&lt;img src=x onerror=alert(1)&gt; \\[click\\](javascript:alert(2)) \\*bold\\*"
    assert escaped in listed
    topic = site.pages["topics/topic.md"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in topic.split("## Most cited")[1]
    assert "<img" not in listed
