"""``bib/citations/<key>.json``: what Semantic Scholar said a garden paper cites.

One small file per paper (a refresh changes only the papers whose answers changed), written by
``scripts/fetch_citations.py`` and read by the build. A file holds:

- ``arxiv``: the arXiv ID that was asked (as ``ARXIV:<id>``), without version; a file
  whose ID is not the paper's any more is stale and asked again;
- ``asked``: the ISO date it was asked;
- ``paperId``: Semantic Scholar's paper ID, or ``null`` when Semantic Scholar has no paper for
  that arXiv ID (an honest empty state: not asked again without ``--refresh``);
- ``references``: the arXiv IDs of every reference Semantic Scholar lists with one (all of
  them, not only the garden's: the pages compute which are in the garden), sorted;
- ``withoutArxiv``: how many references Semantic Scholar lists without an arXiv ID.

Nothing here talks to the network (``citations_client``) or decides what to ask
(``citations_fetch``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from garden.bibliography.storage import display, write_atomic
from garden.references.ids import is_valid_id, split_version

FOLDER = "citations"  # under bib/
_KEY = re.compile(r"^[A-Za-z0-9_:.+-]+$")  # a file name made from a key must stay one name


class CitationFileError(Exception):
    """A ``bib/citations/*.json`` that cannot be read; the message names file:line:col."""


@dataclass(frozen=True)
class CitationRecord:
    key: str  # the paper's bib key (the file's name)
    arxiv: str  # the arXiv ID asked, without version
    asked: str  # ISO date
    paper_id: str | None  # Semantic Scholar's ID; None: it has no paper for ``arxiv``
    references: tuple[str, ...] = ()  # arXiv IDs (no versions) of what the paper cites
    without_arxiv: int = 0  # references Semantic Scholar lists with no arXiv ID

    @property
    def known(self) -> bool:
        return self.paper_id is not None

    def to_json(self) -> str:
        data: dict = {"arxiv": self.arxiv, "asked": self.asked, "paperId": self.paper_id}
        if self.known:
            data["references"] = list(self.references)
            data["withoutArxiv"] = self.without_arxiv
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def can_name_file(key: str) -> bool:
    """Whether ``<key>.json`` is one plain file name (bib keys are ``[a-z0-9_-]``)."""
    return bool(_KEY.match(key))


def folder(bib_dir: Path) -> Path:
    return Path(bib_dir) / FOLDER


def path_for(bib_dir: Path, key: str) -> Path:
    if not can_name_file(key):
        raise ValueError(f"{key!r} cannot name a file in {FOLDER}/")
    return folder(bib_dir) / f"{key}.json"


def write_record(bib_dir: Path, record: CitationRecord) -> bool:
    """Write one paper's file atomically; ``False`` when its bytes are unchanged."""
    return write_atomic(path_for(bib_dir, record.key), record.to_json())


def arxiv_ids(values: object) -> tuple[str, ...]:
    """The valid arXiv IDs in ``values``, versions dropped, sorted, each once."""
    found = set()
    for value in values if isinstance(values, list) else ():
        base = split_version(value.strip())[0] if isinstance(value, str) else ""
        if is_valid_id(base):
            found.add(base)
    return tuple(sorted(found))


def read_record(path: Path) -> CitationRecord:
    """One file; ``CitationFileError`` naming it when it is not what the fetch writes."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise CitationFileError(
            f"{display(path)}:{err.lineno}:{err.colno}: not valid JSON ({err.msg})"
        ) from None
    except UnicodeDecodeError as err:
        raise CitationFileError(f"{display(path)}: not UTF-8 ({err.reason})") from None
    problem = _shape_problem(data)
    if problem:
        raise CitationFileError(f"{display(path)}:1:1: {problem}")
    known = data["paperId"] is not None
    return CitationRecord(
        key=path.stem,
        arxiv=data["arxiv"],
        asked=data["asked"],
        paper_id=data["paperId"],
        references=arxiv_ids(data.get("references")) if known else (),
        without_arxiv=int(data.get("withoutArxiv", 0)) if known else 0,
    )


def _shape_problem(data: object) -> str:
    if not isinstance(data, dict):
        return "not a JSON object"
    if not isinstance(data.get("arxiv"), str) or not isinstance(data.get("asked"), str):
        return '"arxiv" and "asked" must be strings'
    if not (data.get("paperId") is None or isinstance(data.get("paperId"), str)):
        return '"paperId" must be a string or null'
    if "paperId" not in data:
        return 'no "paperId" (null when Semantic Scholar has no such paper)'
    refs = data.get("references", [])
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        return '"references" must be a list of arXiv IDs'
    if not isinstance(data.get("withoutArxiv", 0), int):
        return '"withoutArxiv" must be a number'
    return ""


def read_records(bib_dir: Path) -> dict[str, CitationRecord]:
    """Every file of ``bib/citations/``, by key (``{}`` when the folder does not exist)."""
    return {path.stem: read_record(path) for path in sorted(folder(bib_dir).glob("*.json"))}
