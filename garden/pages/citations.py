"""The reference text behind each citation footnote, formatted once per paper per build.

mkdocs-bibtex (pybtex mode) formats every citation again on every page (about 1.5 ms each)
and its LaTeX→Markdown step mangles math in titles (``$\\mathrm{SU}(N)$`` → ``mathrmSU(N)``).
The glue in ``hooks.py`` points the plugin's ``reference_text`` here instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cache

from garden.bibliography.library import Library, Paper
from garden.pages.escape import esc


def reference_markdown(paper: Paper) -> str:
    """``Jagannath, Lopatto, Miolane (2018). *Title*. arXiv:1812.03403.`` as Markdown."""
    authors = ", ".join(paper.authors[:6]) + (" et al." if len(paper.authors) > 6 else "")
    parts = [f"{esc(authors)} ({esc(paper.year)})." if paper.year else f"{esc(authors)}."]
    parts.append(f"*{esc(paper.title)}*.")
    if paper.eprint:
        parts.append(f"[arXiv:{esc(paper.eprint)}]({paper.abs_url}).")
    elif paper.journal:
        parts.append(f"{esc(paper.journal)}.")
    if paper.doi and not paper.eprint:
        parts.append(f"[doi:{esc(paper.doi)}]({paper.doi_url}).")
    return " ".join(parts)


def citable(library: Library) -> CitableKeys:
    """Each paper as ``reference_markdown`` needs it, without its abstract and BibTeX: what the
    plugin's registry holds through the whole build (the rest of the library can go)."""
    return CitableKeys(
        {
            key: replace(paper, abstract="", bibtex="", comment="", persons=())
            for key, paper in library.papers.items()
        }
    )


class CitableKeys(Mapping):
    """Papers by key, a key matched without case, as pybtex's dictionary of entries (which
    mkdocs-bibtex checks citations against) matches it."""

    def __init__(self, papers: dict[str, Paper]) -> None:
        self._papers = papers
        self._folded = {key.casefold(): key for key in papers}

    def __getitem__(self, key: str) -> Paper:
        return self._papers[self._folded[key.casefold()]]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.casefold() in self._folded

    def __iter__(self) -> Iterator[str]:
        return iter(self._papers)

    def __len__(self) -> int:
        return len(self._papers)


def cached_formatter(papers: Mapping[str, Paper]):
    """A ``reference_text(citation)`` for the plugin's registry, memoised per key."""

    @cache
    def by_key(key: str) -> str:
        paper = papers.get(key)
        return reference_markdown(paper) if paper else key

    return lambda citation: by_key(citation.key)
