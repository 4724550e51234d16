"""The build's guesses, for the author to check in one place: a short Markdown report.

Not a page of the site (it is for the person who writes the notes, not for readers):
``scripts/review.py`` prints it. Three kinds of guess are listed, each with ``file:line``:

* comments split from a paper's title (the line held the title and a remark);
* titles matched fuzzily (the line spells the title differently: an older version, typos),
  and lines naming a paper whose title they do not contain;
* links that could not be classified: not a paper, not a known kind of resource.
"""

from __future__ import annotations

from collections.abc import Iterator

from garden.join import Garden
from garden.notes.model import Block, Item, Note
from garden.pages.items import resource_kind, said_about
from garden.references.comment import FUZZY, SPLIT, UNMATCHED
from garden.references.extract import is_scholarly


def review_report(garden: Garden) -> str:
    """The report as Markdown; a section is left out when it has nothing to check."""
    split, fuzzy, unmatched = [], [], []
    papers = garden.library.papers
    for key, mentions in garden.mentions.items():
        paper = papers[key]
        for m in mentions:
            said = said_about(m.text, paper)
            where = f"`{m.source.note}:{m.source.line}`"
            if said.how == SPLIT:
                split.append(f"- {where} “{paper.title}” — comment: “{said.comment}”")
            elif said.how == FUZZY:
                fuzzy.append(f"- {where} “{said.written_title}” read as “{paper.title}”")
            elif said.how == UNMATCHED and said.comment:
                unmatched.append(f"- {where} “{said.comment}” names “{paper.title}” (`{key}`)")
    links = sorted(set(_unclassified(garden)))
    out = ["# What the build guessed", ""]
    out += _section("Comments split from a title", split)
    out += _section("Titles matched fuzzily", fuzzy)
    out += _section("Lines naming a paper whose title they do not contain", unmatched)
    out += _section("Links it could not classify", links)
    if len(out) == 2:
        out.append("Nothing to check.")
    return "\n".join(out).rstrip() + "\n"


def _section(title: str, rows: list[str]) -> list[str]:
    return [f"## {title} ({len(rows)})", "", *rows, ""] if rows else []


def _unclassified(garden: Garden) -> Iterator[str]:
    """Web links outside every paper and known resource host, in lines naming no paper."""
    for note in garden.notes:
        for item in _items(note):
            if garden.keys_at.get((note.path, item.line)):
                continue
            for lk in item.links:
                if not lk.url.startswith(("http://", "https://")) or is_scholarly(lk.url):
                    continue
                if resource_kind(lk.url)[0] == "web":
                    yield f"- `{note.path}:{item.line}` {lk.url}"


def _items(note: Note) -> Iterator[Item]:
    blocks: list[Block] = list(note.preamble)
    for topic in note.topics:
        for section in topic.sections:
            blocks += section.blocks
    yield from _walk(blocks)


def _walk(blocks: list[Block]) -> Iterator[Item]:
    for block in blocks:
        if isinstance(block, Item):
            yield block
            yield from _walk(list(block.children))
