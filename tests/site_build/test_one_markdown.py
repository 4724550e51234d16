"""Every page is converted by one reset Python-Markdown instance (hooks.py ``_OneMarkdown``),
not a fresh one each: the site must come out byte for byte as MkDocs alone makes it. Two real
``mkdocs build --strict`` runs of the repository, the second with a hook that gives MkDocs back
the real ``markdown`` module (a fresh instance for every page)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.projects import ROOT, copy_project

FRESH = """
import markdown
from mkdocs.structure import pages


def on_pre_build(config):
    assert type(pages.markdown).__name__ == "_OneMarkdown", pages.markdown
    pages.markdown = markdown  # MkDocs' own way: a new instance for every page
"""


def _build(project: Path, site: Path) -> dict[str, bytes]:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*.html")
        if "pagefind" not in p.parts
    }


def test_one_reset_markdown_instance_renders_every_page_as_fresh_ones_do(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    reused = _build(project, tmp_path / "reused")
    (project / "fresh.py").write_text(FRESH, "utf-8")
    text = (project / "mkdocs.yml").read_text("utf-8")
    (project / "mkdocs.yml").write_text(
        text.replace("  - hooks.py\n", "  - hooks.py\n  - fresh.py\n")
    )
    fresh = _build(project, tmp_path / "fresh")
    assert len(reused) > 100
    assert reused.keys() == fresh.keys()
    differ = [uri for uri in reused if reused[uri] != fresh[uri]]
    assert not differ, differ[:10]
