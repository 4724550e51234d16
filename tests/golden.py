"""Golden files: compare output with a committed expectation, or rewrite it on request."""

from __future__ import annotations

from pathlib import Path

import yaml


def dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def check_text(path: Path, actual: str, update: bool) -> None:
    """Assert ``actual`` equals the golden file at ``path`` (rewritten when ``update``)."""
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not update:
            raise AssertionError(f"{path} did not exist; written now, review and commit it")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path} differs; run pytest --update-goldens and review the diff"
