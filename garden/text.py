"""Text normalisation shared by every stage: one definition of "the same name"."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable

_MARKUP = re.compile(r"[*_`~]+")
_NON_WORD = re.compile(r"[^\w]+")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """Fold case, accents, emphasis, punctuation: ``"LLMs **Math**:"`` → ``"llms math"``."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _MARKUP.sub(" ", text.casefold())
    return " ".join(_NON_WORD.sub(" ", text).replace("_", " ").split())


MAX_SLUG = 80  # characters: a page's folder name, far inside every file system's 255 bytes


def slugify(text: str, fallback: str = "untitled") -> str:
    """A URL path segment made of ``[a-z0-9-]``; ``fallback`` when nothing is left.

    A slug longer than ``MAX_SLUG`` is cut and ends in a short hash of the whole, so two long
    names that share a beginning still get two pages.
    """
    slug = _SLUG_DROP.sub("-", normalize(text)).strip("-")
    if len(slug) > MAX_SLUG:
        digest = hashlib.sha1(slug.encode()).hexdigest()[:8]
        slug = f"{slug[: MAX_SLUG - 9].rstrip('-')}-{digest}"
    return slug or fallback


def one_line(text: str) -> str:
    """Join a title broken over several lines into one line with single spaces."""
    return " ".join(text.split())


# Inline TeX math as notes, arXiv and BibTeX write it: "$...$", "\$" is a dollar sign.
MATH = re.compile(r"(?<!\\)\$(?:[^$\\]|\\.)+\$")


def outside_math(text: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the text between ``$...$`` spans; the math is left verbatim."""
    out, pos = [], 0
    for math in MATH.finditer(text):
        out += [change(text[pos : math.start()]), math.group()]
        pos = math.end()
    return "".join(out) + change(text[pos:])
