"""Shared test options. ``pytest --update-goldens`` rewrites golden files; review the diff."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden files from the current output (then review them with git diff)",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def pytest_collection_finish(session: pytest.Session) -> None:
    """A whole-suite run fails when a test file under tests/ is not collected.

    pytest silently skips folders matching ``norecursedirs`` (its default holds ``build``):
    ``tests/build/`` once went uncollected, so CI never ran it. Runs of a subset are not checked.
    """
    tests = ROOT / "tests"
    asked = [Path(arg.split("::")[0]).resolve() for arg in session.config.args]
    option = session.config.option
    narrowed = option.keyword or option.markexpr or option.deselect or option.ignore
    if asked != [tests] or narrowed:
        return
    collected = {Path(str(item.path)).resolve() for item in session.items}
    on_disk = {path.resolve() for path in tests.rglob("test_*.py")}
    missing = sorted(str(path.relative_to(ROOT)) for path in on_disk - collected)
    if missing:
        raise pytest.UsageError(
            "test files not collected (check norecursedirs/testpaths in pyproject.toml, or "
            "rename the folder): " + ", ".join(missing)
        )


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Two workers (garden.workers), forking allowed although pytest may run other threads;
    the list gets a 1 for each ``fork_each`` call."""
    from garden import workers

    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    monkeypatch.setattr(workers, "_threaded", lambda: False)
    calls: list[int] = []
    real_fork = workers.fork_each
    monkeypatch.setattr(workers, "fork_each", lambda *a: calls.append(1) or real_fork(*a))
    return calls
