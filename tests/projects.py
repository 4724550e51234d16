"""A copy of this project (config, hooks, docs, notes, bib) in a temp folder, for tests that
build, serve or change it without touching the repository."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITATIONS = ROOT / "tests" / "fixtures" / "citations"  # bib/citations/ as a fetch writes it


def copy_project(dest: Path, *, citations: bool = False) -> Path:
    """The project at ``dest`` (an existing, empty folder); with ``citations``, the fixture
    ``bib/citations/`` too. Returns ``dest``."""
    for name in ("mkdocs.yml", "hooks.py"):
        shutil.copy(ROOT / name, dest / name)
    for name in ("docs", "notes", "bib"):
        shutil.copytree(ROOT / name, dest / name)
    if citations:
        shutil.copytree(CITATIONS, dest / "bib" / "citations")
    return dest


def add_hook(project: Path, source: str, name: str = "probe.py") -> None:
    """Run ``source`` as a MkDocs hook after the garden's own (``hooks.py``) in ``project``."""
    (project / name).write_text(source, "utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "hooks:\n  - hooks.py\n" in text
    config.write_text(text.replace("  - hooks.py\n", f"  - hooks.py\n  - {name}\n"), "utf-8")


def remove_hook(project: Path, name: str = "probe.py") -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(f"  - {name}\n", ""), "utf-8")
