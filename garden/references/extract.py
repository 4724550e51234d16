"""Which papers does each item of a note mean? One ``PaperRef`` per mention.

Rules, in order, for one item:

1. arXiv IDs in its links or text: one reference each. An ID always wins over a title.
2. A link to a scholarly site outside arXiv: with a title written beside it, a title
   reference (arXiv may hold a preprint); a bare link, a URL reference.
3. Links to anything else (videos, blogs, a private vault) make the item a resource.
4. Otherwise text of three words or more, without math, is a title reference, unless it
   sits under an item that already names a paper or resource: those children are the
   author's comments, and so are their children. A bare link's first child is its title,
   and a short label ("MNIST related") starts a fresh list of papers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from garden.notes.model import Block, Item, Link, Note, Paragraph
from garden.references.ids import arxiv_id_from_url, arxiv_ids_in_text
from garden.references.model import PaperRef, RefKind
from garden.text import normalize, one_line

SCHOLARLY_HOSTS = (
    "openreview.net",
    "jmlr.org",
    "transformer-circuits.pub",
    "doi.org",
    "proceedings.mlr.press",
    "papers.nips.cc",
    "proceedings.neurips.cc",
    "aclanthology.org",
    "dl.acm.org",
    "ieeexplore.ieee.org",
    "link.springer.com",
    "sciencedirect.com",
    "nature.com",
    "science.org",
    "hal.science",
    "biorxiv.org",
    "medrxiv.org",
    "openaccess.thecvf.com",
    "projecteuclid.org",
    "distill.pub",
    "pnas.org",
    "journals.aps.org",
    "iopscience.iop.org",
    "academic.oup.com",
)
MIN_TITLE_WORDS = 3
MAX_TITLE_WORDS = 40
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# An arXiv link with words glued on ("abs/2308.09124:Linearity of ..."): cut at the ID.
_ARXIV_URL = re.compile(
    r"(?:https?://)?(?:www\.|export\.)?(?:arxiv\.org|huggingface\.co|alphaxiv\.org|ar5iv[\w.]*)"
    r"/\S*?\d{4}\.\d{4,5}(?:v\d+)?(?:\.pdf)?"
)
_URL = re.compile(r"<?(?:https?|obsidian|ftp)://\S+>?|\bwww\.\S+")
_EDGE_JUNK = re.compile(r"^[\s|:;,.!?\-–—>*#]+|[\s|:;,\-–—>*#]+$")


def is_scholarly(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in SCHOLARLY_HOSTS)


def clean_title(text: str) -> str:
    """The title as written, without links, emphasis markers or separator junk at the ends."""
    text = _URL.sub(" ", _ARXIV_URL.sub(" ", _MD_LINK.sub(r"\1", text)))
    text = one_line(text.replace("**", " ").replace("__", " "))
    return _EDGE_JUNK.sub("", text)


def extract_references(notes: Iterable[Note]) -> list[PaperRef]:
    """Every paper reference in every note, in reading order."""
    return [ref for note in notes for ref in note_references(note)]


def note_references(note: Note) -> Iterator[PaperRef]:
    yield from blocks_references(note.preamble, note.path)
    for topic in note.topics:
        for section in topic.sections:
            yield from blocks_references(section.blocks, note.path)


def blocks_references(
    blocks: Iterable[Block], file: str, in_comment: bool = False
) -> Iterator[PaperRef]:
    for block in blocks:
        if isinstance(block, Item):
            refs = item_references(block, file, in_comment)
            yield from refs
            for index, child in enumerate(block.children):
                yield from blocks_references(
                    [child], file, _child_is_comment(block, refs, in_comment, index)
                )
        elif isinstance(block, Paragraph):
            title = clean_title(block.text)
            yield from _arxiv_refs(block.text, block.links, file, block.line, title)


def _child_is_comment(parent: Item, refs: tuple, in_comment: bool, index: int) -> bool:
    """Under a paper or a link, sub-items are the author's comments; under a short label
    ("MNIST related", "Intuition") they are a fresh list: the label groups papers."""
    subject = bool(refs or parent.links)
    if subject:
        bare_link = not clean_title(parent.text)
        return not (bare_link and index == 0)  # a bare link's first child is its title
    is_label = len(normalize(clean_title(parent.text)).split()) < MIN_TITLE_WORDS
    return in_comment and not is_label


def item_references(item: Item, file: str, in_comment: bool = False) -> tuple[PaperRef, ...]:
    """The references made by the item's own text (not its children)."""
    title = clean_title(item.text)
    refs = tuple(_arxiv_refs(item.text, item.links, file, item.line, title))
    if refs or item.is_heading:
        return refs
    scholarly = [link for link in item.links if is_scholarly(link.url)]
    if scholarly:
        if _is_title(title):
            return (_ref(RefKind.TITLE, normalize(title), file, item, title),)
        return (_ref(RefKind.URL, canonical_url(scholarly[0].url), file, item, title),)
    if item.links or in_comment or not _is_title(title):
        return ()
    return (_ref(RefKind.TITLE, normalize(title), file, item, title),)


def _arxiv_refs(
    text: str, links: tuple[Link, ...], file: str, line: int, title: str
) -> Iterator[PaperRef]:
    found = [ident for link in links if (ident := arxiv_id_from_url(link.url))]
    seen: set[str] = set()
    for ident in found + arxiv_ids_in_text(text):
        if ident.id not in seen:
            seen.add(ident.id)
            written = title if _is_title(title) else ""
            text_line = one_line(text)
            yield PaperRef(RefKind.ARXIV, ident.id, file, line, text_line, written, ident.version)


def _ref(kind: RefKind, value: str, file: str, item: Item, title: str) -> PaperRef:
    return PaperRef(kind, value, file, item.line, one_line(item.text), title)


def _is_title(title: str) -> bool:
    words = normalize(title).split()
    return MIN_TITLE_WORDS <= len(words) <= MAX_TITLE_WORDS and "$" not in title


def canonical_url(url: str) -> str:
    """One spelling per paper URL: https, no ``www.``, OpenReview's PDF link as its forum link."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    if host == "openreview.net" and path == "/pdf":
        path = "/forum"
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{host}{path}{query}"
