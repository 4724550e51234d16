"""Lint rules read off a note's text as written: script, math, wikilinks, mojibake, obsidian.

Code (fenced or indented blocks, inline spans) and front matter are masked with spaces first:
the site shows them verbatim, so nothing in them can run or break. Masking keeps every
offset, so a match's position is its line and column in the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from garden.notes import repair_text
from garden.text import normalize

_MD = MarkdownIt("commonmark").use(front_matter_plugin)
_VERBATIM = ("fence", "code_block", "front_matter")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_SCRIPT_TAG = re.compile(r"<(script|iframe|object|embed)\b", re.IGNORECASE)
_EVENT_ATTRIBUTE = re.compile(r"<[a-zA-Z][^<>]*?\s(on[a-zA-Z]+)\s*=", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"\b(?:java|vb)script\s*:|\bdata:text/html", re.IGNORECASE)
_OBSIDIAN = re.compile(r"obsidian://[^\s)>\]]*", re.IGNORECASE)
_WIKILINK = re.compile(r"\[\[([^\[\]|]*)(?:\|[^\[\]]*)?\]\]")
_DOLLARS = re.compile(r"(?<!\\)\${1,2}")


@dataclass(frozen=True)
class Finding:
    """A problem at a 0-based offset of the note's text; the caller turns it into a message."""

    offset: int
    level: str  # "error" | "warning"
    text: str


def mask_code(text: str) -> str:
    """``text`` with code blocks, code spans and front matter replaced by spaces."""
    lines = text.split("\n")
    for token in _MD.parse(text):
        if token.type in _VERBATIM and token.map:
            for index in range(*token.map):
                lines[index] = _blank(lines[index])
    masked = "\n".join(lines)
    return _CODE_SPAN.sub(lambda m: _blank(m.group()), masked)


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def script_findings(masked: str) -> Iterator[Finding]:
    """Raw HTML that could run script once rendered: the site must never carry any."""
    for m in _SCRIPT_TAG.finditer(masked):
        tag = m[1].lower()
        yield Finding(m.start(), "error", f"raw <{tag}> tag could run script; remove it")
    for m in _EVENT_ATTRIBUTE.finditer(masked):
        yield Finding(m.start(1), "error", f"HTML attribute '{m[1]}=' runs script; remove it")
    for m in _SCRIPT_URL.finditer(masked):
        yield Finding(m.start(), "error", f"'{m.group()}' URL runs script; link to a web page")


def obsidian_findings(masked: str) -> Iterator[Finding]:
    for m in _OBSIDIAN.finditer(masked):
        yield Finding(
            m.start(),
            "warning",
            "obsidian:// link only opens in the author's vault; "
            "link to a web page or drop the link",
        )


def wikilink_findings(masked: str, topics: Container[str]) -> Iterator[Finding]:
    """``[[Topic]]`` / ``[[Topic|label]]`` naming no topic heading in any note."""
    for m in _WIKILINK.finditer(masked):
        if normalize(m[1]) not in topics:
            yield Finding(
                m.start(),
                "error",
                f"unknown topic [[{m[1].strip()}]]: no note has a heading with that name",
            )


def math_findings(text: str, masked: str) -> Iterator[Finding]:
    """A ``$`` or ``$$`` with no partner in its paragraph, heading or list item text."""
    lines = _line_starts(text)
    for token in _MD.parse(text):
        if token.type == "inline" and token.map:
            start, end = lines[token.map[0]], lines[min(token.map[1], len(lines) - 1)]
            opened = _unclosed_math(masked, start, end)
            if opened is not None:
                delimiter = "$$" if masked.startswith("$$", opened) else "$"
                yield Finding(
                    opened,
                    "error",
                    f"'{delimiter}' opens math that is never "
                    f"closed; close it or write \\{delimiter[0]} for a dollar sign",
                )


def _unclosed_math(masked: str, start: int, end: int) -> int | None:
    open_at, delimiter = None, ""
    for m in _DOLLARS.finditer(masked, start, end):
        if open_at is None:
            open_at, delimiter = m.start(), m.group()
        elif m.group() == delimiter:
            open_at = None
    return open_at


def mojibake_findings(text: str) -> Iterator[Finding]:
    """Lines whose characters were mis-decoded once (``â€™`` for ``’``); repaired at build."""
    offset = 0
    for line in text.split("\n"):
        repaired = repair_text(line)
        if repaired != line:
            col = next(
                (i for i, (a, b) in enumerate(zip(line, repaired, strict=False)) if a != b), 0
            )
            yield Finding(
                offset + col,
                "warning",
                f"mis-encoded text '{line[col : col + 6]}' "
                f"(reads '{repaired[col : col + 3]}'); re-save the note as UTF-8",
            )
        offset += len(line) + 1


def source_findings(text: str, topics: Container[str]) -> list[Finding]:
    """Every finding of the rules above for one note's decoded text."""
    masked = mask_code(text)
    rules: list[Callable[[], Iterator[Finding]]] = [
        lambda: script_findings(masked),
        lambda: obsidian_findings(masked),
        lambda: wikilink_findings(masked, topics),
        lambda: math_findings(text, masked),
        lambda: mojibake_findings(text),
    ]
    return [finding for rule in rules for finding in rule()]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    return [*starts, len(text)]


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
