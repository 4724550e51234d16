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

import os
import re
import tempfile
from pathlib import Path

from pybtex.database import BibliographyData, Entry, Person, parse_file
from pybtex.database.output.bibtex import Writer

from garden.bibliography.records import ArxivRecord
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


def read_bib(path: Path) -> dict[str, Entry]:
    """The entries of a ``.bib`` file, by key; ``{}`` when the file does not exist."""
    if not path.exists():
        return {}
    return dict(parse_file(str(path), bib_format="bibtex").entries.items())


def write_atomic(path: Path, text: str) -> bool:
    """Replace ``path`` with ``text`` in one step (temp file + ``os.replace``); an interrupted
    write leaves the old file whole. Returns ``False`` and touches nothing if unchanged."""
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_bib(path: Path, entries: dict[str, Entry]) -> bool:
    """Write ``entries`` sorted by key through pybtex's writer, atomically."""
    return write_atomic(path, to_string(entries))
