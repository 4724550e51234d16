"""Read note files: decode, repair mis-encoded text, hand the text to the parser."""

from __future__ import annotations

from pathlib import Path

import ftfy

from garden.notes.errors import NoteError
from garden.notes.model import Note
from garden.notes.parse import parse_note

NOTE_SUFFIXES = (".md", ".markdown")

# Only undo encoding damage ("â†“" → "↓"). ftfy's other fixes (curly quotes, ligatures,
# full-width characters, HTML entities) would change what the author wrote on purpose.
_REPAIR_ONLY_ENCODING = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def repair_text(text: str) -> str:
    """Repair mojibake (UTF-8 read as Windows-1252 and re-encoded) line by line."""
    return ftfy.fix_text(text, _REPAIR_ONLY_ENCODING)


def decode_note(data: bytes, file: str) -> str:
    """Decode UTF-8 (with or without BOM); an undecodable byte is a ``NoteError`` at its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise NoteError(
            file, line, f"byte 0x{data[exc.start]:02x} is not UTF-8; re-save the note as UTF-8"
        ) from None


def read_note(path: Path, root: Path) -> Note:
    """Read one note file into a ``Note``; ``root`` is the project root its path is shown from."""
    file = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    text = decode_note(path.read_bytes(), file)
    return parse_note(repair_text(text), file, stem=path.stem)


def note_paths(notes_dir: Path) -> list[Path]:
    """Every note under ``notes_dir`` in a stable order (hidden files and folders skipped)."""
    return sorted(
        path
        for path in notes_dir.rglob("*")
        if path.suffix.lower() in NOTE_SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(notes_dir).parts)
    )


def load_notes(notes_dir: Path, root: Path | None = None) -> list[Note]:
    """Read every note in ``notes_dir``; paths in messages are relative to ``root``."""
    notes_dir = Path(notes_dir).resolve()
    root = Path(root).resolve() if root else notes_dir.parent
    return [read_note(path, root) for path in note_paths(notes_dir)]
