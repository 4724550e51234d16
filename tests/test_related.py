"""Related papers (garden/join/similar.py): plausible on the seed garden, deterministic, never
the paper itself, empty without an abstract; rendered escaped; the cache by content hash."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from garden import workers
from garden.bibliography.library import Library, Paper, load_library
from garden.join import build_garden
from garden.join import similar as similar_mod
from garden.notes import load_notes, parse_note
from garden.pages.paper_page import RELATED_ID, section_heading
from garden.pages.site import generate_site

ROOT = Path(__file__).resolve().parents[1]
# a paper page's, as the page's Markdown holds it (without the HTML parts' marks)
RELATED_HEADING = f'<h2 id="{RELATED_ID}">Related papers</h2>'
assert RELATED_HEADING in section_heading("Related papers", RELATED_ID)
RMT_TERMS = {"random", "matrix", "random matrix", "matrix theory", "spectral", "eigenvalue"}


@pytest.fixture(scope="module")
def seed():
    notes = load_notes(ROOT / "notes", ROOT)
    return notes, load_library(ROOT / "bib")


def test_a_random_matrix_papers_neighbours_are_random_matrix_papers(seed) -> None:
    garden = build_garden(*seed)
    neighbours = garden.similar.papers["louart2017random"]
    assert len(neighbours) >= 3
    titles = [garden.library.papers[n.key].title.lower() for n in neighbours]
    # most of them are random-matrix papers, and each says so with a shared RMT term
    assert sum("random matri" in t for t in titles) >= 2, titles
    assert sum(bool(RMT_TERMS & set(n.terms)) for n in neighbours) >= 3, neighbours
    # and the two white-box transformer papers (two versions of one) find each other first
    assert garden.similar.papers["yu2023white"][0].key == "yu2023whiteb"
    # the field-theory papers find each other
    assert garden.similar.papers["demirtas2023neural"][0].key == "halverson2020neural"


def test_never_itself_at_most_k_above_the_floor_best_first(seed) -> None:
    garden = build_garden(*seed)
    shown = 0
    for key, neighbours in garden.similar.papers.items():
        assert key not in {n.key for n in neighbours}
        assert len(neighbours) <= similar_mod.MAX_PAPERS
        scores = [n.score for n in neighbours]
        assert scores == sorted(scores, reverse=True)
        assert all(s >= similar_mod.MIN_SIMILARITY - 1e-4 for s in scores)
        assert all(n.terms for n in neighbours)
        shown += bool(neighbours)
    assert shown > len(garden.similar.papers) // 2  # most seed papers have some
    for topic in garden.topics:
        outside = {n.key for n in garden.similar.topics[topic.slug]}
        assert not outside & set(topic.paper_keys), topic.slug
        assert len(outside) <= similar_mod.MAX_TOPIC


def test_deterministic_and_independent_of_order(seed) -> None:
    notes, library = seed
    first = build_garden(notes, library).similar
    shuffled = Library(dict(reversed(list(library.papers.items()))), library.refmap)
    again = build_garden(list(notes), shuffled).similar
    assert {k: [n.shown for n in v] for k, v in first.papers.items()} == {
        k: [n.shown for n in v] for k, v in again.papers.items()
    }
    assert first.topics.keys() == again.topics.keys()


def test_no_abstract_no_related_papers_and_nobody_s(seed) -> None:
    notes, library = seed
    papers = dict(library.papers)
    papers["louart2017random"] = replace(papers["louart2017random"], abstract="")
    garden = build_garden(notes, Library(papers, library.refmap))
    assert "louart2017random" not in garden.similar.papers
    assert all(n.key != "louart2017random" for ns in garden.similar.papers.values() for n in ns)
    page = generate_site(garden).pages["papers/louart2017random.md"]
    assert RELATED_HEADING not in page and "Related papers" not in page
    assert RELATED_HEADING in generate_site(garden).pages["papers/louart2020concentration.md"]


def _paper(key: str, title: str, abstract: str) -> Paper:
    return Paper(key, title, ("A B",), year="2020", abstract=abstract)


def test_unrelated_papers_are_not_shown_and_text_is_escaped() -> None:
    papers = {
        "a": _paper("a", "Spectra of <b>random</b> kernel matrices", "random kernel matrices"),
        "b": _paper("b", "Random kernel matrices, again", "spectra of random kernel matrices"),
        "c": _paper("c", "Bird migration", "songbirds fly south in autumn"),
    }
    garden = build_garden([parse_note("## T\n", "notes/n.md", stem="n")], Library(papers, {}))
    assert [n.key for n in garden.similar.papers["a"]] == ["b"]
    assert garden.similar.papers["c"] == ()
    page = generate_site(garden).pages["papers/b.md"]
    related = page.split(RELATED_HEADING)[1]
    assert "&lt;b&gt;random&lt;/b&gt;" in related and "<b>" not in related
    assert "shared terms: <em>" in related


def test_a_notes_comment_does_not_move_related_papers(seed) -> None:
    """Related papers are by what a paper is (title, abstract): a note's words about it do
    not change them, so an edit to a note re-renders no other paper's related papers."""
    notes, library = seed
    before = build_garden(notes, library).similar.papers["wen2023transformers"]
    text = (ROOT / "notes/research-map.md").read_text("utf-8")
    line = next(li for li in text.splitlines() if "2312.01429" in li or "myopic" in li)
    remark = (
        "\n  + kernel spectral clustering, kernel spectral clustering of large dimensional data"
    )
    edited = [
        parse_note(text.replace(line, line + remark, 1), n.path, stem=n.slug)
        if n.path == "notes/research-map.md"
        else n
        for n in notes
    ]
    after = build_garden(edited, library).similar.papers["wen2023transformers"]
    assert [n.shown for n in after] == [n.shown for n in before]


def _counting(monkeypatch, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(similar_mod, name)
    monkeypatch.setattr(similar_mod, name, lambda *a: calls.append(1) or real(*a))
    return calls


def test_cache_by_content_hash(seed, monkeypatch) -> None:
    notes, library = seed
    cache: dict = {}
    first = build_garden(notes, library, similar_cache=cache).similar
    first_topics = dict(first.topics)
    vectors, topics = (
        _counting(monkeypatch, "vectorize"),
        _counting(monkeypatch, "topic_neighbours"),
    )
    again = build_garden(notes, library, similar_cache=cache).similar
    assert again is first and vectors == [] and topics == []  # same texts: from the cache
    # a topic loses a paper (a note edit): only the topics' part is computed again
    fewer = [replace(notes[0], topics=notes[0].topics[1:]), *notes[1:]]
    moved = build_garden(fewer, library, similar_cache=cache).similar
    assert moved.papers is first.papers and topics == []  # the topics' part: when first read
    assert dict(moved.topics) != first_topics
    assert vectors == [] and topics == [1]
    # a paper's abstract changes (bib/): everything again, and only the latest kept
    papers = dict(library.papers)
    papers["wen2023transformers"] = replace(papers["wen2023transformers"], abstract="changed")
    changed = build_garden(notes, Library(papers, library.refmap), similar_cache=cache).similar
    assert changed is not first and len(changed.topics) == len(first_topics)
    assert vectors == [1] and topics == [1, 1]
    assert len(cache) == 3  # the vectors, one garden's topics, the texts' digest


def test_blocks_give_the_same_result(seed, monkeypatch) -> None:
    garden = build_garden(*seed)
    whole = {k: [n.shown for n in v] for k, v in garden.similar.papers.items()}
    monkeypatch.setattr(similar_mod, "BLOCK", 7)
    blocked = build_garden(*seed).similar
    assert {k: [n.shown for n in v] for k, v in blocked.papers.items()} == whole
    assert {k: [n.shown for n in v] for k, v in blocked.topics.items()} == {
        k: [n.shown for n in v] for k, v in garden.similar.topics.items()
    }


def test_vectors_from_a_forked_process_are_the_ones_computed_here(seed, monkeypatch) -> None:
    """``build_pages`` computes the papers' vectors in a child process while it reads the notes
    (similar.vectorize_beside): the garden gets the same related papers, without computing
    them again."""

    notes, library = seed
    here = build_garden(notes, library).similar
    monkeypatch.setattr(similar_mod, "FORK_AT", 2)
    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    monkeypatch.setattr(workers, "_threaded", lambda: False)  # pytest may run other threads
    cache: dict = {}
    similar_mod.vectorize_beside(library)(cache)
    assert len(cache) == 2  # the vectors, and the texts they are of
    calls = _counting(monkeypatch, "vectorize")
    beside = build_garden(notes, library, similar_cache=cache).similar
    assert calls == []  # taken from what the child sent
    assert beside.papers == here.papers and beside.topics == here.topics
    # joined only when the garden first reads its related papers (garden.build)
    cache = {}
    joined = []
    seed = similar_mod.vectorize_beside(library)
    similar_mod.seed_when_read(cache, lambda c: joined.append(1) or seed(c))
    lazy = build_garden(notes, library, similar_cache=cache)
    assert joined == []
    assert lazy.similar.papers == here.papers and joined == [1]
    assert lazy.similar.topics == here.topics and joined == [1] and calls == []
    # one worker: nothing forked, the garden computes them when asked
    monkeypatch.setenv(workers.WORKERS_ENV, "1")
    cache = {}
    similar_mod.vectorize_beside(library)(cache)
    assert cache == {}


def test_the_build_process_never_loads_scikit_learn_when_a_child_computes_the_vectors() -> None:
    """scikit-learn is ~60 MB of a process's memory: in a garden large enough for the vectors
    to be computed in a forked child (vectorize_beside), only the child imports it; the build's
    own process, and the workers later forked from it to render pages, never hold it. Run in a
    fresh interpreter: this test process may have imported it for the tests above."""
    script = """
import os, sys
from pathlib import Path
from garden import workers
from garden.bibliography.library import load_library
from garden.join import similar
import hooks  # noqa: F401 - the build's hook module, with all it imports
assert "sklearn" not in sys.modules, "imported with the modules"
similar.FORK_AT = 2
workers._threaded = lambda: False
cache = {}
similar.vectorize_beside(load_library(Path("bib")))(cache)
assert len(cache) == 2, cache.keys()
assert "sklearn" not in sys.modules, "imported to receive the child's vectors"
print("ok")
"""
    env = {**os.environ, workers.WORKERS_ENV: "2", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def _both_ways(texts: dict[str, str]) -> tuple[dict, dict]:
    vectors = similar_mod.vectorize(texts)
    keys, matrix, terms = vectors.keys, vectors.matrix, vectors.terms
    whole = similar_mod._nearest(
        matrix, keys, matrix, keys, terms, similar_mod.MAX_PAPERS, lambda i: [i]
    )
    return vectors.papers, whole


def test_a_papers_neighbours_are_the_ones_the_whole_rows_give(seed) -> None:
    """The papers' neighbours come from each row's few highest similarities
    (sparse-dot-topn): the same, score and why included, as from the whole rows."""
    fast, whole = _both_ways(similar_mod.library_texts(seed[1]))
    assert fast == whole and sum(map(len, fast.values())) > 50


def test_ties_at_the_cut_are_broken_as_the_whole_rows_break_them(monkeypatch) -> None:
    """Twelve copies of a text: every copy has eleven others at similarity 1, more than a
    row's kept highest; those rows are computed in full, and the copies come in key order."""
    base = "Spectral clustering of random kernel matrices in high dimension."
    texts = {f"copy{n:02d}": base for n in range(12)}
    texts |= {
        "other1": "Diffusion models for image generation with score matching.",
        "other2": "Score matching and denoising diffusion for images.",
        "other3": "Kernel matrices of random features in high dimension.",
    }
    texts = dict(sorted(texts.items()))
    calls = _counting(monkeypatch, "_nearest")
    similar_mod.vectorize(texts)
    assert calls == [1]  # the tied rows, computed in full
    monkeypatch.undo()
    fast, whole = _both_ways(texts)
    assert fast == whole
    assert [n.key for n in fast["copy05"]] == ["copy00", "copy01", "copy02", "copy03", "copy04"]
    assert [n.key for n in fast["other1"]][:1] == ["other2"]


def _topics_both_ways(texts: dict[str, str], members: dict[str, list[int]]) -> tuple[dict, dict]:
    """The topics' neighbours as computed (sparse-dot-topn) and from the whole rows."""
    vectors = similar_mod.vectorize(texts)
    keys, matrix, terms = vectors.keys, vectors.matrix, vectors.terms
    fast = similar_mod._topic_neighbours(matrix, keys, terms, members)
    calls: list[int] = []
    real = similar_mod._nearest_outside

    def whole_rows(left, names, matrix, keys, terms, k, excluded, threads=1):  # noqa: ANN001, ANN202
        calls.append(1)
        return similar_mod._nearest(left, names, matrix, keys, terms, k, lambda t: excluded[t])

    similar_mod._nearest_outside = whole_rows
    try:
        whole = similar_mod._topic_neighbours(matrix, keys, terms, members)
    finally:
        similar_mod._nearest_outside = real
    assert calls == [1]
    return fast, whole


def test_a_topics_neighbours_are_the_ones_the_whole_rows_give(seed) -> None:
    """A topic's related papers come from its centroid's highest similarities
    (sparse-dot-topn): the same, score and why included, as from the whole rows; the topics
    of the seed garden, and random groups of its papers, one holding most of them."""
    notes, library = seed
    garden = build_garden(notes, library)
    texts = similar_mod.library_texts(library)
    index = {key: i for i, key in enumerate(texts)}
    members = {
        t.slug: sorted({index[k] for k in t.paper_keys if k in index}) for t in garden.topics
    }
    rng = random.Random(3)
    for n in range(30):
        members[f"random-{n}"] = sorted(rng.sample(range(len(texts)), rng.randint(1, 6)))
    members["most"] = list(range(len(texts)))[5:]
    fast, whole = _topics_both_ways(texts, members)
    assert fast == whole and sum(map(len, fast.values())) > 100


def test_a_topics_ties_at_the_cut_are_broken_as_the_whole_rows_break_them(monkeypatch) -> None:
    """Fourteen copies of one text, a topic of two of them: twelve papers tie at the cut,
    more than a row keeps, so the row is computed in full, and the copies come in key order."""
    base = "Spectral clustering of random kernel matrices in high dimension."
    texts = {f"copy{n:02d}": base for n in range(14)}
    others = [
        "Diffusion models for image generation with score matching.",
        "Score matching and denoising diffusion for images.",
        "Transformers learn in context by gradient descent.",
        "Grokking of modular arithmetic in small networks.",
        "Neural scaling laws for language models.",
        "Sparse autoencoders find interpretable features.",
    ]
    texts |= {f"other{n}": text for n, text in enumerate(others)}
    texts = dict(sorted(texts.items()))
    members = {"pair": [0, 1], "diffusion": [14, 15]}
    calls = _counting(monkeypatch, "_nearest")
    fast, whole = _topics_both_ways(texts, members)
    # the copies' own rows (their papers' neighbours tie too), the topic's tied row, then the
    # whole rows the fast ones are compared with
    assert calls == [1, 1, 1]
    assert fast == whole
    assert [n.key for n in fast["pair"]] == ["copy02", "copy03", "copy04", "copy05", "copy06"]
