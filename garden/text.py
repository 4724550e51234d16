"""Text normalisation shared by every stage: one definition of "the same name"."""

from __future__ import annotations

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


def slugify(text: str, fallback: str = "untitled") -> str:
    """A URL path segment made of ``[a-z0-9-]``; ``fallback`` when nothing is left."""
    slug = _SLUG_DROP.sub("-", normalize(text)).strip("-")
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
