"""The note linter: one row per rule, each a note and the messages it must produce."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from garden.bibliography.library import Library, load_library
from garden.bibliography.overrides import Overrides, load_overrides
from garden.checks.lint import lint
from garden.cli.lint import main

ROOT = Path(__file__).resolve().parents[2]
BASE_NOTE = """\
## Random Matrix Theory

- Attention Is All You Need https://arxiv.org/abs/1706.03762
"""
BIB = """\
@misc{vaswani2017attention,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish},
  year = {2017},
  eprint = {1706.03762},
  archivePrefix = {arXiv},
}
"""
REFMAP = {
    "arxiv:1706.03762": "vaswani2017attention",
    "title:attention is all you need": "vaswani2017attention",
    "title:some unresolved paper title": "unresolved",
    "title:a talk that is not a paper": "not-a-paper",
    "arxiv:2401.99998": "unresolved",
    "arxiv:2401.99996": "unresolved",
}
UNRESOLVED_IDS = {"2401.99998": "2026-12-01", "2401.99997": "2026-11-30"}  # bib/unresolved.json
OVERRIDES = """\
arxiv:
  "A pinned paper title here": "1706.03762"
  "Another pinned paper title": "2401.99999"
  "A pinned paper arXiv lacks": "2401.99997"
not-a-paper:
  - "A comment that is not a paper"
not-on-arxiv:
  "A book chapter not on arxiv": null
  "A journal paper kept by hand": "nosuch2020key"
"""
TOPIC = "## Random Matrix Theory\n\n"

# (case, the new note, [(line, col, level, words in the message)])
CASES = [
    ("clean", TOPIC + "- Attention https://arxiv.org/abs/1706.03762v5\n", []),
    (
        "not fetched",
        TOPIC + "- [A paper](https://arxiv.org/abs/2401.00001)\n",
        [(3, 35, "error", "arXiv:2401.00001 has no entry in bib/")],
    ),
    (
        "unresolved title",
        TOPIC + "- Some unresolved paper title\n",
        [(3, 3, "error", "no arXiv paper matches")],
    ),
    ("marked not a paper", TOPIC + "- A talk that is not a paper\n", []),
    ("override: not a paper", TOPIC + "- A comment that is not a paper\n", []),
    ("override: not on arXiv", TOPIC + "- A book chapter not on arXiv\n", []),
    ("override: pinned and fetched", TOPIC + "- A pinned paper title here\n", []),
    (
        "override: pinned, not fetched",
        TOPIC + "- Another pinned paper title\n",
        [(3, 3, "error", "pinned arXiv:2401.99999 has no entry in bib/")],
    ),
    (
        "explicit ID arXiv does not have",
        TOPIC + "- Some title https://arxiv.org/abs/2401.99998\n",
        [(3, 36, "error", "arXiv has no paper 2401.99998 (asked 2026-12-01); check the ID")],
    ),
    (
        "explicit ID unresolved, date unknown",
        TOPIC + "- Some title arXiv:2401.99996\n",
        [(3, 20, "error", "arXiv did not resolve 2401.99996; check the ID")],
    ),
    (
        "override: pinned to an ID arXiv does not have",
        TOPIC + "- A pinned paper arXiv lacks\n",
        [(3, 3, "error", "arXiv has no paper 2401.99997 (asked 2026-11-30); check the pin")],
    ),
    (
        "override: manual.bib key missing",
        TOPIC + "- A journal paper kept by hand\n",
        [(3, 3, "error", "bib/manual.bib has no such entry")],
    ),
    (
        "unknown wikilink",
        TOPIC + "See [[Random Matrix Theori]].\n",
        [(3, 5, "error", "unknown topic [[Random Matrix Theori]]")],
    ),
    ("known wikilink", TOPIC + "See [[random matrix theory|RMT]].\n", []),
    ("script tag", TOPIC + "Hi <script>alert(1)</script>\n", [(3, 4, "error", "raw <script> tag")]),
    (
        "event attribute",
        TOPIC + 'An <img src="x.png" onerror="alert(1)">\n',
        [(3, 21, "error", "'onerror='")],
    ),
    (
        "javascript url",
        TOPIC + "A [link](javascript:alert(1))\n",
        [(3, 10, "error", "'javascript:' URL")],
    ),
    (
        "iframe",
        TOPIC + '<iframe src="https://example.org"></iframe>\n',
        [(3, 1, "error", "raw <iframe> tag")],
    ),
    ("script in code is shown, not run", TOPIC + "Use `<script>` and\n\n```\n<script>\n```\n", []),
    (
        "unclosed $",
        TOPIC + "Energy $E = mc^2 is famous.\n",
        [(3, 8, "error", "'$' opens math that is never closed")],
    ),
    ("balanced math and escaped dollar", TOPIC + "$a$ and $$b$$ cost \\$5\n", []),
    ("unclosed $$", TOPIC + "$$\nx = 1\n", [(3, 1, "error", "'$$' opens math")]),
    ("math over lines", TOPIC + "$$\nx = 1\n$$\n", []),
    ("mojibake", TOPIC + "Itâ€™s here.\n", [(3, 3, "warning", "mis-encoded text")]),
    (
        "same paper twice in a topic",
        TOPIC + "- Attention https://arxiv.org/abs/1706.03762\n- Again arXiv:1706.03762v2\n",
        [(4, 15, "warning", "same paper as line 3 in topic 'Random Matrix Theory'")],
    ),
    (
        "a bare link and its title below are one mention",
        TOPIC + "- https://arxiv.org/abs/1706.03762\n  - Attention Is All You Need\n",
        [],
    ),
    (
        "topic spelt differently",
        "## Random Matrix Theroy\n\nText.\n",
        [(1, 1, "warning", "looks like 'Random Matrix Theory'")],
    ),
    (
        "obsidian link",
        TOPIC + "[mine](obsidian://open?vault=x)\n",
        [(3, 8, "warning", "obsidian:// link")],
    ),
    (
        "bare url",
        TOPIC + "- https://example.org/post\n",
        [(3, 3, "warning", "bare URL https://example.org/post has no title")],
    ),
    (
        "bare url titled by its first sub-item",
        TOPIC + "- https://example.org/post\n  - A talk that is not a paper\n",
        [],
    ),
    ("bare arXiv url: the bib has its title", TOPIC + "- https://arxiv.org/abs/1706.03762\n", []),
    ("not UTF-8", (TOPIC + "caf\xe9\n").encode("latin-1"), [(3, 1, "error", "is not UTF-8")]),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "base.md").write_text(BASE_NOTE, "utf-8")
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "arxiv.bib").write_text(BIB, "utf-8")
    (tmp_path / "bib" / "refmap.json").write_text(json.dumps(REFMAP), "utf-8")
    (tmp_path / "bib" / "overrides.yaml").write_text(OVERRIDES, "utf-8")
    (tmp_path / "bib" / "unresolved.json").write_text(json.dumps(UNRESOLVED_IDS), "utf-8")
    return tmp_path


def bib(root: Path) -> tuple[Library, Overrides]:
    return load_library(root / "bib"), load_overrides(root / "bib" / "overrides.yaml")


@pytest.mark.parametrize(("note", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(project: Path, note: str | bytes, expected: list) -> None:
    path = project / "notes" / "new.md"
    path.write_bytes(note if isinstance(note, bytes) else note.encode("utf-8"))
    messages = lint([path], project / "notes", project, *bib(project))
    assert [(m.line, m.col, m.level) for m in messages] == [e[:3] for e in expected], messages
    for message, (*_, words) in zip(messages, expected, strict=True):
        assert message.file == "notes/new.md"
        assert words in message.text


def test_cli_names_file_line_and_exits_1_on_script(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(project)
    assert main([]) == 0
    (project / "notes" / "new.md").write_text(TOPIC + "<script>alert(1)</script>\n", "utf-8")
    assert main(["notes/new.md"]) == 1
    assert capsys.readouterr().out.startswith("notes/new.md:3:1: error: raw <script> tag")
    assert main(["notes/missing.md"]) == 2


def test_only_the_named_files_are_reported(project: Path) -> None:
    (project / "notes" / "other.md").write_text(TOPIC + "<iframe>\n", "utf-8")
    assert lint([project / "notes" / "base.md"], project / "notes", project, *bib(project)) == []


@pytest.mark.skipif(
    not (ROOT / "bib" / "refmap.json").exists(), reason="bib/ is not populated yet (fetch)"
)
def test_seed_notes_lint_with_warnings_only() -> None:
    messages = lint([ROOT / "notes"], ROOT / "notes", ROOT, *bib(ROOT))
    assert [str(m) for m in messages if m.level == "error"] == []
