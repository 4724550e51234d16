"""Which garden papers to ask Semantic Scholar about, asking, and writing ``bib/citations/``.

Every paper of the bibliography with an arXiv ID is asked once; a paper that already has a file
(for the same arXiv ID) is not asked again without ``refresh``, including one Semantic Scholar
did not know (its file says so, with the date asked). IDs go in batches of at most 500; each
paper's file is written (``storage.write_atomic``) as soon as its batch is answered, so a run
that fails leaves ``bib/`` as it was and an interrupted one resumes where it stopped. Files of
papers no longer in the bibliography are removed at the end of a run that succeeded. The caller
holds ``bib/``'s lock (``storage.fetch_guard``) around ``fetch_citations``.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from garden.bibliography.citations import (
    CitationFileError,
    CitationRecord,
    arxiv_ids,
    can_name_file,
    folder,
    read_record,
    write_record,
)
from garden.bibliography.citations_client import MAX_IDS_PER_REQUEST, S2Client, batches
from garden.bibliography.fetch import Progress, progress_reporter
from garden.bibliography.library import Library
from garden.bibliography.storage import remove

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CitationPlan:
    papers: dict[str, str]  # every key with an arXiv ID → the ID
    ask: tuple[str, ...]  # arXiv IDs to ask, sorted, each once
    stale: tuple[str, ...]  # keys with a file but no paper any more
    batch_size: int = MAX_IDS_PER_REQUEST

    @property
    def requests(self) -> int:
        return len(batches(self.ask, self.batch_size))


@dataclass(frozen=True)
class CitationOutcome:
    asked: int  # arXiv IDs asked
    known: int  # of which Semantic Scholar has a paper
    requests: int
    written: int  # files whose bytes changed
    removed: int  # files of papers no longer in the bibliography
    have: int  # papers with a file after the run
    papers: int  # papers with an arXiv ID


def garden_papers(library: Library) -> dict[str, str]:
    """Key → arXiv ID for every paper that has one, by key (a key that cannot name a file,
    which no key this project writes is, is left out with a warning)."""
    found = {}
    for key, paper in sorted(library.papers.items()):
        if not paper.eprint:
            continue
        if can_name_file(key):
            found[key] = paper.eprint
        else:
            log.warning("bib key %r cannot name a file in bib/citations/: not asked", key)
    return found


def existing_records(bib_dir: Path) -> dict[str, CitationRecord | None]:
    """The files there are, by key; ``None`` for one that cannot be read (warned: it is
    asked again and rewritten)."""
    found: dict[str, CitationRecord | None] = {}
    for path in sorted(folder(bib_dir).glob("*.json")):
        try:
            found[path.stem] = read_record(path)
        except CitationFileError as err:
            log.warning("%s; asking Semantic Scholar again for it", err)
            found[path.stem] = None
    return found


def plan_citations(
    library: Library, bib_dir: Path, refresh: bool = False, batch_size: int = MAX_IDS_PER_REQUEST
) -> CitationPlan:
    """What a fetch would ask, without asking."""
    papers = garden_papers(library)
    have = existing_records(bib_dir)
    ask = {
        eprint
        for key, eprint in papers.items()
        if refresh or have.get(key) is None or have[key].arxiv != eprint
    }
    stale = tuple(key for key in have if key not in papers)
    return CitationPlan(papers, tuple(sorted(ask)), stale, batch_size)


def to_record(key: str, arxiv: str, paper: dict | None, asked: str) -> CitationRecord:
    """One answer of the batch endpoint as the file it becomes."""
    if paper is None:
        return CitationRecord(key, arxiv, asked, None)
    found, without = [], 0
    for ref in paper.get("references") or ():
        ids = ref.get("externalIds") if isinstance(ref, dict) else None
        value = ids.get("ArXiv") if isinstance(ids, dict) else None
        if arxiv_ids([value]):
            found.append(value)
        else:
            without += 1
    references = tuple(i for i in arxiv_ids(found) if i != arxiv)
    paper_id = paper.get("paperId")
    return CitationRecord(key, arxiv, asked, str(paper_id or ""), references, without)


def fetch_citations(
    library: Library,
    bib_dir: Path,
    client: S2Client,
    refresh: bool = False,
    progress: Progress = "off",
    today: date | None = None,
    stream: TextIO | None = None,
    batch_size: int = MAX_IDS_PER_REQUEST,
) -> CitationOutcome:
    plan = plan_citations(library, bib_dir, refresh, batch_size)
    asked_on = (today or date.today()).isoformat()
    keys_of: dict[str, list[str]] = {}
    for key, eprint in plan.papers.items():
        keys_of.setdefault(eprint, []).append(key)
    sent, known, written = client.requests, 0, 0
    say = progress_reporter(progress, plan.requests, stream or sys.stderr)
    try:
        for chunk in batches(plan.ask, batch_size):
            say(f"batch of {len(chunk)} arXiv ID(s)")
            for eprint, paper in zip(chunk, client.batch(chunk), strict=True):
                known += paper is not None
                for key in keys_of[eprint]:
                    written += write_record(bib_dir, to_record(key, eprint, paper, asked_on))
    finally:
        say(None)
    removed = sum(remove(folder(bib_dir) / f"{key}.json") for key in plan.stale)
    have = len(existing_records(bib_dir))
    return CitationOutcome(
        len(plan.ask), known, client.requests - sent, written, removed, have, len(plan.papers)
    )
