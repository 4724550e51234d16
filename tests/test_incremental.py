"""An incremental rebuild (what ``mkdocs serve`` does per edit) equals a full one, edit by edit."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from garden.build import Project, build_pages
from garden.incremental import GRAPH, Incremental

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    for name in ("docs", "notes", "bib"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return Project(tmp_path)


def same_as_full(inc: Incremental, project: Project) -> frozenset[str] | None:
    got = inc.build()
    full = build_pages(project)
    assert got.site.pages.keys() == full.site.pages.keys()
    for uri, markdown in full.site.pages.items():
        assert got.site.pages[uri] == markdown, uri
    assert got.site.assets == full.site.assets
    assert got.site.titles == full.site.titles
    assert got.warnings == full.warnings
    return inc.changed


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_sequence_of_edits_gives_what_a_full_build_gives(project: Project) -> None:
    notes = project.root / "notes"
    inc = Incremental(project)
    assert same_as_full(inc, project) is None  # the first build renders everything
    # nothing changed: nothing to render again
    assert same_as_full(inc, project) == frozenset()
    # change a comment under a paper in an existing topic
    research_map = notes / "research-map.md"
    text = research_map.read_text("utf-8")
    line = next(li for li in text.splitlines() if li.lstrip().startswith(("+", "-", "*")))
    edit(research_map, line, line + " (edited remark)")
    changed = same_as_full(inc, project)
    assert changed and len(changed) < 40 and "notes/research-map.md" in changed
    # a remark under a paper: the graph's nodes and links are the same, kept, not made again
    graph = {uri: inc.build().site.files[uri] for uri in GRAPH}
    remark = next(li for li in text.splitlines() if li.startswith(("  +", "  -", "    +")))
    edit(research_map, remark, remark + " (edited remark)")
    changed = same_as_full(inc, project)
    assert changed and len(changed) < 40 and not changed & GRAPH
    assert all(inc.build().site.files[uri] is graph[uri] for uri in GRAPH)
    # add a note in an existing topic, citing a paper already in the garden
    (notes / "zz-new.md").write_text(
        "## Random Matrix Theory\n\n+ https://arxiv.org/abs/2305.18036\n  + why it matters\n"
        "+ see [[No Such Topic]]\n",
        encoding="utf-8",
    )
    changed = same_as_full(inc, project)
    assert "notes/zz-new.md" in changed and "topics/random-matrix-theory.md" in changed
    assert changed >= GRAPH  # a new note: a new node
    # rename it
    (notes / "zz-new.md").rename(notes / "zz-renamed.md")
    changed = same_as_full(inc, project)
    assert {"notes/zz-new.md", "notes/zz-renamed.md"} <= changed
    # a new topic: every page's topic links may change, so all is rendered again
    (notes / "zz-renamed.md").write_text("## A Brand New Topic\n\n+ an idea\n", encoding="utf-8")
    same_as_full(inc, project)
    # a broken note, then fixed
    (notes / "zz-broken.md").write_bytes(b"---\ntitle: [oops\n---\n## A Brand New Topic\n+ x\n")
    same_as_full(inc, project)
    (notes / "zz-broken.md").write_text("## A Brand New Topic\n+ x\n", encoding="utf-8")
    same_as_full(inc, project)
    # delete notes
    (notes / "zz-renamed.md").unlink()
    (notes / "zz-broken.md").unlink()
    same_as_full(inc, project)
    # change bib/: a manual entry's title
    manual = project.root / "bib/manual.bib"
    text = manual.read_text("utf-8")
    start = re.search(r"\btitle\s*=\s*\"\{", text).end()
    manual.write_text(text[:start] + "Retitled: " + text[start:], encoding="utf-8")
    assert same_as_full(inc, project) is None  # bib/ changed: everything again
    assert same_as_full(inc, project) == frozenset()
    # citation data arrives (bib/citations/, what scripts/fetch_citations.py writes)
    citations = project.root / "bib/citations"
    shutil.copytree(ROOT / "tests/fixtures/citations", citations)
    assert same_as_full(inc, project) is None
    assert "Cited here by 9 papers" in inc.build().site.pages["papers/couillet2015kernel.md"]
    assert same_as_full(inc, project) == frozenset()
    # one paper's answer changes: it no longer cites couillet2015kernel
    lee = citations / "lee2017deep.json"
    lee.write_text(lee.read_text("utf-8").replace('"1510.03547",', ""), encoding="utf-8")
    assert same_as_full(inc, project) is None
    assert "Cited here by 8 papers" in inc.build().site.pages["papers/couillet2015kernel.md"]
    # a note edit with citation data present: only what the note touches again
    edit(research_map, "(edited remark)", "(edited twice)")
    changed = same_as_full(inc, project)
    assert changed and len(changed) < 40
    # the data goes again
    shutil.rmtree(citations)
    assert same_as_full(inc, project) is None
    page = inc.build().site.pages["papers/couillet2015kernel.md"]
    assert "Not known yet: no citation data" in page


def test_related_papers_and_note_edits(project: Project) -> None:
    """Related papers are by title and abstract (garden/join/similar.py): a note's words about
    a paper re-render that paper's page only; a paper leaving a topic can change the topic's
    related papers, and the result still equals a full build."""
    inc = Incremental(project)
    same_as_full(inc, project)
    line = "+ https://arxiv.org/abs/2312.01429 Interpretability methods might be misleading."
    remark = ", as in kernel spectral clustering of large dimensional data"  # same line count
    edit(project.root / "notes/research-map.md", line, line[:-1] + remark)
    changed = same_as_full(inc, project)
    assert [uri for uri in changed if uri.startswith("papers/")] == [
        "papers/wen2023transformers.md"
    ]
    assert "feed.xml" in changed  # the note's date (its mtime here) moved
    edit(project.root / "notes/research-map.md", line[:-1] + remark, "+ (line removed)")
    changed = same_as_full(inc, project)
    assert "papers/wen2023transformers.md" in changed
    edit(project.root / "notes/research-map.md", "+ (line removed)", line)
    same_as_full(inc, project)


def test_a_rebuild_empties_the_site_of_what_the_last_build_wrote_but_what_it_keeps(
    tmp_path: Path,
) -> None:
    """What ``mkdocs serve`` leaves of the previous build when it empties the site folder:
    the files it keeps, and what that build did not write (the search index folder, whole:
    readers search it until the next one replaces it); everything else it wrote goes, folders
    left empty too."""
    from garden.incremental import remove_written_but

    written = ["papers/a/index.html", "papers/b/index.html", "topics/t/index.html", "index.html"]
    for path in [*written, "pagefind/shards.json", "pagefind/0/pagefind-entry.json"]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(path, "utf-8")
    (tmp_path / "topics/t/index.html").unlink()  # gone already: its folders go all the same
    remove_written_but(tmp_path, written, {"papers/a/index.html"})
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert left == [
        "pagefind",
        "pagefind/0",
        "pagefind/0/pagefind-entry.json",
        "pagefind/shards.json",
        "papers",
        "papers/a",
        "papers/a/index.html",
    ]
    remove_written_but(tmp_path, ["papers/a/index.html"], set())
    assert not (tmp_path / "papers").exists() and (tmp_path / "pagefind/shards.json").exists()
