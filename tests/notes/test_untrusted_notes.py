"""A bad note degrades, it does not abort: each problem is a located warning, each cost bounded."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from garden.notes import NoteError, load_notes, parse_note
from garden.notes.parse import MAX_ENTRIES, MAX_FRONT_MATTER, MAX_INDENT, MAX_TITLE
from garden.notes.read import MAX_NOTE_BYTES, decode_note
from garden.text import MAX_SLUG, slugify

HOSTILE_NOTES = Path(__file__).parents[1] / "hostile" / "notes"

ALIAS_BOMB = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
title: *f
---
## Bomb
+ item
"""


def parse(text: str) -> tuple[object, list[NoteError]]:
    problems: list[NoteError] = []
    return parse_note(text, "notes/x.md", stem="x", problems=problems), problems


def test_alias_bomb_is_refused_and_the_note_kept() -> None:
    note, problems = parse(ALIAS_BOMB)
    assert note.title == "X"  # from the file name: the front matter was ignored
    assert [t.title for t in note.topics] == ["Bomb"]
    assert len(problems) == 1 and str(problems[0]).startswith("notes/x.md:3: front matter")
    assert "aliases" in str(problems[0])


def test_front_matter_title_must_be_short_text() -> None:
    note, problems = parse("---\ntitle: [a, b]\n---\n## T\n+ x\n")
    assert note.title == "X" and "must be text" in str(problems[0])
    note, problems = parse(f"---\ntitle: {'y' * 5000}\n---\n## T\n+ x\n")
    assert len(note.title) == MAX_TITLE and note.title.endswith("…")
    assert "cut to" in str(problems[0])


def test_oversized_front_matter_is_ignored() -> None:
    note, problems = parse("---\nx: '" + "z" * MAX_FRONT_MATTER + "'\n---\n## T\n+ x\n")
    assert [t.title for t in note.topics] == ["T"]
    assert "over 16,384 bytes" in str(problems[0])


def test_broken_front_matter_names_its_line_and_is_ignored() -> None:
    note, problems = parse("---\ntitle: ok\nbad: [unclosed\n---\n## T\n+ x\n")
    assert [t.title for t in note.topics] == ["T"]
    assert str(problems[0]).startswith("notes/x.md:") and "not valid YAML" in str(problems[0])


def test_long_heading_is_cut_and_its_slug_bounded() -> None:
    note, problems = parse("## " + "A" * 10_000 + "\n+ x\n")
    assert len(note.topics[0].title) == MAX_TITLE
    assert str(problems[0]).startswith("notes/x.md:1: a title of 10,000 characters")
    slug = slugify("word " * 5000)
    assert len(slug) <= MAX_SLUG and slug != slugify("word " * 4999)


def test_a_note_is_published_up_to_its_entry_limit() -> None:
    items = "\n".join(f"+ item {i}\n    + comment {i}" for i in range(MAX_ENTRIES))
    note, problems = parse("## Many\n" + items + "\n")
    (section,) = note.topics[0].sections
    assert len(section.blocks) == MAX_ENTRIES // 2  # each item and its comment count
    assert [str(p) for p in problems] == [
        f"notes/x.md:{MAX_ENTRIES + 2}: more than {MAX_ENTRIES:,} list items in one note; the "
        "rest of the note is not published: split it into several notes"
    ]


def test_deep_nesting_is_read_to_its_limit_and_nothing_after_it_is_lost() -> None:
    lines = ["## Deep"] + ["    " * i + f"+ level {i}" for i in range(500)] + ["+ after"]
    note, problems = parse("\n".join(lines) + "\n")
    first, after = note.topics[0].sections[0].blocks
    depth, item = 0, first
    while item.children:
        depth, item = depth + 1, item.children[-1]
    assert depth == MAX_INDENT // 4 and item.text == "level 499" and item.line == 501
    assert after.text == "after" and after.line == 502
    assert [str(p) for p in problems] == [
        f"notes/x.md:{MAX_INDENT // 4 + 3}: indented more than {MAX_INDENT} columns (lists "
        "nested over 16 deep): read as 16 levels; nest less"
    ]


def test_without_a_problem_list_the_first_problem_raises() -> None:
    with pytest.raises(NoteError, match="aliases"):
        parse_note(ALIAS_BOMB, "notes/x.md")


def test_other_encodings_are_detected_and_warned_about() -> None:
    problems: list[NoteError] = []
    text = decode_note(b"## Caf\xe9\n+ na\xefve \x93quoted\x94\n", "notes/w.md", problems)
    assert text == "## Café\n+ naïve “quoted”\n"
    assert str(problems[0]).startswith("notes/w.md:1: byte 0xe9 is not UTF-8; read as cp1252")
    cyrillic = "## Привет мир\n+ это заметка о статьях\n"
    assert decode_note(cyrillic.encode("cp1251"), "notes/r.md", []) == cyrillic


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(encoding: str) -> None:
    text = "## Thé topic\n+ an item\n"
    data = text.encode(encoding)
    if not encoding.endswith(("16", "32")):  # the -be codec writes no mark: add it
        data = b"\xfe\xff" + data
    problems: list[NoteError] = []
    assert decode_note(data, "notes/x.md", problems) == text
    assert [str(p) for p in problems] == [
        f"notes/x.md:1: read as {encoding[:6]}: re-save the note as UTF-8"
    ]
    with pytest.raises(NoteError, match="re-save it as UTF-8"):
        decode_note(data, "notes/x.md")


def test_binary_data_is_skipped() -> None:
    problems: list[NoteError] = []
    assert decode_note(b"\x00\x01\xff\xfe" + os.urandom(64), "notes/b.md", problems) is None
    assert "not text; skipped" in str(problems[0])


def test_loading_skips_bad_notes_and_keeps_the_rest(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "good.md").write_text("## Good\n+ fine\n", encoding="utf-8")
    (notes / "binary.md").write_bytes(b"\x00\x9f\x92\x96" * 100)
    (notes / "outside.md").symlink_to("/etc/os-release")
    (notes / "inside.md").symlink_to(notes / "good.md")
    (notes / "huge.md").write_bytes(b"+ x\n" * (MAX_NOTE_BYTES // 4 + 1))
    problems: list[NoteError] = []
    loaded = load_notes(notes, tmp_path, problems)
    assert sorted(note.path for note in loaded) == ["notes/good.md", "notes/inside.md"]
    messages = sorted(str(p) for p in problems)
    assert messages[0].startswith("notes/binary.md:1:") and "skipped" in messages[0]
    assert messages[1].startswith("notes/huge.md:1:") and "limit" in messages[1]
    assert messages[2].startswith("notes/outside.md:1: links outside the repository")


def test_without_a_problem_list_loading_logs_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "w.md").write_bytes(b"## T\n+ caf\xe9\n")
    assert [n.path for n in load_notes(notes, tmp_path)] == ["notes/w.md"]
    assert "notes/w.md:2: byte 0xe9 is not UTF-8" in caplog.text


def test_notes_read_in_a_forked_process_are_the_same_with_the_same_problems(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    forks: list[int],
) -> None:
    """``load_notes_beside`` (the build reads ``bib/`` meanwhile) gives what ``load_notes``
    gives, the hostile notes and a note that is not UTF-8 among them: the same notes, the same
    located problems in the same order, logged when no list is given; ``stop()`` ends it."""
    from garden.notes import read

    notes = tmp_path / "notes"
    shutil.copytree(HOSTILE_NOTES, notes)
    (notes / "latin.md").write_bytes(b"## T\n+ caf\xe9\n")
    (notes / "binary.md").write_bytes(b"\x00\x9f\x92\x96" * 100)
    problems: list[NoteError] = []
    alone = load_notes(notes, tmp_path, problems)
    monkeypatch.setattr(read, "FORK_AT", 1)
    beside_problems: list[NoteError] = []
    beside = read.load_notes_beside(notes, tmp_path, beside_problems).join()
    assert forks == [1]
    assert beside == alone
    assert [str(p) for p in beside_problems] == [str(p) for p in problems]
    assert any(str(p).startswith("notes/latin.md:2:") for p in problems)
    caplog.clear()
    assert read.load_notes_beside(notes, tmp_path).join() == alone
    assert "notes/latin.md:2: byte 0xe9 is not UTF-8" in caplog.text
    read.load_notes_beside(notes, tmp_path).stop()
    assert len(forks) == 3
