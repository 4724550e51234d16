"""Golden files: compare output with a committed expectation, or rewrite it on request.

A missing expectation is a failure, never a pass: a test that wrote its own expectation and
passed could not fail. ``pytest --update-goldens`` (the only writer) records it for review.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import yaml


def dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def update_command() -> str:
    """The command that re-runs the current test with ``--update-goldens``."""
    # pytest sets PYTEST_CURRENT_TEST to "path::name[id] (call)" while a test runs
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rpartition(" ")[0]
    return "pytest --update-goldens" + (f" {shlex.quote(test)}" if test else "")


def missing(path: Path, what: str = "golden file") -> str:
    """The failure message for an expectation that was never recorded."""
    return (
        f"{path}: no {what} recorded, so there is nothing to compare with. Record it with "
        f"`{update_command()}`, review it (git diff) and commit it."
    )


def differs(path: Path) -> str:
    return f"{path} differs; run `{update_command()}` and review the diff"


def check_text(path: Path, actual: str, update: bool) -> None:
    """Assert ``actual`` equals the golden file at ``path``; only ``update`` writes it."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        raise AssertionError(missing(path))
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, differs(path)
