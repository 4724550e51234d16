"""Read note files: decode, repair mis-encoded text, hand the text to the parser."""

from __future__ import annotations

import codecs
import hashlib
import logging
from pathlib import Path

import ftfy
from charset_normalizer import from_bytes

from garden import workers
from garden.notes.errors import NoteError
from garden.notes.model import Note
from garden.notes.parse import parse_note

NOTE_SUFFIXES = (".md", ".markdown")
MAX_NOTE_BYTES = 8 * 1024 * 1024  # a note larger than this is skipped (CONTRIBUTING.md: limits)
FORK_AT = 512 * 1024  # bytes of notes from which load_notes_beside forks (~1 s of parsing)
# Where the detector cannot tell one Western code page from its neighbours (café reads the
# same in all of them), the one Windows and most editors wrote: cp1252.
_PREFERRED = ("cp1252", "latin_1")
log = logging.getLogger("garden.notes")

# Only undo encoding damage ("â†“" → "↓"). ftfy's other fixes (curly quotes, ligatures,
# full-width characters, HTML entities) would change what the author wrote on purpose.
_MARKS = {0x02: None, 0x03: None}
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
    """Repair mojibake (UTF-8 read as Windows-1252 and re-encoded) line by line, and drop the
    ASCII control characters STX and ETX: no text means them, and the generated pages use
    them to mark their HTML parts (garden.pages.markdown.fragment)."""
    return ftfy.fix_text(text.translate(_MARKS), _REPAIR_ONLY_ENCODING)


def decode_note(data: bytes, file: str, problems: list[NoteError] | None = None) -> str | None:
    """Decode UTF-8 (with or without BOM).

    With ``problems`` ``None``, an undecodable byte is a ``NoteError`` at its line. With a list,
    the note degrades instead: text in another encoding is decoded as charset-normalizer
    detects it (a warning names the first bad byte's line), and data that is not text at all
    gives ``None`` (skip the note), each with a ``NoteError`` added to ``problems``.
    """
    unicode = _by_bom(data)
    if unicode is not None:  # "Unicode" in Windows Notepad: UTF-16 with a byte-order mark
        try:
            text = data.decode(unicode)
        except UnicodeDecodeError:
            pass
        else:
            if problems is None:
                raise NoteError(file, 1, f"the note is {unicode}; re-save it as UTF-8")
            problems.append(NoteError(file, 1, f"read as {unicode}: re-save the note as UTF-8"))
            return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = f"byte 0x{data[exc.start]:02x} is not UTF-8"
        if problems is None:
            raise NoteError(file, line, f"{byte}; re-save the note as UTF-8") from None
        encoding = _detect(data)
        if encoding is None:
            problems.append(NoteError(file, line, f"{byte} and the file is not text; skipped"))
            return None
        problems.append(
            NoteError(file, line, f"{byte}; read as {encoding}: re-save the note as UTF-8")
        )
        return data.decode(encoding)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _by_bom(data: bytes) -> str | None:
    """UTF-16 or UTF-32 when the data starts with its byte-order mark (the codec reads it)."""
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def _detect(data: bytes) -> str | None:
    """The encoding of a note that is not UTF-8, or ``None`` when it is not text at all."""
    controls = sum(data.count(bytes([c])) for c in _CONTROL_BYTES)
    if b"\x00" in data or controls > len(data) // 100:
        return None  # NUL or control bytes never occur in a text note: this is binary
    matches = from_bytes(data)
    best = matches.best()
    if best is None:  # too short for the detector to be sure: the likeliest code page
        return "cp1252" if _decodes(data, "cp1252") else "latin_1"
    for match in matches:
        if match.encoding in _PREFERRED and match.chaos <= best.chaos:
            return match.encoding
    return best.encoding


_CONTROL_BYTES = tuple(c for c in range(32) if chr(c) not in "\t\n\r\f")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def read_note(path: Path, root: Path, problems: list[NoteError] | None = None) -> Note | None:
    """Read one note file into a ``Note``; ``root`` is the project root its path is shown from.

    With ``problems`` ``None`` the first problem is raised as ``NoteError``; with a list the
    note degrades (see ``decode_note`` and ``parse_note``) and ``None`` means "skip it".
    """
    file = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    text = decode_note(path.read_bytes(), file, problems)
    if text is None:
        return None
    return parse_note(repair_text(text), file, stem=path.stem, problems=problems)


def note_paths(
    notes_dir: Path, root: Path | None = None, problems: list[NoteError] | None = None
) -> list[Path]:
    """Every note under ``notes_dir`` in a stable order (hidden files and folders skipped).

    A note that is a symlink resolving outside ``root`` (the repository) is skipped, and so
    is one larger than ``MAX_NOTE_BYTES``; with ``problems`` given, each skip is reported.
    """
    notes_dir = Path(notes_dir)
    root = Path(root).resolve() if root else notes_dir.resolve().parent
    found = []
    for path in sorted(notes_dir.rglob("*")):
        rel = path.relative_to(notes_dir)
        if path.suffix.lower() not in NOTE_SUFFIXES or any(p.startswith(".") for p in rel.parts):
            continue
        shown = f"{notes_dir.name}/{rel.as_posix()}"
        problem = _skip_reason(path, root)
        if problem:
            if problems is not None:
                problems.append(NoteError(shown, 1, problem))
            continue
        found.append(path)
    return found


def _read_cached(
    path: Path, root: Path, problems: list[NoteError], cache: ParseCache
) -> Note | None:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    known = cache.get(str(path))
    if known is None or known[0] != digest:
        own: list[NoteError] = []
        file = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        text = decode_note(data, file, own)
        note = None if text is None else parse_note(repair_text(text), file, path.stem, own)
        known = cache[str(path)] = (digest, note, tuple(own))
    problems.extend(known[2])
    return known[1]


def _skip_reason(path: Path, root: Path) -> str:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "a broken symlink; skipped" if path.is_symlink() else ""
    if not target.is_relative_to(root):
        return f"links outside the repository (to {target}); skipped: notes must live in it"
    if not target.is_file():
        return ""
    size = target.stat().st_size
    if size > MAX_NOTE_BYTES:
        return f"{size:,} bytes, over the {MAX_NOTE_BYTES:,}-byte limit for a note; skipped"
    return ""


ParseCache = dict[str, tuple[str, "Note | None", tuple[NoteError, ...]]]


def load_notes(
    notes_dir: Path,
    root: Path | None = None,
    problems: list[NoteError] | None = None,
    cache: ParseCache | None = None,
) -> list[Note]:
    """Read every note in ``notes_dir``; paths in messages are relative to ``root``.

    One bad note never stops the others: it is skipped or read as well as it can be, and the
    problem goes to ``problems`` (or, with none given, to the ``garden.notes`` log as a
    warning): a build, a fetch or ``mkdocs serve`` goes on with the rest.

    ``cache`` (path → (content hash, note, problems)) lets a long-lived caller (``mkdocs
    serve``) parse only the notes whose bytes changed; it is updated in place.
    """
    notes_dir = Path(notes_dir).resolve()
    root = Path(root).resolve() if root else notes_dir.parent
    found: list[NoteError] = [] if problems is None else problems
    notes = []
    paths = note_paths(notes_dir, root, found)
    for path in paths:
        note = _read_cached(path, root, found, cache) if cache is not None else None
        if cache is None:
            note = read_note(path, root, found)
        if note is not None:
            notes.append(note)
    if cache is not None:
        for gone in set(cache) - {str(path) for path in paths}:
            del cache[gone]
    if problems is None:
        for problem in found:
            log.warning("%s", problem)
    return notes


def load_notes_beside(
    notes_dir: Path, root: Path | None = None, problems: list[NoteError] | None = None
) -> NotesBeside:
    """``load_notes`` started in a forked process (``garden.workers``) while the caller does
    other work: ``garden.build`` reads ``bib/`` meanwhile (at 10,000 papers the two took 7 and
    9 s of one core, one after the other). ``join()`` waits for the notes and puts their
    problems in ``problems`` (or logs them), as ``load_notes`` would have. With one worker,
    or fewer than ``FORK_AT`` bytes of notes, ``join()`` reads them itself."""
    notes_dir = Path(notes_dir).resolve()
    root = Path(root).resolve() if root else notes_dir.parent
    size = sum(path.stat().st_size for path in note_paths(notes_dir, root))
    forked = None
    if workers.workers() > 1 and size >= FORK_AT:
        forked = workers.fork_each([(notes_dir, root)], _load_with_problems)
    return NotesBeside(notes_dir, root, problems, forked)


def _load_with_problems(where: tuple[Path, Path]) -> tuple[list[Note], list[NoteError]]:
    found: list[NoteError] = []
    return load_notes(*where, found), found


class NotesBeside:
    """The notes ``load_notes_beside`` reads: ``join()`` them, or ``stop()`` (the caller
    failed: the child is ended, not left reading)."""

    def __init__(self, notes_dir: Path, root: Path, problems, forked) -> None:  # noqa: ANN001
        self._where, self._problems, self._forked = (notes_dir, root), problems, forked

    def join(self) -> list[Note]:
        if self._forked is None:
            return load_notes(*self._where, self._problems)
        [(notes, found)] = self._forked.join()
        if self._problems is None:
            for problem in found:
                log.warning("%s", problem)
        else:
            self._problems.extend(found)
        return notes

    def stop(self) -> None:
        if self._forked is not None:
            self._forked.stop()
