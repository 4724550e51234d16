"""``ArxivRecord`` → pybtex ``Entry``; reading ``.bib`` files and writing them atomically.

Encoding choice: UTF-8, not LaTeX accent macros. ``Köhler`` is written as ``Köhler``: biber
and pybtex (which renders the site through mkdocs-bibtex) read UTF-8 natively, BibTeX does
under ``inputenc``, and the file stays greppable and diffs readably. What *must* be escaped
are LaTeX's specials, and arXiv's metadata is already LaTeX-flavoured (``$1/N$``,
``\\emph{...}``, ``100%``), so ``latex_escape`` keeps ``$...$`` math and command groups intact
and escapes the rest. pybtex's own writer pushes every value through latexcodec, which breaks
exactly that (``$x_1$`` → ``$x\\_1$``, ``\\%`` → ``\\\\%``), so ``VerbatimWriter`` skips that
step and keeps the writer's real job: quoting and checking that braces balance.
"""

from __future__ import annotations

import re
from pathlib import Path

from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.input.bibtex import Parser
from pybtex.database.output.bibtex import Writer
from pybtex.scanner import PybtexError

from garden.bibliography.records import ArxivRecord
from garden.bibliography.storage import display, write_atomic
from garden.text import MATH

HEADER = "% Written by scripts/fetch_arxiv.py from arXiv metadata. Do not edit: it is rewritten.\n"
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|\\$|[{}&%$#_]|[^\\{}&%$#_]+", re.S)
_SPECIALS = "&%$#_"


def latex_escape(text: str) -> str:
    """Escape ``& % $ # _ { }`` outside ``$...$`` math; keep commands and their brace groups."""
    out, pos = [], 0
    for math in MATH.finditer(text):
        segment = math.group()
        if not _balanced(segment):
            continue
        out += [_escape_text(text[pos : math.start()]), segment.replace("%", r"\%")]
        pos = math.end()
    return "".join(out) + _escape_text(text[pos:])


def _balanced(text: str) -> bool:
    depth = 0
    for token in _TOKEN.findall(text):
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth < 0:
            return False
    return depth == 0


def _brace_pairs(tokens: list[str]) -> tuple[set[int], set[int]]:
    """Indexes of ``{``/``}`` tokens in matched pairs, and of those pairs that are LaTeX
    groups (opened right after a command, or starting with one: ``\\emph{x}``, ``{\\bf x}``)."""
    matched, kept, stack = set(), set(), []
    for i, token in enumerate(tokens):
        if token == "{":
            stack.append(i)
        elif token == "}" and stack:
            start = stack.pop()
            matched |= {start, i}
            follows_command = start > 0 and tokens[start - 1].startswith("\\")
            opens_command = start + 1 < i and tokens[start + 1].startswith("\\")
            if follows_command or opens_command:
                kept |= {start, i}
    return matched, kept


def _escape_text(text: str) -> str:
    tokens = _TOKEN.findall(text)
    matched, kept = _brace_pairs(tokens)
    out = []
    for i, token in enumerate(tokens):
        if token in "{}" and i not in matched:
            # BibTeX counts braces even after a backslash: a lone one needs a brace-free form
            out.append(r"\textbraceleft{}" if token == "{" else r"\textbraceright{}")
        elif (token in "{}" and i not in kept) or token in _SPECIALS:
            out.append("\\" + token)
        elif token == "\\":
            out.append(r"\textbackslash{}")
        else:
            out.append(token)
    return "".join(out)


def to_entry(record: ArxivRecord) -> Entry:
    """An ``@misc`` entry with the eprint fields biblatex and mkdocs-bibtex understand."""
    fields = {
        "title": "{" + latex_escape(record.title) + "}",  # inner braces keep arXiv's casing
        "year": str(record.published.year),
        "month": MONTHS[record.published.month - 1],
        "eprint": record.arxiv_id,
        "archivePrefix": "arXiv",
        "primaryClass": record.primary_category,
        "url": record.url,
        "doi": record.doi,
        "journal_ref": latex_escape(record.journal_ref),
        "abstract": latex_escape(record.summary),
        # biblatex fields the paper pages show: first-version date, latest version, categories.
        "date": record.published.isoformat(),
        "version": record.version,
        "keywords": ", ".join(record.categories),
        "updated": record.updated.isoformat() if record.updated != record.published else "",
        "comment": latex_escape(record.comment),
    }
    persons = {"author": [Person(latex_escape(name)) for name in record.authors]}
    fields = {name: " ".join(value.split()) for name, value in fields.items() if value}
    return Entry("misc", fields=fields, persons=persons)  # one line each: BibTeX folds anyway


class VerbatimWriter(Writer):
    """pybtex's BibTeX writer minus its latexcodec pass (values are escaped already)."""

    def _encode(self, text: str) -> str:
        return text


def to_string(entries: dict[str, Entry]) -> str:
    data = BibliographyData(entries={key: entries[key] for key in sorted(entries)})
    return HEADER + "\n" + VerbatimWriter().to_string(data) if entries else HEADER


class BibFileError(Exception):
    """A ``.bib`` file pybtex cannot read; the message names the file, the entry's line and
    what to do."""

    def __init__(self, path: Path, line: int, problem: str):
        super().__init__(f"{display(path)}:{line}: {problem}; {_advice(path)}")
        self.path, self.line, self.problem = path, line, problem


def _advice(path: Path) -> str:
    shown = display(path)
    if path.name == "arxiv.bib":
        return (
            f"{shown} is written by scripts/fetch_arxiv.py: restore it (git checkout -- {shown}) "
            "or delete it and run the fetch to ask arXiv for every paper again"
        )
    return f"fix that entry in {shown} by hand (the fetch never rewrites it)"


_ENTRY_START = re.compile(r"^[ \t]*@", re.M)
_ENTRY_HEAD = re.compile(r"@\s*(\w+)\s*[{(]\s*([^\s,{}()]*)")
_PYBTEX_LINE = re.compile(r"^syntax error in line (\d+): ")


def read_bib(path: Path) -> dict[str, Entry]:
    """The entries of a ``.bib`` file, by key; ``{}`` when the file does not exist.

    ``BibFileError`` names the line of the entry that breaks the file (pybtex names the line
    where it noticed, often the end of the file for a brace left open)."""
    if not path.exists():
        return {}
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise BibFileError(path, line, f"byte 0x{raw[err.start]:02x} is not UTF-8") from None
    try:
        return _parse(text)
    except PybtexError:
        line, problem = locate_bib_error(text)
        raise BibFileError(path, line, problem) from None


def _parse(text: str) -> dict[str, Entry]:
    return dict(Parser().parse_string(text).entries.items())


def entry_lines(text: str) -> dict[str, int]:
    """Line of each entry's ``@type{key`` by lower-cased key (first one if repeated)."""
    lines: dict[str, int] = {}
    line, counted = 1, 0  # lines counted up to each entry from the last, not from the start
    for match in _ENTRY_START.finditer(text):
        line, counted = line + text.count("\n", counted, match.start()), match.start()
        head = _ENTRY_HEAD.match(text, match.end() - 1)
        if head and head.group(1).lower() not in ("comment", "preamble", "string"):
            lines.setdefault(head.group(2).lower(), line)
    return lines


def locate_bib_error(text: str) -> tuple[int, str]:
    """``(line, problem)`` for a BibTeX text pybtex refuses: the first entry (a chunk starting
    at a line's ``@``) whose text, with everything before it, no longer parses."""
    starts = [m.start() for m in _ENTRY_START.finditer(text)] or [0]
    if starts[0] != 0:
        starts.insert(0, 0)  # text before the first entry is a chunk of its own
    ends = [*starts[1:], len(text)]

    def error(count: int) -> PybtexError | None:  # parsing the first ``count`` chunks
        try:
            _parse(text[: ends[count - 1]])
        except PybtexError as err:
            return err
        return None

    low, high = 1, len(starts)  # the first failing prefix; the whole text fails
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if error(middle) else (middle + 1, high)
    start, chunk = starts[low - 1], text[starts[low - 1] : ends[low - 1]]
    line = text.count("\n", 0, start + len(chunk) - len(chunk.lstrip())) + 1
    head = _ENTRY_HEAD.match(chunk.lstrip())
    key = head.group(2) if head else ""
    reason = str(error(low))
    if key and key.lower() in (earlier := entry_lines(text[:start])):
        reason = f"repeats the key of the entry at line {earlier[key.lower()]} (keys ignore case)"
    elif "premature end of file" in reason:  # of the prefix: the entry never closes
        reason = "a '{' or '\"' opened in it is never closed"
    elif found := _PYBTEX_LINE.match(reason):
        reason = f"{reason[found.end() :]} (pybtex stopped at line {found.group(1)})"
    what = f"entry '{key}'" if key else "text"
    return line, f"{what} cannot be read: {reason}"


def write_bib(path: Path, entries: dict[str, Entry]) -> bool:
    """Write ``entries`` sorted by key through pybtex's writer, atomically."""
    return write_atomic(path, to_string(entries))
