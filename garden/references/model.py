"""The reference a note makes to a paper, before anything is asked of arXiv."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RefKind(StrEnum):
    ARXIV = "arxiv"  # an arXiv identifier was given (link, DOI, Hugging Face, bare arXiv:ID)
    TITLE = "title"  # only a title was written
    URL = "url"  # a link to a paper outside arXiv (journal PDF, OpenReview, web publication)


@dataclass(frozen=True)
class PaperRef:
    """One mention of a paper in one note.

    ``identity`` is what makes two mentions "the same paper" before resolution and is the key
    of ``bib/refmap.json``: ``arxiv:2312.01429``, ``title:<normalised title>``, ``url:<url>``.
    """

    kind: RefKind
    value: str  # arXiv ID without version / normalised title / URL
    file: str  # note path relative to the project root, e.g. "notes/research-map.md"
    line: int  # 1-based line of the item in that file
    text: str  # the item's text as written (one line), for messages and "title in the note"
    title: str = ""  # the title as written, cleaned of links and comments ("" if none)
    version: str = ""  # "v3" when a versioned link was given

    @property
    def identity(self) -> str:
        return f"{self.kind.value}:{self.value}"

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"
