"""The bibliography for reference managers: CSL-JSON and RIS files.

The same papers as the ``.bib`` downloads (``garden.pages.bibliography.bibtex_for``), in the
two formats Zotero, Mendeley, EndNote and pandoc read besides BibTeX:

* CSL-JSON (the Citation Style Language's input format): one item per paper.
* RIS, written by rispy: an arXiv preprint is ``UNPB`` (unpublished work, as EndNote files
  a preprint), with arXiv as the publisher and the ID in a note.

Both are written from ``garden.bibliography.csl.csl_item``, the paper as CSL sees it (which also
gives the formatted citations on each paper page).

Both writers take ``abstracts``: the whole garden's files carry each paper's abstract (a
library to import), a topic's leave it out (a list to cite, as every BibTeX of the site is):
at 10,000 papers in 1,000 topics the abstracts were 40 of the topics' 57 MB.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import rispy

from garden.bibliography.csl import csl_item, date_parts
from garden.bibliography.library import Paper
from garden.join import Garden

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


def csl_json(keys: Iterable[str], garden: Garden, *, abstracts: bool = True) -> str:
    """A CSL-JSON file (a JSON array of items) holding ``keys``, sorted by key: one item a
    line, so a diff shows which papers changed, without spaces after the separators, so the
    file stays small (1.1 MB less at 10,000 papers)."""
    return "".join(csl_json_parts(keys, garden, abstracts=abstracts))


def csl_json_parts(keys: Iterable[str], garden: Garden, *, abstracts: bool = True) -> Iterator[str]:
    """``csl_json``'s text in parts, an item at a time (the whole garden's file is never one
    string: garden.pages.page.Asset.from_parts)."""
    papers = garden.library.papers
    found = False
    for key in sorted(keys):
        if key not in papers:
            continue
        item = csl_item(papers[key])  # memoised: never changed here
        if not abstracts:
            item = {k: v for k, v in item.items() if k != "abstract"}
        yield (",\n" if found else "[\n") + json.dumps(
            item, ensure_ascii=False, separators=(",", ":")
        )
        found = True
    yield "\n]\n" if found else "[]\n"


def ris(keys: Iterable[str], garden: Garden, *, abstracts: bool = True) -> str:
    """An RIS file holding ``keys``, sorted by key."""
    return "".join(ris_parts(keys, garden, abstracts=abstracts))


def ris_parts(keys: Iterable[str], garden: Garden, *, abstracts: bool = True) -> Iterator[str]:
    """``ris``'s text in parts, a record at a time: each as rispy writes it alone, with the
    separator rispy puts between records (``SEPARATOR``, a line) before all but the first."""
    papers = garden.library.papers
    between = "" if _RisWriter.SEPARATOR is None else _RisWriter.SEPARATOR + _RisWriter.NEWLINE
    found = False
    for key in sorted(keys):
        if key in papers:
            record = ris_record(papers[key], abstracts=abstracts)
            yield (between if found else "") + rispy.dumps([record], implementation=_RisWriter)
            found = True


def ris_record(paper: Paper, *, abstracts: bool = True) -> dict:
    item = csl_item(paper)
    record: dict = {"type_of_reference": _RIS_TYPES.get(item["type"], "GEN"), "id": paper.key}
    record["title"] = paper.title
    if names := item.get("author"):
        record["authors"] = [_ris_name(name) for name in names]
    if date := date_parts(paper.published or paper.year):
        record["year"] = str(date[0])
        record["date"] = "/".join(f"{part:02d}" for part in date)
    if paper.abstract and abstracts:
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
