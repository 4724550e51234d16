"""The note linter: what a reviewer would catch in a note, as ``file:line:col: level: text``.

Text rules (script, math, wikilinks, mojibake, obsidian links) live in ``garden.checks.source``;
the rules here need the parsed notes and ``bib/``: missing or unresolved papers, the same
paper twice in a topic, topic headings that differ only in spelling, bare URLs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from garden.bibliography.library import Library
from garden.bibliography.overrides import Decision, Override, Overrides
from garden.bibliography.state import NOT_A_PAPER, NOT_ON_ARXIV, UNRESOLVED
from garden.checks.source import position, source_findings
from garden.notes import Item, Note, NoteError, Paragraph
from garden.notes.read import decode_note, note_paths, read_note
from garden.references import (
    PaperRef,
    RefKind,
    arxiv_id_from_url,
    blocks_references,
    clean_title,
    note_references,
)
from garden.text import normalize

FETCH = "python scripts/fetch_arxiv.py"
OVERRIDES = "bib/overrides.yaml"
MARKED = (NOT_A_PAPER, NOT_ON_ARXIV)
_VERSION = re.compile(r"v\d+$")
SIMILAR_TOPICS = 90  # rapidfuzz ratio (0-100) above which two topic names are one misspelt


@dataclass(frozen=True, order=True)
class Message:
    file: str
    line: int
    col: int
    level: str  # "error" | "warning"
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.level}: {self.text}"


@dataclass(frozen=True)
class Source:
    """One note as read: its decoded text and its parse (None if it could not be read)."""

    file: str
    text: str
    note: Note | None


def lint(
    targets: Iterable[Path],
    notes_dir: Path,
    root: Path,
    library: Library,
    overrides: Overrides | None = None,
) -> list[Message]:
    """Lint the notes ``targets`` (files or folders); all notes in ``notes_dir`` are context."""
    wanted = {path.resolve() for target in targets for path in _expand(target)}
    context = {path.resolve() for path in note_paths(notes_dir)} if notes_dir.is_dir() else set()
    sources, messages = [], []
    for path in sorted(wanted | context):
        source, error = read_source(path, root)
        if path in wanted and error is not None:
            messages.append(error)
        if source is not None:
            sources.append(source)
    linted = {source.file for source in sources if (root / source.file).resolve() in wanted}
    found = notes_messages(sources, library, overrides or Overrides())
    messages += [m for m in found if m.file in linted]
    return sorted(set(messages))


def notes_messages(sources: list[Source], library: Library, overrides: Overrides) -> list[Message]:
    """Every message for ``sources``, which are linted together (topics merge across notes)."""
    notes = [source.note for source in sources if source.note is not None]
    topics = {normalize(topic.title) for note in notes for topic in note.topics}
    messages = []
    for source in sources:
        for finding in source_findings(source.text, topics):
            line, col = position(source.text, finding.offset)
            messages.append(Message(source.file, line, col, finding.level, finding.text))
    lines = {source.file: source.text.split("\n") for source in sources}
    for note in notes:
        messages += bib_messages(note, library, overrides, lines[note.path])
        messages += bare_url_messages(note, lines[note.path])
        messages += duplicate_messages(note, library, lines[note.path])
    return messages + topic_spelling_messages(notes)


def read_source(path: Path, root: Path) -> tuple[Source | None, Message | None]:
    """Decode and parse one note; an unreadable one gives an error message instead."""
    file = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    try:
        text = decode_note(path.read_bytes(), file)
        return Source(file, text, read_note(path, root)), None
    except NoteError as exc:
        return None, Message(exc.file, exc.line, 1, "error", exc.message)
    except OSError as exc:
        return None, Message(file, 1, 1, "error", f"cannot read the note ({exc.strerror})")


def bib_messages(
    note: Note, library: Library, overrides: Overrides, lines: list[str]
) -> Iterator[Message]:
    """A reference with no entry in ``bib/``, or a title arXiv did not resolve and no one marked."""
    for ref in note_references(note):
        text = _bib_problem(ref, library, overrides.lookup(ref))
        if text:
            line, col = locate(lines, ref.line, _needle(ref))
            yield Message(note.path, line, col, "error", text)


def _bib_problem(ref: PaperRef, library: Library, override: Override | None) -> str:
    """What is wrong with this reference's place in ``bib/``; "" when nothing is."""
    if override is None:
        marker = library.marker_for(ref)
        if library.key_for(ref) or marker in MARKED:
            return ""
        if ref.kind is RefKind.ARXIV and (asked := library.missing_on_arxiv(ref)):
            return f"arXiv has no paper {ref.value} (asked {asked}); check the ID"
        if marker == UNRESOLVED and ref.kind is RefKind.ARXIV:
            return f"arXiv did not resolve {ref.value}; check the ID, then run {FETCH} --refresh"
        if marker == UNRESOLVED:
            return (
                f"no arXiv paper matches the title '{ref.title or ref.text}'; pin its arXiv "
                f"ID or mark it not-a-paper / not-on-arxiv in {OVERRIDES}"
            )
        return f"{_describe(ref)} has no entry in bib/; run {FETCH}"
    if override.decision is Decision.ARXIV:
        pinned = _VERSION.sub("", override.arxiv_id)
        if asked := library.unresolved_ids.get(pinned, ""):
            return f"arXiv has no paper {pinned} (asked {asked}); check the pin in {OVERRIDES}"
        if pinned not in library.by_eprint:
            return f"pinned arXiv:{pinned} has no entry in bib/; run {FETCH}"
        return ""
    key = override.manual_key
    if override.decision is Decision.NOT_ON_ARXIV and key and key not in library.papers:
        return f"{OVERRIDES} names '{key}' for this paper, but bib/manual.bib has no such entry"
    return ""


def duplicate_messages(note: Note, library: Library, lines: list[str]) -> Iterator[Message]:
    """The same paper twice under one topic of one note (a heading repeated counts as one)."""
    first: dict[tuple[str, str], PaperRef] = {}
    for topic in note.topics:
        for ref in (r for s in topic.sections for r in blocks_references(s.blocks, note.path)):
            paper = library.key_for(ref) or ref.identity
            seen = first.setdefault((normalize(topic.title), paper), ref)
            if seen.line != ref.line and not _titles_its_link(seen, ref):
                line, col = locate(lines, ref.line, _needle(ref))
                text = f"same paper as line {seen.line} in topic '{topic.title}'; keep one"
                yield Message(note.path, line, col, "warning", text)


def _titles_its_link(link: PaperRef, ref: PaperRef) -> bool:
    """A bare link and the title written on the line below it: one mention, not two."""
    return not link.title and ref.kind is RefKind.TITLE and 0 < ref.line - link.line <= 2


def topic_spelling_messages(notes: list[Note]) -> list[Message]:
    """A topic heading spelt almost like a more common one: suggest that one, so they merge."""
    uses = Counter(normalize(topic.title) for note in notes for topic in note.topics)
    shown = {normalize(t.title): t.title for note in reversed(notes) for t in note.topics}
    messages = []
    for note in notes:
        for topic in note.topics:
            name = normalize(topic.title)
            better = [o for o in uses if o != name and _similar(o, name) and _wins(o, name, uses)]
            if better:
                text = f"topic '{topic.title}' looks like '{shown[better[0]]}'; use one spelling"
                messages.append(Message(note.path, topic.line, 1, "warning", text))
    return messages


def bare_url_messages(note: Note, lines: list[str]) -> Iterator[Message]:
    """A link written as a bare URL with no words saying what it is (arXiv links excepted)."""
    for block, first_child in _blocks(note):
        if clean_title(block.text) or first_child:
            continue
        for link in block.links:
            if not link.label and _needs_title(link.url):
                line, col = locate(lines, block.line, link.url)
                text = f"bare URL {link.url} has no title; write it as [Title](URL)"
                yield Message(note.path, line, col, "warning", text)


def locate(lines: list[str], line: int, needle: str, span: int = 8) -> tuple[int, int]:
    """Line and column of ``needle`` at or just after ``line``; the line's text start if absent."""
    for index in range(line - 1, min(line - 1 + span, len(lines))):
        col = lines[index].find(needle) if needle else -1
        if col >= 0:
            return index + 1, col + 1
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return line, len(text) - len(text.lstrip()) + 1


def _expand(target: Path) -> list[Path]:
    return note_paths(target) if target.is_dir() else [target]


def _blocks(note: Note) -> Iterator[tuple[Item | Paragraph, bool]]:
    """Every item and paragraph, with whether its first child is an item (a title below it)."""
    stack = list(note.preamble) + [b for t in note.topics for s in t.sections for b in s.blocks]
    while stack:
        block = stack.pop(0)
        if isinstance(block, Item):
            first = bool(block.children) and isinstance(block.children[0], Item)
            yield block, first and bool(clean_title(block.children[0].text))
            stack[:0] = block.children
        elif isinstance(block, Paragraph):
            yield block, False


def _needs_title(url: str) -> bool:
    return url.startswith(("http://", "https://")) and arxiv_id_from_url(url) is None


def _needle(ref: PaperRef) -> str:
    return ref.value if ref.kind is RefKind.ARXIV else ref.title[:20]


def _describe(ref: PaperRef) -> str:
    if ref.kind is RefKind.ARXIV:
        return f"arXiv:{ref.value}"
    return f"'{ref.title or ref.value}'" if ref.kind is RefKind.TITLE else ref.value


def _similar(a: str, b: str) -> bool:
    singular = lambda name: " ".join(word.rstrip("s") for word in name.split())  # noqa: E731
    return singular(a) == singular(b) or fuzz.ratio(a, b) >= SIMILAR_TOPICS


def _wins(other: str, name: str, uses: Counter) -> bool:
    """``other`` is the spelling to keep: used more often, or as often and sorting first."""
    return (uses[other], name) > (uses[name], other)
