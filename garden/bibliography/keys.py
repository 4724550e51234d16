"""BibTeX keys: ``surname + year + first significant title word``, ``[a-z0-9_-]+``, stable.

mkdocs-bibtex cuts keys at ``.`` and ``:`` and crashes on keys differing only in case, so
keys are lower-case ASCII. A key once written to ``bib/`` is never recomputed: ``assign_keys``
reuses the existing key of an eprint and only names the new ones (collisions get ``b``,
``c``, … in eprint order, so the same input always gives the same keys).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Mapping

from pybtex.database import Person

from garden.text import normalize

KEY_PATTERN = re.compile(r"^[a-z0-9_-]+$")
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_INSIGNIFICANT = frozenset(
    "a an the on of in for to and with at by from via is are do does what how why when "  # noqa: SIM905
    "towards toward some".split()
)


def ascii_fold(text: str) -> str:
    """``"Akyürek"`` → ``"akyurek"``; anything but ``[a-z0-9]`` is dropped."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return _NOT_KEY.sub("", "".join(ch for ch in text if not unicodedata.combining(ch)))


def surname(author: str) -> str:
    """The last name as BibTeX reads it: ``"Anton van den Hengel"`` → ``"hengel"``."""
    person = Person(author)
    return ascii_fold("".join(person.last_names)) or ascii_fold(author) or "anon"


def first_word(title: str) -> str:
    """The first title word that is not an article, preposition or question word."""
    words = [ascii_fold(w) for w in normalize(title).split()]
    significant = [w for w in words if w and w not in _INSIGNIFICANT]
    return (significant or [w for w in words if w] or ["untitled"])[0]


def base_key(first_author: str, year: int, title: str) -> str:
    return f"{surname(first_author)}{year}{first_word(title)}"


def _suffixes() -> Iterable[str]:
    yield ""
    yield from string.ascii_lowercase[1:]
    for first in string.ascii_lowercase[1:]:
        for second in string.ascii_lowercase:
            yield first + second


def unique_key(base: str, taken: set[str]) -> str:
    """``base``, else ``base + "b"``, ``"c"``, …: the first one not in ``taken``."""
    for suffix in _suffixes():
        if base + suffix not in taken:
            return base + suffix
    raise ValueError(f"no free key left for {base!r}")


def assign_keys(
    wanted: Mapping[str, str], existing: Mapping[str, str], reserved: Iterable[str] = ()
) -> dict[str, str]:
    """Keys for ``wanted`` (eprint → base key): ``existing`` ones (eprint → key) kept as they
    are, new ones made unique against every existing and ``reserved`` key, in eprint order."""
    taken = {*existing.values(), *reserved}
    keys = {eprint: existing[eprint] for eprint in wanted if eprint in existing}
    for eprint in sorted(set(wanted) - set(keys)):
        keys[eprint] = unique_key(wanted[eprint], taken)
        taken.add(keys[eprint])
    return keys
