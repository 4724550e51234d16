"""``scripts/fetch_citations.py`` against a replay of Semantic Scholar's batch endpoint.

Real HTTP through the real client (``requests``) to ``tests/s2_replay.py`` on 127.0.0.1; the
answers follow S2's documented format (``tests/fixtures/s2/papers.json``). Faults, reruns, the
lock and interruptions as in the arXiv fetch's tests: bib/ is intact or complete after each.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from garden.bibliography.citations import read_records
from garden.bibliography.citations_client import S2Client, S2Config, retry_after
from garden.bibliography.citations_fetch import fetch_citations, garden_papers
from garden.bibliography.library import LibraryError, load_library
from garden.bibliography.storage import fetch_guard
from garden.cli.citations import main
from tests.s2_replay import S2ReplayServer, load_papers

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "fetch_citations.py"
PAPERS = 41  # seed papers with an arXiv ID (arxiv.bib's; manual.bib's 4 have none)
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def s2_server() -> Iterator[S2ReplayServer]:
    with S2ReplayServer() as server:
        yield server
    assert not server.errors, f"replay server errors: {server.errors}"
    assert not server.faults, f"queued faults never served: {list(server.faults)}"


@pytest.fixture
def garden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The committed bib/ (no citation data), as the working directory."""
    shutil.copytree(ROOT / "bib", tmp_path / "bib")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("S2_API_KEY", raising=False)
    monkeypatch.delenv("S2_API_URL", raising=False)
    return tmp_path


def args(server: S2ReplayServer, *extra: str) -> list[str]:
    return ["--api-url", server.url, "--delay", "0", "--timeout", "30", "--retries", "0",
            "--bib", "bib", *extra]  # fmt: skip


def run(server: S2ReplayServer, *extra: str) -> int:
    return main(args(server, *extra))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".fetch.lock"
    }


def citation_files(garden: Path) -> dict[str, dict]:
    return {
        p.stem: json.loads(p.read_text("utf-8"))
        for p in sorted((garden / "bib" / "citations").glob("*.json"))
    }


def test_the_seed_bib_holds_no_citation_data() -> None:
    assert not (ROOT / "bib" / "citations").exists()
    assert load_library(ROOT / "bib").citations == {}


def test_a_full_run_asks_in_s2s_format_and_writes_one_file_per_paper(garden, s2_server, capsys):
    assert run(s2_server) == 0
    (request,) = s2_server.requests
    assert (request.method, request.path) == ("POST", "/graph/v1/paper/batch")
    assert request.query == {"fields": "externalIds,references.externalIds"}
    assert "x-api-key" not in request.headers
    assert request.headers["content-type"] == "application/json"
    eprints = sorted(garden_papers(load_library(garden / "bib")).values())
    assert len(request.ids) == len(eprints) == PAPERS
    assert request.ids == [f"ARXIV:{e}" for e in eprints]
    files = citation_files(garden)
    assert len(files) == PAPERS
    # 2312.01429 cites nothing with an arXiv ID: S2 lists one DOI-only reference
    assert files["wen2023transformers"] == {
        "arxiv": "2312.01429",
        "asked": date.today().isoformat(),
        "paperId": load_papers()["2312.01429"]["paperId"],
        "references": [],
        "withoutArxiv": 1,
    }
    # a reference with "externalIds": null (n % 3 == 0 in the fixture) counts as without
    assert files["louart2017random"]["references"] == ["1510.03547", "1603.06011", "1701.02967"]
    assert files["louart2017random"]["withoutArxiv"] == 2
    err = capsys.readouterr().err
    assert "41 of 41 papers with an arXiv ID have citation data (41 asked, 37 known" in err
    assert "1 request(s) sent" in err


def test_the_files_are_the_committed_page_fixtures(tmp_path, s2_server) -> None:
    """tests/fixtures/citations/ (what the page tests render) is what a fetch writes."""
    bib = tmp_path / "bib"
    shutil.copytree(ROOT / "bib", bib)
    with S2Client(S2Config(s2_server.url, delay=0)) as client:
        fetch_citations(load_library(bib, citations=False), bib, client, today=date(2026, 12, 3))
    assert snapshot(bib / "citations") == snapshot(FIXTURES / "citations")


def test_unknown_ids_get_an_honest_file_and_a_rerun_sends_nothing(garden, s2_server, capsys):
    assert run(s2_server) == 0
    files = citation_files(garden)
    unknown = {key for key, data in files.items() if data["paperId"] is None}
    assert unknown == {
        "adomaityte2023classification",
        "couillet2015kernel",
        "feofanov2023random",
        "ralambomihanta2024scavenging",
    }
    assert files["couillet2015kernel"] == {
        "arxiv": "1510.03547",
        "asked": date.today().isoformat(),
        "paperId": None,
    }
    before = snapshot(garden / "bib")
    s2_server.requests.clear()
    assert run(s2_server) == 0
    assert s2_server.requests == []
    assert snapshot(garden / "bib") == before
    assert run(s2_server, "--dry-run") == 0
    assert capsys.readouterr().out.startswith("would send 0 request(s) to Semantic Scholar")


def test_a_partial_answer_then_refresh_asks_everything_again(garden, s2_server) -> None:
    known = s2_server.papers.pop("2312.01429")  # S2 answers null for it this time
    assert run(s2_server) == 0
    assert citation_files(garden)["wen2023transformers"]["paperId"] is None
    s2_server.papers["2312.01429"] = known  # S2 has it now
    s2_server.requests.clear()
    assert run(s2_server) == 0
    assert s2_server.requests == []  # not asked again without --refresh
    assert run(s2_server, "--refresh") == 0
    assert len(s2_server.asked) == PAPERS
    assert citation_files(garden)["wen2023transformers"]["paperId"] == known["paperId"]


def test_the_dry_run_asks_nothing_and_says_how_long(garden, s2_server, capsys, monkeypatch):
    before = snapshot(garden / "bib")
    assert run(s2_server, "--dry-run", "--batch-size", "15") == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "would send 3 request(s) to Semantic Scholar (about 0 s at 0 s between requests: "
        "the shared pool, no API key)"
    )
    assert out[1].startswith("ids: 41 arXiv ID(s): 1510.03547, 1603.06011, ")
    monkeypatch.setenv("S2_API_KEY", "test-key")
    assert main(["--api-url", s2_server.url, "--bib", "bib", "--dry-run"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "would send 1 request(s) to Semantic Scholar (about 0 s at 1 s between requests: "
        "1 request/s with $S2_API_KEY)"
    )
    monkeypatch.delenv("S2_API_KEY")
    main(["--api-url", s2_server.url, "--bib", "bib", "--dry-run", "--batch-size", "15"])
    assert "(about 6 s at 3 s between requests" in capsys.readouterr().out
    assert s2_server.requests == []
    assert snapshot(garden / "bib") == before
    assert not (garden / "bib" / "citations").exists()


def test_the_api_key_goes_in_the_x_api_key_header(garden, s2_server, monkeypatch) -> None:
    monkeypatch.setenv("S2_API_KEY", "secret-123")
    assert run(s2_server) == 0
    assert s2_server.requests[0].headers["x-api-key"] == "secret-123"


def test_429_is_retried_after_the_retry_after_it_sends(garden, s2_server) -> None:
    s2_server.queue("429:1")
    assert run(s2_server, "--retries", "2") == 0
    first, second = s2_server.requests
    assert first.fault == "429:1" and not second.fault
    assert second.at - first.at >= 1.0  # waited as told, on the wall clock
    assert len(citation_files(garden)) == PAPERS


def test_the_client_waits_retry_after_else_backs_off_and_keeps_its_pace(s2_server) -> None:
    slept: list[float] = []
    config = S2Config(s2_server.url, delay=0.5, retries=3, backoff=2.0)
    s2_server.queue("429:7", "503", "ok")
    with S2Client(config, sleep=slept.append) as client:
        answers = client.batch(["2312.01429", "9912.99999"])
        assert answers[0]["paperId"] == load_papers()["2312.01429"]["paperId"]
        assert answers[1] is None
        assert slept == [7.0, 4.0]  # Retry-After; then 2 × 2 (second retry)
        client.batch(["2312.01429"])  # the next request waits the pace (clock barely moved)
    assert len(slept) == 3 and 0.4 < slept[2] <= 0.5
    assert client.requests == 4


def test_retry_after_reads_seconds_and_http_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC)
    assert retry_after("12") == 12.0
    assert retry_after("Thu, 03 Dec 2026 12:00:30 GMT", now) == 30.0
    assert retry_after("Thu, 03 Dec 2026 11:00:00 GMT", now) == 0.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_500s_until_it_gives_up_exit_2_and_bib_is_intact(garden, s2_server, capsys) -> None:
    before = snapshot(garden / "bib")
    s2_server.queue("500", "500", "500")
    assert run(s2_server, "--retries", "2", "--backoff", "0") == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert errors == [
        "error: Semantic Scholar request failed after 3 tries: HTTP 500 "
        f"({s2_server.url}/paper/batch)"
    ]
    assert len(s2_server.requests) == 3
    assert snapshot(garden / "bib") == before


@pytest.mark.parametrize("fault", ["garbage", "short"])
def test_an_answer_not_in_the_documented_format_is_retried_then_an_error(
    garden, s2_server, capsys, fault
) -> None:
    s2_server.queue(fault, fault)
    assert run(s2_server, "--retries", "1", "--backoff", "0") == 2
    err = capsys.readouterr().err
    assert ("not JSON" if fault == "garbage" else "not a list of 41 papers (40 entries)") in err
    assert not (garden / "bib" / "citations").exists()


def test_a_4xx_is_not_retried(garden, s2_server, capsys) -> None:
    # a wrong base URL: the server's own 404
    assert main(["--api-url", s2_server.url + "/nope", "--delay", "0", "--bib", "bib"]) == 2
    assert len(s2_server.requests) == 1
    assert "HTTP 404: Not found: /graph/v1/nope/paper/batch" in capsys.readouterr().err


def test_a_failure_midway_keeps_the_batches_answered_and_the_rerun_resumes(
    garden, s2_server
) -> None:
    s2_server.queue("ok", "500")
    assert run(s2_server, "--batch-size", "15") == 2
    assert len(citation_files(garden)) == 15
    answered = s2_server.requests[0].ids
    s2_server.requests.clear()
    assert run(s2_server, "--batch-size", "15") == 0
    assert len(s2_server.requests) == 2  # 26 left: 15 + 11
    assert not set(answered) & set(s2_server.asked)  # the answered batch is not asked again
    assert len(citation_files(garden)) == PAPERS


def spawn(garden: Path, server: S2ReplayServer, *extra: str) -> subprocess.Popen:
    """The fetch in a process of its own, which Ctrl-C (SIGINT) interrupts even when this one
    ignores it (started in the background by a non-interactive shell, which ignores SIGINT for
    it: Python then leaves it ignored, and a child inherits that)."""
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), *args(server, *extra)],
        cwd=garden,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def test_an_interrupted_run_exits_130_and_the_next_resumes(garden, s2_server) -> None:
    s2_server.queue("ok", "gate")  # the second batch is held: the process is mid-request
    process = spawn(garden, s2_server, "--batch-size", "15")
    assert s2_server.wait_for(2)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.endswith(
        "interrupted: bib/citations/ keeps every batch answered so far; run again to resume\n"
    )
    s2_server.open_gate()
    assert len(citation_files(garden)) == 15
    assert not list((garden / "bib" / "citations").glob(".*.tmp"))
    answered = set(s2_server.requests[0].ids)
    s2_server.requests.clear()
    assert run(s2_server, "--batch-size", "15") == 0
    assert not answered & set(s2_server.asked)
    assert len(s2_server.asked) == PAPERS - 15


def test_progress_is_one_line_per_request_off_a_terminal(garden, s2_server) -> None:
    out, err = spawn(garden, s2_server, "--batch-size", "15").communicate(timeout=60)
    lines = [line for line in err.splitlines() if line.startswith("fetch: request")]
    assert lines == [
        "fetch: request 1 of 3: batch of 15 arXiv ID(s)",
        "fetch: request 2 of 3: batch of 15 arXiv ID(s)",
        "fetch: request 3 of 3: batch of 11 arXiv ID(s)",
    ]


def test_it_waits_for_the_same_lock_as_the_arxiv_fetch(garden, s2_server, capsys) -> None:
    with fetch_guard(garden / "bib"):
        assert run(s2_server) == 4
    assert "another fetch holds bib/.fetch.lock" in capsys.readouterr().err
    assert s2_server.requests == []


def test_a_corrupt_file_stops_the_build_and_the_fetch_repairs_it(garden, s2_server, caplog):
    assert run(s2_server) == 0
    path = garden / "bib" / "citations" / "wen2023transformers.json"
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(LibraryError, match=r"^bib/citations/wen2023transformers.json:\d+:\d+: "):
        load_library(garden / "bib")
    s2_server.requests.clear()
    assert run(s2_server) == 0
    assert s2_server.asked == ["ARXIV:2312.01429"]
    assert path.read_bytes() == good
    assert any("asking Semantic Scholar again" in m for m in caplog.messages)


def test_stale_files_and_temp_files_are_removed(garden, s2_server, capsys) -> None:
    assert run(s2_server) == 0
    folder = garden / "bib" / "citations"
    (folder / "gone2020paper.json").write_text(
        '{"arxiv": "2001.00001", "asked": "2026-01-01", "paperId": null}\n', "utf-8"
    )
    (folder / ".wen2023transformers.json.x1y2.tmp").write_text("half", "utf-8")
    assert run(s2_server) == 0
    err = capsys.readouterr().err
    assert "notice: removed bib/citations/.wen2023transformers.json.x1y2.tmp" in err
    assert "1 removed" in err
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith((".", "gone"))) == []


def test_a_paper_whose_arxiv_id_changed_is_asked_again(garden, s2_server) -> None:
    assert run(s2_server) == 0
    path = garden / "bib" / "citations" / "wen2023transformers.json"
    data = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps({**data, "arxiv": "2312.00000"}), "utf-8")
    assert "wen2023transformers" not in {  # the build ignores it meanwhile
        k for k, r in read_records(garden / "bib").items() if r.arxiv == "2312.01429"
    }
    s2_server.requests.clear()
    assert run(s2_server) == 0
    assert s2_server.asked == ["ARXIV:2312.01429"]


def test_help_documents_the_exit_codes(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    for words in ("0 done", "1 --dry-run: something would be asked", "2 usage or network",
                  "3 bib/ is broken", "4 another fetch holds", "130 interrupted"):  # fmt: skip
        assert words in out


def test_a_key_that_cannot_name_a_file_is_left_out_with_a_warning(garden, s2_server, caplog):
    manual = garden / "bib" / "manual.bib"
    manual.write_text(
        manual.read_text("utf-8") + '\n@misc{odd/key,\n  title = "{Odd}",\n'
        '  eprint = "2001.00001"\n}\n',
        "utf-8",
    )
    assert "odd/key" in load_library(garden / "bib").papers
    assert run(s2_server) == 0
    assert "ARXIV:2001.00001" not in s2_server.asked
    assert "bib key 'odd/key' cannot name a file in bib/citations/: not asked" in caplog.messages
