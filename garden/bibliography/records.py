"""The metadata of one arXiv paper, as the API reports it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import arxiv

from garden.references.ids import split_version


@dataclass(frozen=True)
class ArxivRecord:
    arxiv_id: str  # without version: "2310.13434", "hep-th/9711200"
    version: str  # "v2"; "" if the API gave none
    title: str
    authors: tuple[str, ...]
    summary: str
    published: date
    updated: date
    primary_category: str
    categories: tuple[str, ...] = ()
    doi: str = ""
    journal_ref: str = ""
    comment: str = ""

    @property
    def url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"


def from_result(result: arxiv.Result) -> ArxivRecord:
    """Build a record from what ``arxiv.Client.results`` yields."""
    arxiv_id, version = split_version(result.get_short_id())
    return ArxivRecord(
        arxiv_id=arxiv_id,
        version=version,
        title=" ".join(result.title.split()),
        authors=tuple(author.name for author in result.authors),
        summary=" ".join(result.summary.split()),
        published=result.published.date(),
        updated=result.updated.date(),
        primary_category=result.primary_category,
        categories=tuple(result.categories),
        doi=result.doi or "",
        journal_ref=result.journal_ref or "",
        comment=result.comment or "",
    )
