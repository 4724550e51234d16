"""The read side of ``bib/`` for the site build: papers by key and the reference → key map.

Nothing here touches the network; the build reads only committed files. A file it cannot
read is a ``LibraryError`` naming file:line and what to do; a key defined in two ``.bib``
files is a warning (logged, and kept in ``Library.warnings``): the later file in name order
wins, so a ``manual.bib`` entry replaces an ``arxiv.bib`` one with the same key.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.input.bibtex import Parser

from garden.bibliography.bibtex import BibFileError, VerbatimWriter, read_bib
from garden.bibliography.citations import CitationFileError, CitationRecord, read_records
from garden.bibliography.state import MARKERS, BibPaths, JsonMapError, key_clashes, read_json_map
from garden.bibliography.storage import display
from garden.references.model import PaperRef, RefKind
from garden.text import outside_math

log = logging.getLogger(__name__)
REFMAP = "refmap.json"
_COMMAND = re.compile(r"\\(?:emph|textit|textbf|mathrm|text)\s*")
# Text latexcodec's decoder would return unchanged: no LaTeX syntax, none of the ASCII
# ligatures its table translates ("--", "``", "''", ",,", "!`", "?`", "~"), and no whitespace
# its lexer folds (leading, doubled, tabs, newlines). See latexcodec/lexer.py, LatexLexer.
_LATEX_SYNTAX = re.compile(r"[\\%{}~$#\t\n\r]|--|``|''|,,|[!?]`|^ |  ")
_BRACES = re.compile(r"[{}]")
# What latexcodec's encoder changes in UTF-8 output: these ASCII characters, nothing else.
# "~" becomes the control word "\textasciitilde", which changes the spacing after it, so
# text holding one goes the slow way.
_BRACE = re.compile(r"[{}]")


class LibraryError(Exception):
    """``bib/`` cannot be read; the message names the file and what to do."""


@dataclass(frozen=True)
class Paper:
    key: str
    title: str  # plain text; ``$...$`` math kept for KaTeX
    authors: tuple[str, ...]  # people only: "and others" / "et al." set ``more_authors``
    year: str = ""
    abstract: str = ""
    eprint: str = ""  # arXiv ID without version
    version: str = ""
    primary_class: str = ""
    categories: tuple[str, ...] = ()
    url: str = ""
    doi: str = ""
    journal: str = ""  # journal reference or venue
    published: str = ""
    updated: str = ""
    comment: str = ""  # the authors' arXiv comment ("BlackBoxNLP 2019", "37 pages")
    entry_type: str = "misc"
    source: str = ""  # "arxiv.bib" or "manual.bib"
    # The entry to cite, as every BibTeX of the site gives it (a paper page's Cite section, the
    # .bib downloads): the entry without its abstract, which no bibliography style prints (as
    # Google Scholar and arXiv give one). The abstract is ``abstract``.
    bibtex: str = field(default="", repr=False)
    more_authors: bool = False  # the author list ends in "and others": it is not complete
    # The authors as pybtex read them from ``bibtex`` (where "van der Waals" still says which
    # words are the family name): read once with the file, not parsed again per use.
    persons: tuple = field(default=(), repr=False, compare=False)

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.eprint}" if self.eprint else self.url

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.eprint}" if self.eprint else ""

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""


@dataclass(frozen=True)
class Library:
    papers: dict[str, Paper]
    refmap: dict[str, str]  # PaperRef.identity → key or a marker
    by_eprint: dict[str, str] = field(default_factory=dict)  # arXiv ID → key
    # arXiv IDs arXiv had no paper for, with the ISO date it was asked (bib/unresolved.json)
    unresolved_ids: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # file:line: ... (keys two .bib files define)
    # What Semantic Scholar said each paper cites (bib/citations/<key>.json), by key; a paper
    # with no entry has not been asked yet
    citations: Mapping[str, CitationRecord] = field(default_factory=dict)
    # Each paper's formatted citations as bib/styled.json keeps them (garden.bibliography.csl)
    styled: Mapping[str, Mapping] = field(default_factory=dict)

    def key_for(self, ref: PaperRef) -> str | None:
        """The bib key a reference resolved to, or ``None`` (unresolved, or not a paper)."""
        key = self.refmap.get(ref.identity)
        if key is None and ref.kind is RefKind.ARXIV:
            key = self.by_eprint.get(ref.value)
        return key if key in self.papers else None

    def marker_for(self, ref: PaperRef) -> str:
        """``not-a-paper``, ``not-on-arxiv``, ``unresolved`` or ``""`` (resolved/unknown)."""
        value = self.refmap.get(ref.identity, "")
        return value if value in MARKERS else ""

    def missing_on_arxiv(self, ref: PaperRef) -> str:
        """The ISO date arXiv was asked for this reference's explicit ID and had no such
        paper (``"2026-12-01"``), or ``""``: not an ID reference, or not known to be missing."""
        if ref.kind is not RefKind.ARXIV:
            return ""
        return self.unresolved_ids.get(ref.value, "")


def latex_to_text(value: str) -> str:
    """BibTeX field text → plain text: accents decoded, specials unescaped, braces dropped,
    ``$...$`` math left verbatim (pybtex's own conversion turns it into "mathrmSU(N)")."""
    return " ".join(outside_math(value, _plain).split())


def _plain(text: str) -> str:
    # latexcodec eats the space that starts a segment ("$x$ b" → "$x$b"): keep the edges.
    core = text.strip()
    if core != text:
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        return (lead and " ") + _plain(core) + (trail and " ") if core else " "
    text = _COMMAND.sub("", text)
    # latexcodec is pure Python, ~5 µs a character: skipped where it would change nothing but
    # the braces, which go below anyway (every title is braced: 4 s at 10,000 papers)
    syntax = _LATEX_SYNTAX.search(text)
    if syntax and (syntax.group() not in "{}" or _LATEX_SYNTAX.search(_BRACES.sub("", text))):
        text = codecs.decode(text, "ulatex")
    return re.sub(r"(?<!\\)[{}]", "", text).replace("\\{", "{").replace("\\}", "}")


# What BibTeX and arXiv write for "more authors than listed": not a person, never a page.
_PLACEHOLDER_AUTHORS = frozenset({"others", "and others", "et al", "et al.", "al", "al.", "etal"})


def is_placeholder_author(name: str) -> bool:
    """``others`` (BibTeX's "and others"), ``et al.`` and the like."""
    return " ".join(name.casefold().split()) in _PLACEHOLDER_AUTHORS


def people(names: list[str]) -> tuple[tuple[str, ...], bool]:
    """The names that are people, and whether a placeholder said there are more."""
    real = tuple(name for name in names if name.strip() and not is_placeholder_author(name))
    return real, len(real) != len([n for n in names if n.strip()])


def person_name(person: Person) -> str:
    parts = person.first_names + person.middle_names + person.prelast_names + person.last_names
    name = " ".join(parts + person.lineage_names)
    return latex_to_text(name or str(person))


def paper_from_entry(key: str, entry: Entry, source: str) -> Paper:
    get = lambda name: latex_to_text(entry.fields.get(name, ""))  # noqa: E731
    categories = [c.strip() for c in get("keywords").split(",") if c.strip()]
    authors, more = people([person_name(p) for p in entry.persons.get("author", [])])
    return Paper(
        key=key,
        title=get("title"),
        authors=authors,
        more_authors=more,
        year=get("year"),
        abstract=get("abstract"),
        eprint=entry.fields.get("eprint", ""),
        version=get("version"),
        primary_class=get("primaryClass") or get("primaryclass"),
        categories=tuple(categories or filter(None, [get("primaryClass")])),
        url=entry.fields.get("url", ""),
        doi=entry.fields.get("doi", ""),
        journal=get("journal_ref") or get("journal") or get("booktitle") or get("howpublished"),
        published=get("date") or get("year"),
        updated=get("updated"),
        comment=get("comment"),
        entry_type=entry.type,
        source=source,
        bibtex=_to_cite(key, entry),
        persons=tuple(entry.persons.get("author", ())),
    )


def _to_cite(key: str, entry: Entry) -> str:
    """``entry`` as BibTeX without its abstract."""
    fields = [(name, value) for name, value in entry.fields.items() if name.lower() != "abstract"]
    if len(fields) < len(entry.fields):
        entry = Entry(entry.type, fields=fields, persons=entry.persons)
    return bibtex_string({key: entry}).strip()


class _Writer(VerbatimWriter):
    """The project's BibTeX writer (values verbatim: they are LaTeX already; pybtex's own
    writer would escape ``_`` inside math a second time) with a fast brace check.

    ``BibliographyData.to_string("bibtex")`` also looks the writer up through package entry
    points on every call (~7 ms each, ``pybtex.plugin.find_plugin``); latexcodec's encoder
    and pybtex's brace check walk the text a character at a time in Python.
    """

    def check_braces(self, s: str) -> None:
        if not _plainly_balanced(s):  # pybtex also tolerates some unbalanced forms: ask it
            super().check_braces(s)


def _plainly_balanced(text: str) -> bool:
    """Every brace closed in order and nested at most 100 deep: pybtex's check passes."""
    depth = 0
    for brace in _BRACE.findall(text):
        depth += 1 if brace == "{" else -1
        if not 0 <= depth <= 100:
            return False
    return depth == 0


def bibtex_string(entries: dict[str, Entry]) -> str:
    """``entries`` written as BibTeX by pybtex's writer (its escaping and brace checks)."""
    return _Writer().to_string(BibliographyData(entries=entries))


def parse_bibtex(text: str) -> dict[str, Entry]:
    """The entries of a BibTeX string, read with pybtex's parser (no plugin lookup)."""
    return dict(Parser().parse_string(text).entries.items())


def load_library(bib_dir: Path, citations: bool = True, warn: bool = True) -> Library:
    """Read every ``*.bib`` in ``bib_dir``, ``refmap.json``, ``unresolved.json``,
    ``styled.json`` and (unless ``citations`` is false: the citation fetch, which repairs them)
    ``citations/*.json``; missing files mean empty. ``warn=False`` keeps what is wrong in
    ``Library.warnings`` without logging it (for a caller that has said it already)."""
    papers: dict[str, Paper] = {}
    files = []
    for path in sorted(Path(bib_dir).glob("*.bib")):
        try:
            entries = read_bib(path)
        except BibFileError as exc:
            raise LibraryError(str(exc)) from None
        files.append((path, entries))
        for key, entry in entries.items():
            papers[key] = paper_from_entry(key, entry, path.name)
    warnings = tuple(key_clashes(files))
    for warning in warnings if warn else ():
        log.warning("%s", warning)
    by_eprint = {paper.eprint: key for key, paper in papers.items() if paper.eprint}
    paths = BibPaths(Path(bib_dir))
    refmap = _read_map(paths.refmap, "run scripts/fetch_arxiv.py (it rebuilds it from arxiv.bib)")
    unresolved = _read_map(paths.unresolved, "delete it (the fetch then asks arXiv again)")
    cites = _read_citations(Path(bib_dir)) if citations else {}
    styled = _read_styled(Path(bib_dir), warn)
    return Library(papers, refmap, by_eprint, unresolved, warnings, cites, styled)


def _read_styled(bib_dir: Path, warn: bool = True) -> dict[str, dict]:
    """``bib/styled.json`` by key; missing or unreadable means empty (it is derived data: the
    build then formats every paper itself, and says how to restore the file)."""
    path = BibPaths(Path(bib_dir)).styled
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problem = f"unreadable ({exc})"
    else:
        if isinstance(data, dict):
            return {key: entry for key, entry in data.items() if isinstance(entry, dict)}
        problem = "not a JSON object"
    if warn:
        log.warning(
            "%s: %s; citations are formatted at build time instead. "
            "Run scripts/fetch_arxiv.py to write it again",
            display(path),
            problem,
        )
    return {}


def _read_citations(bib_dir: Path) -> dict[str, CitationRecord]:
    try:
        return read_records(bib_dir)
    except CitationFileError as exc:
        raise LibraryError(
            f"{exc}; restore it (git checkout) or delete it and run scripts/fetch_citations.py "
            "(it asks Semantic Scholar again for that paper)"
        ) from None


def _read_map(path: Path, fix: str) -> dict[str, str]:
    try:
        return read_json_map(path)
    except JsonMapError as exc:
        shown = display(path)
        raise LibraryError(f"{exc}; restore it (git checkout -- {shown}) or {fix}") from None
