"""arXiv identifiers in every form a note uses: links (abs, pdf, versioned, junk glued after),
Hugging Face papers, arXiv DOIs, alphaxiv/ar5iv mirrors and bare ``arXiv:ID``.

This is the project's one definition of the identifier grammar: ``garden.bibliography``
validates IDs before asking arXiv (``is_valid_id``) and splits versions off the IDs arXiv
returns (``split_version``) with the same patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# New style since 2007: YYMM.NNNN (to 1412) or YYMM.NNNNN; old style: archive(.XX)/YYMMNNN.
_NEW = r"(?P<new>(?P<yy>\d{2})(?P<mm>\d{2})\.\d{4,5})"
_OLD = r"(?P<old>[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})"
_VERSION = r"(?P<version>v\d+)"
_ID = rf"(?:{_NEW}|{_OLD}){_VERSION}?"
_PATHS = {
    "arxiv.org": rf"^/(?:abs|pdf|html|format|ps)/{_ID}",
    "alphaxiv.org": rf"^/(?:abs|overview|pdf)/{_ID}",
    "ar5iv.org": rf"^/(?:abs|html)/{_ID}",
    "ar5iv.labs.arxiv.org": rf"^/(?:abs|html)/{_ID}",
    "huggingface.co": rf"^/papers/{_ID}",
    "doi.org": rf"^/10\.48550/arxiv\.{_ID}",
    "dx.doi.org": rf"^/10\.48550/arxiv\.{_ID}",
}
_PATH_RES = {host: re.compile(pattern, re.IGNORECASE) for host, pattern in _PATHS.items()}
_BARE = re.compile(rf"\barxiv:\s?{_ID}", re.IGNORECASE)
_WHOLE = re.compile(rf"^{_ID}$")
_UNVERSIONED = re.compile(rf"^(?:{_NEW}|{_OLD})$")
_TRAILING_VERSION = re.compile(rf"{_VERSION}$")


@dataclass(frozen=True)
class ArxivId:
    id: str  # without version: "2312.01429", "hep-th/9711200"
    version: str = ""  # "v3" or ""


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    for prefix in ("www.", "export."):
        host = host.removeprefix(prefix)
    return host


def _from_match(match: re.Match[str] | None) -> ArxivId | None:
    if match is None:
        return None
    if not _plausible(match):
        return None
    ident = match.group("new") or match.group("old")
    return ArxivId(ident, match.group("version") or "")


def _plausible(match: re.Match[str]) -> bool:
    """A new-style ID's month is 01-12: ``2313.01234`` matches the pattern but cannot be an
    arXiv ID, and asking would cost a failed request."""
    return not match.group("new") or 1 <= int(match.group("mm")) <= 12


def is_valid_id(text: str) -> bool:
    """``2310.13434`` or ``hep-th/9711200``, without a version: what may be sent to arXiv."""
    match = _UNVERSIONED.match(text)
    return match is not None and _plausible(match)


def split_version(short_id: str) -> tuple[str, str]:
    """``"2310.13434v2"`` → ``("2310.13434", "v2")``; no version → ``(id, "")``."""
    match = _TRAILING_VERSION.search(short_id)
    if not match:
        return short_id, ""
    return short_id[: match.start()], match.group(0)


def arxiv_id_from_url(url: str) -> ArxivId | None:
    """The arXiv ID a link points at, or ``None`` for a link elsewhere."""
    pattern = _PATH_RES.get(_host(url))
    if pattern is None:
        return None
    path = urlsplit(url).path
    return _from_match(pattern.match(path))


def arxiv_ids_in_text(text: str) -> list[ArxivId]:
    """Bare ``arXiv:2106.07032v2`` mentions in prose."""
    return [ident for m in _BARE.finditer(text) if (ident := _from_match(m)) is not None]


def parse_arxiv_id(text: str) -> ArxivId | None:
    """A bare identifier as typed on a command line or in overrides (``2106.07032v2``)."""
    return _from_match(_WHOLE.match(text.strip().removeprefix("arXiv:").removeprefix("arxiv:")))
