"""``scripts/fetch_arxiv.py``'s contract: the seed notes end to end, exit codes 0/1/2."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from garden.cli.fetch import main
from tests.arxiv_replay import ReplayServer

ROOT = Path(__file__).resolve().parents[2]
NEIGHBOURS = ("2003.06413", "1806.07572", "1612.04642", "2206.04301", "2006.16236",
              "2506.22084", "2405.17969", "2202.05262", "2209.10652")  # fmt: skip


@pytest.fixture
def garden(tmp_path: Path) -> Path:
    """A copy of the seed notes and the hand-kept part of bib/ (no arxiv.bib, no refmap)."""
    shutil.copytree(ROOT / "notes", tmp_path / "notes")
    (tmp_path / "bib").mkdir()
    for name in ("manual.bib", "overrides.yaml"):
        shutil.copy(ROOT / "bib" / name, tmp_path / "bib" / name)
    return tmp_path


def run(garden: Path, server: ReplayServer, *extra: str) -> int:
    args = ["--api-url", server.url, "--delay", "0", "--timeout", "0.3", "--retries", "0"]
    return main([*args, "--notes", str(garden / "notes"), "--bib", str(garden / "bib"), *extra])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_seed_notes_rebuild_the_committed_bib(garden, arxiv_server, capsys):
    assert run(garden, arxiv_server) == 0
    bib = garden / "bib"
    assert (bib / "arxiv.bib").read_bytes() == (ROOT / "bib" / "arxiv.bib").read_bytes()
    assert (bib / "refmap.json").read_bytes() == (ROOT / "bib" / "refmap.json").read_bytes()
    id_lists = [r for r in arxiv_server.requests if r.ids]
    searches = [r for r in arxiv_server.requests if not r.ids]
    assert [len(r.ids) for r in id_lists] == [22]  # every linked paper in one request
    assert len(searches) == 22  # one per title not settled by manual.bib or overrides
    text = (bib / "arxiv.bib").read_text("utf-8")
    assert text.count("@misc{") == 41  # 22 linked + 19 more found by title
    assert not [n for n in NEIGHBOURS if n in text]
    refmap = json.loads((bib / "refmap.json").read_text("utf-8"))
    assert "unresolved" not in refmap.values()
    assert "0 unresolved" in capsys.readouterr().err


def test_second_run_sends_no_request(garden, arxiv_server):
    assert run(garden, arxiv_server) == 0
    before, asked = snapshot(garden / "bib"), len(arxiv_server.requests)
    assert run(garden, arxiv_server) == 0
    assert len(arxiv_server.requests) == asked
    assert snapshot(garden / "bib") == before


def test_dry_run_lists_and_asks_nothing(garden, arxiv_server, capsys):
    assert run(garden, arxiv_server, "--dry-run") == 1  # bib/ lacks papers: CI fails on it
    out = capsys.readouterr().out
    assert out.startswith("would send 23 request(s) to arXiv\nid_list: 22 ID(s): 1812.03403,")
    assert "search: notes/research-map.md:28: Two-way kernel matrix puncturing" in out
    assert arxiv_server.requests == []
    assert sorted(p.name for p in (garden / "bib").iterdir()) == ["manual.bib", "overrides.yaml"]


def test_unresolved_references_exit_1_and_are_listed(garden, arxiv_server, capsys):
    extra = garden / "notes" / "extra.md"
    extra.write_text("# Extra\n\n+ Gardening With Quantum Hedgehogs In Winter\n", "utf-8")
    assert run(garden, arxiv_server) == 1
    out = capsys.readouterr().out
    assert "notes/extra.md:3: Gardening With Quantum Hedgehogs In Winter\n" in out


@pytest.mark.parametrize("fault", ["503", "429", "garbage", "hang"])
def test_network_failure_exits_2_with_one_line_and_bib_untouched(
    garden, arxiv_server, capsys, fault
):
    assert run(garden, arxiv_server) == 0
    capsys.readouterr()
    before = snapshot(garden / "bib")
    (garden / "notes" / "extra.md").write_text("+ https://arxiv.org/abs/2006.16236\n", "utf-8")
    arxiv_server.queue(fault)
    assert run(garden, arxiv_server) == 2
    err = capsys.readouterr().err
    assert err.startswith("fetch: request 1 of 1: id_list with 1 arXiv ID(s)\n")  # not a tty
    err = err.split("\n", 1)[1]
    assert re.fullmatch(r"error: arXiv request failed after 1 try: .+\n", err.split("WARNING")[0])
    assert "Traceback" not in err
    assert snapshot(garden / "bib") == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--api-url", "ftp://example.org/api"], "is not an http(s) URL"),
        (["--delay", "-1"], "must be ≥ 0"),
        (["--notes", "/nonexistent/notes"], "no such notes folder"),
    ],
)
def test_usage_errors_exit_2(garden, arxiv_server, capsys, args, message):
    base = ["--api-url", arxiv_server.url, "--notes", str(garden / "notes")]
    assert main([*base, "--bib", str(garden / "bib"), *args]) == 2
    assert message in capsys.readouterr().err
    assert arxiv_server.requests == []


def test_script_runs_as_a_program(garden, arxiv_server):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "fetch_arxiv.py"), "--dry-run",
         "--notes", str(garden / "notes"), "--bib", str(garden / "bib")],
        capture_output=True, text=True, check=False,
        env={"ARXIV_API_URL": arxiv_server.url, "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # bib/ lacks the papers
    assert done.stdout.startswith("would send 23 request(s)")
