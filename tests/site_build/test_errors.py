"""Bad input stops the build with one clear line naming the file and line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.projects import copy_project

ROOT = Path(__file__).resolve().parents[2]


def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


def build(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(path / "site")],
        cwd=path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        (
            "notes/zz-bad.md",
            b"## T\n+ fine\n+ caf\xe9\n",
            "notes/zz-bad.md:3: byte 0xe9 is not UTF-8",
        ),
        (
            "notes/zz-wiki.md",
            b"## T\n+ see [[No Such Topic]]\n",
            "notes/zz-wiki.md:2: unknown topic 'No Such Topic'",
        ),
        ("bib/refmap.json", b"{broken", "bib/refmap.json:1:2: not valid JSON"),
        (
            "bib/manual.bib",
            b"@misc{x, title={unclosed\n",
            "bib/manual.bib:1: entry 'x' cannot be read",
        ),
    ],
)
def test_bad_input_fails_the_build_with_a_located_message(
    tmp_path: Path, file: str, content: bytes, message: str
) -> None:
    root = project(tmp_path)
    (root / file).write_bytes(content)
    result = build(root)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_prose_citations_render_with_separators(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "notes/zz-cite.md").write_text(
        "## Citing Topic\n\nAs shown in [@jagannath2018statistical; @couillet2021two], "
        "and again [@jagannath2018statistical].\n\n+ a b c d\n",
        encoding="utf-8",
    )
    result = build(root)
    assert result.returncode == 0, result.stderr
    html = (root / "site/topics/citing-topic/index.html").read_text(encoding="utf-8")
    assert 'href="#fn:jagannath2018statistical"' in html and 'id="fn:couillet2021two"' in html
    assert '<sup class="garden-cite-sep">,</sup>' in html


def test_unknown_citation_key_is_located(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "notes/zz-cite.md").write_text("## Citing Topic\n+ as in [@nosuchkey2099]\n")
    result = build(root)
    assert result.returncode == 1
    assert "notes/zz-cite.md:2: unknown citation key 'nosuchkey2099'" in result.stderr
