"""The fetch under faults (issue 13): each case ends with one clear line naming the file (and
line), a distinct exit code, and ``bib/`` either unchanged or complete.

Everything runs against the replay server over real HTTP with the real ``arxiv`` client;
concurrency and ``kill -9`` use real processes, synchronised through the server's ``gate``
fault (a request held until the test lets it through), never through sleeps or timings.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from garden.bibliography.fetch import fetch
from garden.bibliography.library import LibraryError, load_library
from garden.bibliography.storage import fetch_guard
from garden.cli.fetch import main
from garden.references.model import PaperRef, RefKind
from tests.arxiv_replay import ReplayServer

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "fetch_arxiv.py"
SEED_REQUESTS = 23  # one id_list for the 22 linked papers + 22 title searches (test_bib_cli)


@pytest.fixture
def garden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed notes and the hand-kept part of bib/; the working directory, so messages
    name ``bib/...`` as a user running from the project root sees them."""
    shutil.copytree(ROOT / "notes", tmp_path / "notes")
    (tmp_path / "bib").mkdir()
    for name in ("manual.bib", "overrides.yaml"):
        shutil.copy(ROOT / "bib" / name, tmp_path / "bib" / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def args(server: ReplayServer, *extra: str) -> list[str]:
    return ["--api-url", server.url, "--delay", "0", "--timeout", "30", "--retries", "0",
            "--notes", "notes", "--bib", "bib", *extra]  # fmt: skip


def run(server: ReplayServer, *extra: str) -> int:
    """The CLI in this process (faster); the working directory is the garden."""
    return main(args(server, *extra))


def spawn(garden: Path, server: ReplayServer, *extra: str, prefix: tuple[str, ...] = ()):
    """The CLI as its own process, stderr a pipe (not a terminal), as in CI."""
    return subprocess.Popen(
        [*prefix, sys.executable, str(SCRIPT), *args(server, *extra)],
        cwd=garden,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != ".fetch.lock"}


def assert_complete(bib: Path) -> None:
    """bib/ is what the seed notes resolve to: the committed arxiv.bib and refmap.json."""
    assert (bib / "arxiv.bib").read_bytes() == (ROOT / "bib" / "arxiv.bib").read_bytes()
    assert (bib / "refmap.json").read_bytes() == (ROOT / "bib" / "refmap.json").read_bytes()
    assert not list(bib.glob(".*.tmp"))


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error: ")]


# --- 1. two fetches at once ------------------------------------------------------------------


def test_a_second_fetch_exits_4_while_the_first_holds_the_lock(garden, arxiv_server):
    arxiv_server.queue("gate")  # A's first request is held: A is provably mid-run
    first = spawn(garden, arxiv_server)
    assert arxiv_server.wait_for(1)
    second = spawn(garden, arxiv_server)
    code, out, err = finish(second)
    assert code == 4
    assert err == (
        f"error: another fetch holds bib/.fetch.lock (pid {first.pid}); wait for it or remove "
        "the lock if it died (--wait SECONDS waits for it)\n"
    )
    assert len(arxiv_server.requests) == 1  # the second one asked nothing
    arxiv_server.open_gate()
    code, out, err = finish(first)
    assert code == 0, err
    assert_complete(garden / "bib")
    assert len(arxiv_server.requests) == SEED_REQUESTS  # not doubled


def test_a_second_fetch_with_wait_runs_after_the_first_and_asks_nothing(garden, arxiv_server):
    arxiv_server.queue("gate")
    first = spawn(garden, arxiv_server)
    assert arxiv_server.wait_for(1)
    second = spawn(garden, arxiv_server, "--wait", "120")
    waiting = second.stderr.readline()  # printed before it blocks on the lock
    assert waiting == f"notice: waiting up to 120 s for bib/.fetch.lock (held by pid {first.pid})\n"
    arxiv_server.open_gate()
    assert finish(first)[0] == 0
    code, out, err = finish(second)
    assert code == 0, err
    assert "0 request(s) sent" in err
    assert_complete(garden / "bib")
    assert len(arxiv_server.requests) == SEED_REQUESTS


def test_in_process_lock_message_names_the_holder(garden, arxiv_server, capsys):
    with fetch_guard(garden / "bib"):
        assert run(arxiv_server) == 4
    assert f"holds bib/.fetch.lock (pid {os.getpid()})" in capsys.readouterr().err
    assert arxiv_server.requests == []


# --- 5. kill -9, stale temp files, file modes ------------------------------------------------


def test_after_kill_9_the_next_run_is_not_locked_and_removes_stale_temp_files(
    garden, arxiv_server, capsys
):
    arxiv_server.queue("gate")
    victim = spawn(garden, arxiv_server)
    assert arxiv_server.wait_for(1)
    victim.send_signal(signal.SIGKILL)
    assert finish(victim)[0] == -signal.SIGKILL
    arxiv_server.open_gate()
    bib = garden / "bib"
    stale = bib / ".arxiv.bib.k9xq1z.tmp"  # what write_atomic leaves when killed mid-write
    stale.write_text("half a file", "utf-8")
    assert run(arxiv_server) == 0
    err = capsys.readouterr().err
    assert "notice: removed bib/.arxiv.bib.k9xq1z.tmp, left by an interrupted fetch\n" in err
    assert_complete(bib)


def test_stale_temp_files_and_the_lock_are_gitignored():
    names = ["bib/.arxiv.bib.k9xq1z.tmp", "bib/.refmap.json.abc.tmp", "bib/.fetch.lock"]
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", *names], cwd=ROOT, capture_output=True, text=True
    )
    assert done.stdout.split() == names, done.stderr


def test_rewritten_files_keep_their_mode_and_new_ones_follow_the_umask(garden, arxiv_server):
    bib = garden / "bib"
    old_umask = os.umask(0o022)
    try:
        assert run(arxiv_server) == 0
        assert {p.name: p.stat().st_mode & 0o777 for p in bib.iterdir()} == {
            ".fetch.lock": 0o644,
            "arxiv.bib": 0o644,
            "manual.bib": 0o644,
            "overrides.yaml": 0o644,
            "refmap.json": 0o644,
            "styled.json": 0o644,
        }
        (bib / "arxiv.bib").chmod(0o640)
        (bib / "refmap.json").chmod(0o664)
        (garden / "notes" / "extra.md").write_text("+ https://arxiv.org/abs/2006.16236\n")
        assert run(arxiv_server) == 0
    finally:
        os.umask(old_umask)
    assert "2006.16236" in (bib / "arxiv.bib").read_text("utf-8")  # both were rewritten
    assert (bib / "arxiv.bib").stat().st_mode & 0o777 == 0o640
    assert (bib / "refmap.json").stat().st_mode & 0o777 == 0o664


# --- 2. a corrupt refmap.json ----------------------------------------------------------------


def json_error_at(text: str) -> str:
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        return f"{err.lineno}:{err.colno}: not valid JSON ({err.msg})"
    raise AssertionError("valid JSON")


def test_a_truncated_refmap_is_rebuilt_from_arxiv_bib_without_requests(
    garden, arxiv_server, capsys, caplog
):
    assert run(arxiv_server) == 0
    refmap = garden / "bib" / "refmap.json"
    text = refmap.read_text("utf-8")
    refmap.write_text(text[: len(text) // 2], "utf-8")  # a write cut short
    capsys.readouterr()
    arxiv_server.requests.clear()

    assert run(arxiv_server, "--dry-run") == 0  # nothing to ask: bib/ is complete
    out, err = capsys.readouterr()
    assert out == "would send 0 request(s) to arXiv\n"
    assert caplog.messages == [
        f"bib/refmap.json:{json_error_at(text[: len(text) // 2])}; rebuilding it from "
        "bib/arxiv.bib (arXiv IDs by eprint, titles by matching)"
    ]
    assert "Traceback" not in err

    assert run(arxiv_server) == 0
    assert arxiv_server.requests == []
    assert_complete(garden / "bib")  # byte for byte what the full fetch wrote


def test_the_build_names_a_corrupt_refmap_and_its_advice_works(garden, arxiv_server):
    assert run(arxiv_server) == 0
    (garden / "bib" / "refmap.json").write_text('{"arxiv:1812.03403": "jag', "utf-8")
    with pytest.raises(LibraryError) as caught:
        load_library(garden / "bib")
    assert str(caught.value) == (
        "bib/refmap.json:1:22: not valid JSON (Unterminated string starting at); restore it "
        "(git checkout -- bib/refmap.json) or run scripts/fetch_arxiv.py (it rebuilds it from "
        "arxiv.bib)"
    )
    arxiv_server.requests.clear()
    assert run(arxiv_server) == 0  # the advice
    assert arxiv_server.requests == []
    assert (
        load_library(garden / "bib").key_for(
            PaperRef(RefKind.ARXIV, "1812.03403", "notes/x.md", 1, "x")
        )
        == "jagannath2018statistical"
    )


# --- 3. a broken manual.bib / arxiv.bib ------------------------------------------------------

BROKEN_ENTRY = """
@misc{broken2024entry,
    author = "Someone, Anne",
    title = "{A title whose quote never closes},
    year = "2024"
}

"""


def insert_broken_entry(manual: Path) -> int:
    """Put BROKEN_ENTRY before the second entry; return the line its ``@`` lands on."""
    text = manual.read_text("utf-8")
    at = text.index("@inproceedings{couillet2016random")
    manual.write_text(text[:at] + BROKEN_ENTRY.lstrip("\n") + "\n" + text[at:], "utf-8")
    return text[:at].count("\n") + 1


def test_a_broken_manual_bib_entry_exits_3_naming_its_line(garden, arxiv_server, capsys):
    bib = garden / "bib"
    line = insert_broken_entry(bib / "manual.bib")
    before = snapshot(bib)
    expected = (
        f"error: bib/manual.bib:{line}: entry 'broken2024entry' cannot be read: '}}' expected "
        f"(pybtex stopped at line {line + 3}); fix that entry in bib/manual.bib by hand (the "
        "fetch never rewrites it)\n"
    )
    for extra in ((), ("--dry-run",)):
        assert run(arxiv_server, *extra) == 3
        out, err = capsys.readouterr()
        assert err == expected
    assert arxiv_server.requests == []
    assert snapshot(bib) == before
    with pytest.raises(LibraryError, match=rf"^bib/manual.bib:{line}: entry 'broken2024entry'"):
        load_library(bib)  # the build says the same
    text = (bib / "manual.bib").read_text("utf-8")  # the advice: fix the entry
    (bib / "manual.bib").write_text(text.replace("never closes},", 'never closes}",'), "utf-8")
    assert run(arxiv_server) == 0


def test_a_repeated_manual_bib_key_is_named_at_its_second_line(garden, arxiv_server, capsys):
    manual = garden / "bib" / "manual.bib"
    text = manual.read_text("utf-8")
    manual.write_text(text + "\n@misc{Bricken2023Monosemanticity,\n  title = {Again}\n}\n")
    line = text.count("\n") + 2
    first = text[: text.index("@misc{bricken2023monosemanticity")].count("\n") + 1
    assert run(arxiv_server) == 3
    err = capsys.readouterr().err
    assert err.startswith(
        f"error: bib/manual.bib:{line}: entry 'Bricken2023Monosemanticity' cannot be read: "
        f"repeats the key of the entry at line {first} (keys ignore case)"
    )


def test_a_broken_arxiv_bib_says_how_to_restore_it_and_that_works(garden, arxiv_server, capsys):
    assert run(arxiv_server) == 0
    bib = garden / "bib"
    data = (bib / "arxiv.bib").read_bytes()
    (bib / "arxiv.bib").write_bytes(data[: len(data) // 3])
    capsys.readouterr()
    assert run(arxiv_server) == 3
    (line,) = error_lines(capsys.readouterr().err)
    assert line.startswith("error: bib/arxiv.bib:")
    assert line.endswith(
        "bib/arxiv.bib is written by scripts/fetch_arxiv.py: restore it (git checkout -- "
        "bib/arxiv.bib) or delete it and run the fetch to ask arXiv for every paper again"
    )
    (bib / "arxiv.bib").unlink()  # the advice
    assert run(arxiv_server) == 0
    assert_complete(bib)


# --- 4. IDs arXiv does not know --------------------------------------------------------------


def test_an_unknown_id_is_remembered_and_asked_again_only_with_refresh(
    garden, arxiv_server, capsys
):
    note = garden / "notes" / "extra.md"
    note.write_text("# Extra\n\n+ A paper https://arxiv.org/abs/2401.99999\n", "utf-8")
    assert run(arxiv_server) == 1
    out = capsys.readouterr().out
    asked = json.loads((garden / "bib" / "unresolved.json").read_text("utf-8"))["2401.99999"]
    date.fromisoformat(asked)
    assert f"notes/extra.md:3: A paper https://arxiv.org/abs/2401.99999 (arXiv has no paper " \
        f"2401.99999 (asked {asked}); check the ID)\n" in out  # fmt: skip

    arxiv_server.requests.clear()
    assert run(arxiv_server, "--dry-run") == 0
    assert capsys.readouterr().out == "would send 0 request(s) to arXiv\n"
    assert run(arxiv_server) == 1  # still unresolved, but not asked again
    assert arxiv_server.requests == []

    library = load_library(garden / "bib")
    ref = PaperRef(RefKind.ARXIV, "2401.99999", "notes/extra.md", 3, "A paper")
    assert library.unresolved_ids == {"2401.99999": asked}
    assert library.missing_on_arxiv(ref) == asked
    assert library.marker_for(ref) == "unresolved"

    arxiv_server.requests.clear()
    assert run(arxiv_server, "--refresh") == 1
    (id_list,) = [r.ids for r in arxiv_server.requests if r.ids]
    assert "2401.99999" in id_list  # asked again

    note.unlink()  # no note asks for it any more: forgotten
    assert run(arxiv_server) == 0
    assert not (garden / "bib" / "unresolved.json").exists()


def test_fetch_records_the_date_it_asked_and_forgets_an_id_once_found(
    tmp_path, arxiv_client, arxiv_server
):
    bib = tmp_path / "bib"
    refs = [PaperRef(RefKind.ARXIV, "2401.99999", "notes/x.md", 1, "x")]
    outcome = fetch(refs, bib, arxiv_client, today=date(2026, 12, 1))
    assert outcome.missing == {"2401.99999": "2026-12-01"}
    assert json.loads((bib / "unresolved.json").read_text("utf-8")) == {"2401.99999": "2026-12-01"}
    assert fetch(refs, bib, arxiv_client).requests == 0
    arxiv_server.records.append({**arxiv_server.records[0], "arxiv_id": "2401.99999"})
    outcome = fetch(refs, bib, arxiv_client, refresh=True)  # arXiv has it now
    assert outcome.refmap == {"arxiv:2401.99999": "kaddour2023challenges"}
    assert not (bib / "unresolved.json").exists()


# --- 6. silently wrong things ----------------------------------------------------------------


def test_a_duplicate_key_in_overrides_yaml_exits_3_naming_both_lines(garden, arxiv_server, capsys):
    overrides = garden / "bib" / "overrides.yaml"
    text = overrides.read_text("utf-8")
    overrides.write_text(text + 'arxiv:\n  "Knowledge Circuit": "2405.17969"\n', "utf-8")
    first = text[: text.index("arxiv: {}")].count("\n") + 1
    again = text.count("\n") + 1
    assert run(arxiv_server) == 3
    assert capsys.readouterr().err == (
        f"error: bib/overrides.yaml:{again}: 'arxiv' is written twice (first at line {first}); "
        "YAML would keep only this one and silently drop the first: merge the two\n"
    )
    assert arxiv_server.requests == []


def test_a_manual_key_equal_to_an_arxiv_key_warns_in_fetch_and_build(garden, arxiv_server, caplog):
    assert run(arxiv_server) == 0
    bib = garden / "bib"
    arxiv_line = (bib / "arxiv.bib").read_text("utf-8").split("\n").index("@misc{clark2019bert,")
    manual = bib / "manual.bib"
    text = manual.read_text("utf-8")
    manual.write_text(text + '\n@misc{clark2019bert,\n    title = "{Not BERT}"\n}\n', "utf-8")
    manual_line = text.count("\n") + 2
    expected = (
        f"bib/manual.bib:{manual_line}: key 'clark2019bert' is also the key of "
        f"bib/arxiv.bib:{arxiv_line + 1} (arXiv 1906.04341); the manual.bib entry is the one "
        "used, everywhere either is cited: rename the manual.bib entry (arxiv.bib keys never "
        "change)"
    )
    caplog.clear()
    assert run(arxiv_server) == 0
    assert caplog.messages == [expected]  # the fetch warns
    caplog.clear()
    library = load_library(bib)
    assert library.warnings == (expected,)  # and so does the build
    assert caplog.messages == [expected]
    assert library.papers["clark2019bert"].source == "manual.bib"  # the decision, as stated


def test_an_unwritable_bib_exits_3_before_any_request(garden, arxiv_server):
    bib = garden / "bib"
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:  # root writes anywhere: drop the capabilities that allow it
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv to drop CAP_DAC_OVERRIDE")
        prefix = ("setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--")
    bib.chmod(0o555)
    try:
        code, out, err = finish(spawn(garden, arxiv_server, prefix=prefix))
    finally:
        bib.chmod(0o755)
    assert code == 3, err
    assert err == (
        "error: bib: cannot write there (Permission denied); nothing was asked of arXiv. "
        "Make the folder writable (or pass --bib DIR) and run again\n"
    )
    assert arxiv_server.requests == []


def test_progress_is_one_plain_line_per_request_when_stderr_is_not_a_terminal(garden, arxiv_server):
    code, out, err = finish(spawn(garden, arxiv_server))
    assert code == 0, err
    lines = [line for line in err.splitlines() if line.startswith("fetch: request ")]
    assert len(lines) == SEED_REQUESTS
    assert lines[0] == "fetch: request 1 of 23: id_list with 22 arXiv ID(s)"
    assert lines[1].startswith("fetch: request 2 of 23: title search for notes/")
    assert "\r" not in err  # no tqdm bar redrawn into a log


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for words in ("0 all resolved", "1 some unresolved", "2 usage or network error",
                  "3 bib/ is broken or cannot be written", "4 another fetch holds"):  # fmt: skip
        assert words in out


def test_a_finished_client_run_leaves_bib_with_the_lock_only(garden, arxiv_server):
    """After a run: the lock file (gitignored) and the data files, no temp or probe files."""
    assert run(arxiv_server) == 0
    names = sorted(p.name for p in (garden / "bib").iterdir())
    assert names == [
        ".fetch.lock", "arxiv.bib", "manual.bib", "overrides.yaml", "refmap.json", "styled.json"
    ]  # fmt: skip
