"""``fetch``: hand-built references → ``bib/``, against the replay server over HTTP."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from garden.bibliography.client import ArxivClient, FetchError
from garden.bibliography.csl import citations, format_citations, item_hash
from garden.bibliography.fetch import fetch, plan_fetch
from garden.bibliography.keys import KEY_PATTERN
from garden.bibliography.library import load_library
from garden.references.model import PaperRef, RefKind

from .conftest import synthetic_records

ROOT = Path(__file__).resolve().parents[2]
NEIGHBOURS = ("2003.06413", "1806.07572", "1612.04642", "2206.04301", "2006.16236",
              "2506.22084", "2405.17969", "2202.05262", "2209.10652")  # fmt: skip


def ref(kind: RefKind, value: str, line: int, title: str = "", text: str = "") -> PaperRef:
    return PaperRef(kind, value, "notes/x.md", line, text or title or value, title)


def title_ref(title: str, line: int) -> PaperRef:
    from garden.text import normalize

    return ref(RefKind.TITLE, normalize(title), line, title)


REFS = [
    ref(RefKind.ARXIV, "2310.05918", 1, "Grokking as Compression: A Nonlinear Complexity Persp."),
    ref(RefKind.ARXIV, "2307.10169", 2, "LLM tasks taxonomy"),
    ref(RefKind.ARXIV, "2310.05918", 3),  # the same paper again
    title_ref("Two-way kernel matrix puncturing:", 4),
    title_ref("Random Matrix Improved **Subspace Clustering**", 5),  # manual.bib
    title_ref("Knowledge Circuit", 6),  # a neighbour's title: unresolved
]  # fmt: skip


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    folder = tmp_path / "bib"
    folder.mkdir()
    shutil.copy(ROOT / "bib" / "manual.bib", folder / "manual.bib")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_first_run_resolves_and_writes(bib, arxiv_client, arxiv_server):
    outcome = fetch(REFS, bib, arxiv_client)
    refmap = json.loads((bib / "refmap.json").read_text("utf-8"))
    assert (
        refmap
        == outcome.refmap
        == {
            "arxiv:2307.10169": "kaddour2023challenges",
            "arxiv:2310.05918": "liu2023grokking",
            "title:knowledge circuit": "unresolved",
            "title:random matrix improved subspace clustering": "couillet2016random",
            "title:two way kernel matrix puncturing": "couillet2021two",
        }
    )
    assert [r.line for r in outcome.unresolved] == [6]
    assert outcome.notices == (
        "notes/x.md:2: the note says 'LLM tasks taxonomy'; arXiv 2307.10169 is titled "
        "'Challenges and Applications of Large Language Models'",
    )
    # one id_list request for both IDs, one search per title not settled locally
    assert [sorted(r.ids) for r in arxiv_server.requests] == [["2307.10169", "2310.05918"], [], []]
    assert outcome.requests == 3
    text = (bib / "arxiv.bib").read_text("utf-8")
    assert all(n not in text for n in NEIGHBOURS)
    assert all(KEY_PATTERN.match(k) for k in refmap.values())
    # each paper's citations, formatted now so that a build need not
    library = load_library(bib)
    assert set(library.styled) == set(library.papers) >= set(refmap.values()) - {"unresolved"}
    for key, paper in library.papers.items():
        assert library.styled[key]["hash"] == item_hash(paper)
        assert citations(paper, library.styled[key]) == format_citations(paper)


def test_second_run_sends_nothing_and_changes_nothing(bib, arxiv_config, arxiv_server):
    with ArxivClient(arxiv_config) as client:
        fetch(REFS, bib, client)
    before, asked = snapshot(bib), len(arxiv_server.requests)
    with ArxivClient(arxiv_config) as client:
        outcome = fetch(REFS, bib, client)
    assert outcome.requests == 0 and len(arxiv_server.requests) == asked
    assert snapshot(bib) == before


def test_refresh_asks_again_and_keeps_keys(bib, arxiv_config, arxiv_server):
    with ArxivClient(arxiv_config) as client:
        first = fetch(REFS, bib, client)
    before = snapshot(bib)
    with ArxivClient(arxiv_config) as client:
        again = fetch(REFS, bib, client, refresh=True)
    assert again.requests == 3 and again.refmap == first.refmap
    assert snapshot(bib) == before


def test_new_reference_only_asks_for_itself(bib, arxiv_config, arxiv_server):
    with ArxivClient(arxiv_config) as client:
        fetch(REFS, bib, client)
    arxiv_server.requests.clear()
    more = [*REFS, ref(RefKind.ARXIV, "2309.10668", 9, "LLM s are compression")]
    with ArxivClient(arxiv_config) as client:
        outcome = fetch(more, bib, client)
    assert [r.ids for r in arxiv_server.requests] == [["2309.10668"]]
    assert outcome.refmap["arxiv:2309.10668"] == "deletang2023language"


@pytest.mark.parametrize("fault", ["503", "429", "garbage", "truncated", "hang"])
def test_a_failing_run_leaves_bib_byte_identical(bib, arxiv_config, arxiv_server, fault):
    with ArxivClient(arxiv_config) as client:
        fetch(REFS[:2], bib, client)
    before = snapshot(bib)
    arxiv_server.queue(fault, fault, fault)  # every try of the next request fails
    with ArxivClient(arxiv_config) as client, pytest.raises(FetchError):
        fetch(REFS, bib, client)
    assert snapshot(bib) == before


def test_an_interrupted_run_keeps_its_batches_and_resumes(bib, arxiv_config, arxiv_server):
    arxiv_server.queue("ok", "503", "503", "503")  # the ID batch works, the first search fails
    with ArxivClient(arxiv_config) as client, pytest.raises(FetchError):
        fetch(REFS, bib, client)
    saved = json.loads((bib / "refmap.json").read_text("utf-8"))
    assert saved["arxiv:2310.05918"] == "liu2023grokking"
    arxiv_server.requests.clear()
    with ArxivClient(arxiv_config) as client:
        outcome = fetch(REFS, bib, client)
    assert outcome.requests == 2  # only the two title searches are left
    assert [r.params["search_query"][:6] for r in arxiv_server.requests] == ["ti:two", "ti:kno"]


def test_missing_ids_are_unresolved(bib, arxiv_client):
    outcome = fetch([ref(RefKind.ARXIV, "2401.99999", 1)], bib, arxiv_client)
    assert outcome.refmap == {"arxiv:2401.99999": "unresolved"}
    assert [r.where for r in outcome.unresolved] == ["notes/x.md:1"]


def test_more_than_100_ids_take_two_id_list_requests(bib, arxiv_client, arxiv_server):
    arxiv_server.records.extend(synthetic_records(130))
    refs = [ref(RefKind.ARXIV, f"9901.{n:05d}", n + 1) for n in range(130)]
    outcome = fetch(refs, bib, arxiv_client)
    assert [len(r.ids) for r in arxiv_server.requests] == [100, 30]
    assert len(set(outcome.refmap.values())) == 130  # 130 distinct keys (b, c, … suffixes)
    assert plan_fetch(refs, bib).requests == 0


def test_overrides_win(bib, arxiv_client, arxiv_server):
    (bib / "overrides.yaml").write_text(
        'arxiv:\n  "Knowledge Circuit": "2405.17969"\n'
        "not-a-paper:\n  - https://youtu.be/abc\n"
        'not-on-arxiv:\n  "Some Web Essay On Things": null\n',
        encoding="utf-8",
    )
    refs = [
        title_ref("Knowledge Circuit", 1),
        ref(RefKind.URL, "https://youtu.be/abc", 2),
        title_ref("Some web essay on things", 3),
    ]
    outcome = fetch(refs, bib, arxiv_client)
    assert outcome.refmap == {
        "title:knowledge circuit": "yao2024knowledge",
        "url:https://youtu.be/abc": "not-a-paper",
        "title:some web essay on things": "not-on-arxiv",
    }
    assert [r.ids for r in arxiv_server.requests] == [["2405.17969"]]


def test_dropped_references_leave_the_bib(bib, arxiv_client):
    fetch(REFS, bib, arxiv_client)
    outcome = fetch(REFS[:1], bib, arxiv_client)
    assert outcome.refmap == {"arxiv:2310.05918": "liu2023grokking"}
    assert "2307.10169" not in (bib / "arxiv.bib").read_text("utf-8")
