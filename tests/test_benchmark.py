"""scripts/benchmark.py runs end to end on a small garden and prints every figure it owes;
timings are its output, never asserted here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import benchmark  # noqa: E402


def searched(first_ms: float, before: int = 0) -> benchmark.Searched:
    return benchmark.Searched(
        first_ms=first_ms,
        latencies=[5.0, first_ms],
        keys=4,
        first_bytes=150_000,
        bytes=200_000,
        before=before,
        results=12,
        shown=10,
    )


def test_each_kind_of_query_is_set_against_the_floors_of_its_kind() -> None:
    answered = {"title": searched(600), "author": searched(450), "arXiv ID": searched(300)}
    floor = {"title": searched(300), "arXiv ID": searched(300), "common word": searched(200)}
    [(label, value)] = benchmark.over_floor(answered, floor)
    assert label == "search first results ÷ floor"
    assert value == "title 2.00×, arXiv ID 1.00×; median 1.50×"  # author: no floor of its kind
    assert benchmark.over_floor(answered, {}) == []


def test_a_search_row_gives_the_bytes_until_the_first_results_and_any_before_the_focus() -> None:
    row = str(searched(480))
    assert row.startswith("first results 480 ms, 146.5 KB fetched;")
    assert "195.3 KB fetched in all; 12 hits (10 shown)" in row
    assert "BEFORE focus" not in row
    assert str(searched(480, before=70_000)).endswith("68.4 KB BEFORE focus!")


def test_each_kind_shows_its_median_try_and_every_try() -> None:
    sites = [("search", Path("site"), [("title", "A title"), ("author", "Ann Lee")])]
    sites += [("floor", Path("floor"), [("title", "B title"), ("author", "Bo Wu")])]
    tried = {
        ("search", "title"): [searched(700), searched(500), searched(900)],
        ("search", "author"): [searched(400)],
        ("floor", "title"): [searched(300), searched(250)],
    }
    failed = {("search", "author"): "FAILED: TimeoutError: 60 s", ("floor", "author"): "x"}
    rows, answered = benchmark.tried_rows(sites, 3, tried, failed)
    assert [name for name, _ in rows] == [
        "search title 'A title'",
        "search author 'Ann Lee'",
        "floor title 'B title'",
        "floor author 'Bo Wu'",
    ]
    figures = dict(rows)
    assert figures["search title 'A title'"].startswith("first results 700 ms,")
    assert figures["search title 'A title'"].endswith(
        "; first results in 3 of 3 tries: 500 / 700 / 900 ms"
    )
    assert figures["search author 'Ann Lee'"].endswith("in 1 of 3 tries: 400 ms")  # one answered
    assert figures["floor title 'B title'"].startswith("first results 250 ms,")  # the lower middle
    assert figures["floor author 'Bo Wu'"] == "x"  # no try answered: how the last one failed
    assert {k: {kind: s.first_ms for kind, s in v.items()} for k, v in answered.items()} == {
        "search": {"title": 700, "author": 400},
        "floor": {"title": 250},
    }
    [(_, one)] = benchmark.tried_rows(sites[:1], 1, {("search", "title"): [searched(5)]}, {})[0][:1]
    assert "tries" not in one


def test_a_small_run_prints_the_build_the_floor_pairs_and_the_site(tmp_path: Path) -> None:
    command = [sys.executable, str(ROOT / "scripts" / "benchmark.py")]
    command += ["--papers", "30", "--topics", "6", "--notes", "3", "--pairs", "2"]
    command += ["--no-search", "--no-serve", "--keep", str(tmp_path)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "scripts")])}
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = dict(line.split("  ", 1) for line in done.stdout.splitlines() if "  " in line)
    rows = {name.strip(): value.strip() for name, value in rows.items()}
    for name in (
        "papers / topics / notes asked",
        "generate pages",
        "mkdocs build --strict (wall)",
        "build peak PSS summed, every process but pagefind's (workers: one per core, at most 4)",
        "floor peak RSS",
        "build ÷ floor, pair 1 of 2",
        "build ÷ floor, pair 2 of 2",
        "build ÷ floor, median of 2 pairs",
        "largest HTML pages",
        "pages indexed / shards",
        "site total",
    ):
        assert name in rows, (name, done.stdout)
    assert rows["papers / topics / notes asked"] == "30 / 6 / 3"
    assert rows["floor peak RSS"].endswith(" MB")
    assert "FAILED" not in done.stdout
    assert not (tmp_path / "site-again").exists()  # the pairs' extra builds are removed
