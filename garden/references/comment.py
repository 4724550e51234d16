"""What a note's line adds to the paper it names: the author's comment, apart from the title.

A line such as ``Transformers are Cnn :https://huggingface.co/papers/2401.17574 | Scavenging
Hyena: Distilling Transformers into Long Convolution Models |`` holds a remark, the paper's own
link and its title. Once the paper is known, its title and its own links are taken out; what
is left is the comment ("Transformers are Cnn"). Other links in the line are kept apart, to be
shown as links of their own, never as raw URLs inside the comment.

How the title was found is recorded (``how``), so the build can report its guesses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from rapidfuzz.distance import Indel

from garden.notes.model import Link

# How the title was found in the line.
EXACT = "exact"  # the line is the title (or the start of it), nothing added
SPLIT = "split"  # the title was found and cut out; the rest is the comment
FUZZY = "fuzzy"  # the line is a differently spelled title (an older version, typos)
UNMATCHED = "unmatched"  # no title in the line: all of it is the comment

FUZZY_RATIO = 0.8  # difflib ratio of normalised texts above which two titles are one
MIN_PREFIX_WORDS = 3  # "Beyond Surface Statistics: comment" cuts a short title this long

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?)://[^>\s]+)>")
# An arXiv link with words glued on ("abs/2308.09124:Linearity of ..."): cut at the ID.
_ARXIV_GLUED = re.compile(
    r"(?:https?://)?(?:www\.|export\.)?(?:arxiv\.org|huggingface\.co|alphaxiv\.org|ar5iv[\w.]*)"
    r"/\S*?\d{4}\.\d{4,5}(?:v\d+)?(?:\.pdf)?"
)
_GLUED_HOSTS = ("arxiv.org", "huggingface.co", "alphaxiv.org", "ar5iv")  # _ARXIV_GLUED's
BARE_URL = re.compile(r"(?:https?://|\bwww\.)[^\s<>|]+")
_BARE_ARXIV = re.compile(r"\barxiv:\s?\S+", re.IGNORECASE)
_URL_TAIL = ".,:;!?)'\"*"
_LEAD_JUNK = re.compile(r"^[\s|:;,.!?\-–—>#\\]+")
_TRAIL_JUNK = re.compile(r"[\s|:;,\-–—>#\\]+$")
_MARKUP = set("*_`~")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class Said:
    """A line about one paper, taken apart."""

    comment: str  # inline Markdown the author added; "" when the line is only the title
    links: tuple[Link, ...] = ()  # links in the line that are not the paper's own
    how: str = EXACT
    written_title: str = ""  # the title as the line spells it, when found ("" if not)


def split_said(text: str, title: str, is_own: Callable[[str], bool]) -> Said:
    """Take ``title`` and the paper's own links (``is_own(url)``) out of the line ``text``."""
    rest, links = _take_links(text, is_own)
    how, start, end = _find_title(rest, title)
    if how in (EXACT, FUZZY):
        return Said("", links, how, _trimmed(rest))
    if how == UNMATCHED:
        return Said(_trimmed(rest), links, how)
    before, after = _trimmed(rest[:start]), _trimmed(rest[end:])
    comment = " … ".join(part for part in (before, after) if part)
    return Said(comment, links, SPLIT if comment else EXACT, _trimmed(rest[start:end]))


def _take_links(
    text: str, is_own: Callable[[str], bool], every: bool = False
) -> tuple[str, tuple[Link, ...]]:
    """The line without its links (an own Markdown link keeps its label), and the others.
    ``every``: each expression tried whether or not the line holds what it needs (a test's
    reference)."""
    others: list[Link] = []

    def markdown(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        if not url.startswith(("http://", "https://")):
            return match.group(0)  # a vault link and the like: the page renderer handles it
        if is_own(url):
            return f" {label} "
        others.append(Link(url, label))
        return " "

    def bare(match: re.Match[str]) -> str:
        url = match.group(1) if match.re is _AUTOLINK else match.group(0)
        trimmed = url.rstrip(_URL_TAIL)
        tail = url[len(trimmed) :]
        if not trimmed.startswith("http"):
            trimmed = "https://" + trimmed
        if not is_own(trimmed) and all(link.url != trimmed for link in others):
            others.append(Link(trimmed))
        return " " + tail if match.re is BARE_URL else " "

    # each expression only where the text holds what it needs (most lines hold no link)
    if every or "](" in text:
        text = _MD_LINK.sub(markdown, text)
    if every or "<http" in text:
        text = _AUTOLINK.sub(bare, text)
    if every or any(host in text for host in _GLUED_HOSTS):
        text = _ARXIV_GLUED.sub(lambda m: " " if is_own(_https(m.group(0))) else m.group(0), text)
    if every or "http://" in text or "https://" in text or "www." in text:
        text = BARE_URL.sub(bare, text)
    if every or not text.isascii() or "arxiv:" in text.lower():  # re.I: "ı" is an "i" to it
        text = _BARE_ARXIV.sub(lambda m: " " if _own_id(m.group(0), is_own) else m.group(0), text)
    return " ".join(text.split()), tuple(others)


def _https(url: str) -> str:
    return url if url.startswith("http") else "https://" + url


def _own_id(mention: str, is_own: Callable[[str], bool]) -> bool:
    ident = mention.split(":", 1)[1].strip().rstrip(_URL_TAIL)
    return is_own(f"https://arxiv.org/abs/{ident}")


def _find_title(text: str, title: str) -> tuple[str, int, int]:
    """Where ``title`` is in ``text`` (original offsets), compared normalised."""
    folded, where = _folded(text)
    wanted = _folded_title(title)
    if not folded or not wanted:
        return (UNMATCHED if folded else EXACT), 0, 0
    if folded == wanted or wanted.startswith(folded):
        return EXACT, 0, len(text)
    at = folded.find(wanted)
    if at >= 0:
        return SPLIT, where[at], where[at + len(wanted) - 1] + 1
    prefix = _common_prefix_words(folded, wanted)
    if prefix:
        return SPLIT, 0, where[prefix - 1] + 1
    if _similar(folded, wanted):
        return FUZZY, 0, len(text)
    return UNMATCHED, 0, 0


def _similar(said: str, title: str) -> bool:
    """difflib's ratio of the two at least ``FUZZY_RATIO``, two cheap upper bounds of it asked
    first (most lines are a comment, nowhere near the title: a full ratio was 40% of a paper
    page): difflib's own from the lengths (``real_quick_ratio``), then rapidfuzz's Indel
    similarity, twice the longest common subsequence over the lengths, which difflib's matching
    blocks, a common subsequence, cannot exceed."""
    if 2.0 * min(len(said), len(title)) / (len(said) + len(title)) < FUZZY_RATIO:
        return False
    if Indel.normalized_similarity(said, title) < FUZZY_RATIO - 1e-9:  # its float, not ours
        return False
    return SequenceMatcher(None, said, title, autojunk=False).ratio() >= FUZZY_RATIO


def _common_prefix_words(folded: str, wanted: str) -> int:
    """Characters of ``folded`` that are the title's first words (at least three), or 0."""
    said, title = folded.split(" "), wanted.split(" ")
    n = 0
    while n < min(len(said), len(title)) and said[n] == title[n]:
        n += 1
    if n < MIN_PREFIX_WORDS:
        return 0
    return len(" ".join(said[:n]))


def _folded(text: str) -> tuple[str, list[int]]:
    """``garden.text.normalize`` of ``text``, with the original offset of every character."""
    return _folded_ascii(text) if text.isascii() else _folded_unicode(text)


@lru_cache(maxsize=1 << 16)  # a title is looked for in every line that names its paper
def _folded_title(title: str) -> str:
    return _folded(title)[0]


def _folded_ascii(text: str) -> tuple[str, list[int]]:
    """``_folded_unicode`` for ASCII text, where folding only lowers letters: its words
    (letters and digits) lowered, one space between them at the offset where a word ends."""
    out: list[str] = []
    where: list[int] = []
    end = 0
    for word in _ASCII_WORD.finditer(text):
        if out:
            out.append(" ")
            where.append(end)  # the previous word's end: the first character after it
        out.append(word.group().lower())
        start, end = word.span()
        where.extend(range(start, end))
    return "".join(out), where


def _folded_unicode(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", char)
        for piece in decomposed.casefold():
            if unicodedata.combining(piece):
                continue
            if piece in _MARKUP or not piece.isalnum():
                if out and out[-1] != " ":
                    out.append(" ")
                    where.append(index)
                continue
            out.append(piece)
            where.append(index)
    while out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def _balance(part: str) -> str:
    """A cut through ``**bold**`` leaves a lone ``**``: drop it at the cut's edges."""
    for marker in ("**", "__"):
        if part.count(marker) % 2:
            stripped = part.strip()
            if stripped.startswith(marker):
                part = stripped[len(marker) :]
            elif stripped.endswith(marker):
                part = stripped[: -len(marker)]
    return part


def _trimmed(part: str) -> str:
    return _clean(_TRAIL_JUNK.sub("", _LEAD_JUNK.sub("", _balance(part))))


def _clean(part: str) -> str:
    part = " ".join(part.split())
    return "" if not any(ch.isalnum() for ch in part) else part
