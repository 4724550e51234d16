"""Stage 2: which paper does each note item mean? (arXiv IDs in any form, or a title)."""

from garden.references.extract import (
    blocks_references,
    canonical_url,
    clean_title,
    extract_references,
    item_references,
    note_references,
)
from garden.references.ids import ArxivId, arxiv_id_from_url, arxiv_ids_in_text, parse_arxiv_id
from garden.references.model import PaperRef, RefKind

__all__ = [
    "ArxivId",
    "PaperRef",
    "RefKind",
    "arxiv_id_from_url",
    "arxiv_ids_in_text",
    "blocks_references",
    "canonical_url",
    "clean_title",
    "extract_references",
    "item_references",
    "note_references",
    "parse_arxiv_id",
]
