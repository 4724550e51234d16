"""Golden tests for the note parser: one YAML file per construct the seed notes use.

Each ``cases/*.yaml`` holds ``input`` (a note's text, or ``note:`` naming a file in
``notes/``) and ``expected`` (the parsed tree). ``pytest --update-goldens`` rewrites them; a
case without ``expected`` fails and names that command.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from golden import check_text, differs, dump, missing

from garden.notes import Item, Note, NoteError, Paragraph, Preformatted, parse_note, repair_text
from garden.notes.read import decode_note

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
ROOT = Path(__file__).resolve().parents[2]


def block_data(block) -> dict:
    if isinstance(block, Item):
        data: dict = {"item": block.text, "line": block.line}
        if block.is_heading:
            data["heading"] = True
        if block.links:
            data["links"] = [link.url for link in block.links]
        if block.children:
            data["children"] = [block_data(child) for child in block.children]
        return data
    kind = {Paragraph: "paragraph", Preformatted: "preformatted"}[type(block)]
    return {kind: block.text, "line": block.line}


def note_data(note: Note) -> dict:
    data: dict = {"title": note.title, "topic_level": note.topic_level}
    if note.preamble:
        data["preamble"] = [block_data(b) for b in note.preamble]
    data["topics"] = [
        {
            "topic": topic.title,
            "line": topic.line,
            "sections": [
                {"path": list(s.path), "blocks": [block_data(b) for b in s.blocks]}
                for s in topic.sections
                if s.path or s.blocks
            ],
        }
        for topic in note.topics
    ]
    return data


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_parse_golden(case: Path, update_goldens: bool) -> None:
    check_case(case, update_goldens)


def check_case(case: Path, update_goldens: bool) -> None:
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    if "note" in spec:
        text = repair_text(decode_note((ROOT / spec["note"]).read_bytes(), spec["note"]))
    else:
        text = repair_text(spec["input"])
    actual = note_data(parse_note(text, spec.get("note", "notes/case.md"), stem=case.stem))
    if update_goldens:
        spec["expected"] = actual
        check_text(case, dump(spec), update=True)
    elif "expected" not in spec:
        pytest.fail(missing(case, "`expected:` (the parsed tree)"), pytrace=False)
    assert actual == spec["expected"], differs(case)


def test_case_without_expected_fails_and_names_the_command(tmp_path: Path) -> None:
    case = tmp_path / "new-case.yaml"
    case.write_text("input: |\n  ## Topic\n  + item\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failure:
        check_case(case, update_goldens=False)
    message = str(failure.value)
    assert "no `expected:`" in message
    this_test = "tests/notes/test_parse.py::test_case_without_expected_fails_and_names_the_command"
    assert f"pytest --update-goldens {this_test}" in message
    assert "expected" not in case.read_text(encoding="utf-8")  # nothing written
    check_case(case, update_goldens=True)  # what the command does: record, then compare
    assert yaml.safe_load(case.read_text(encoding="utf-8"))["expected"]["topics"][0] == {
        "topic": "Topic",
        "line": 1,
        "sections": [{"path": [], "blocks": [{"item": "item", "line": 2}]}],
    }
    check_case(case, update_goldens=False)


def test_case_with_a_wrong_expectation_fails(tmp_path: Path) -> None:
    case = tmp_path / "wrong.yaml"
    case.write_text("input: '## Topic'\nexpected: {title: nope}\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="wrong.yaml differs; run `pytest --update-goldens"):
        check_case(case, update_goldens=False)


def test_missing_golden_file_fails_and_is_not_written(tmp_path: Path) -> None:
    golden = tmp_path / "golden" / "page.md"
    with pytest.raises(AssertionError, match=r"no golden file recorded.*pytest --update-goldens"):
        check_text(golden, "text\n", update=False)
    assert not golden.exists()
    check_text(golden, "text\n", update=True)
    check_text(golden, "text\n", update=False)
    with pytest.raises(AssertionError, match="differs"):
        check_text(golden, "other\n", update=False)


def test_undecodable_note_names_file_and_line() -> None:
    with pytest.raises(NoteError) as err:
        decode_note(b"## Topic\n+ fine\n+ caf\xe9\n", "notes/bad.md")
    assert str(err.value).startswith("notes/bad.md:3: byte 0xe9 is not UTF-8")


def test_bad_front_matter_is_a_note_error() -> None:
    with pytest.raises(NoteError, match=r"^notes/x\.md:2: front matter is not valid YAML"):
        parse_note("---\ntitle: [unclosed\n---\n## T\n", "notes/x.md")


def test_mojibake_repaired_and_nothing_else_changed() -> None:
    text = "“curly” quotes, ﬁ ligature, &amp; entity, â†“ arrow"
    assert repair_text(text) == "“curly” quotes, ﬁ ligature, &amp; entity, ↓ arrow"


@pytest.mark.parametrize(
    ("stem", "text", "title"),
    [
        # notes/llm-internals.md: "How might LLMs store facts"; not "Llm internals"
        ("llm-internals", "### MLP\n1. How might LLMs store facts\n", "LLM internals"),
        ("rmt-notes", "## RMT\n+ x y z\n", "RMT notes"),
        # every word of an all-capitals title is in capitals; "and" is still a word
        ("space-and-time", "## T\n+ SPACE AND TIME\n+ this and that\n", "Space and time"),
        ("reading-list-2023", "## T\n+ a b c\n", "Reading list 2023"),
    ],
)
def test_title_from_the_file_name_keeps_the_notes_capitals(stem, text, title) -> None:
    assert parse_note(text, f"notes/{stem}.md", stem=stem).title == title
