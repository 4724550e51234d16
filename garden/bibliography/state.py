"""The contents of ``bib/`` during a fetch: read once, changed in memory, saved atomically.

``BibState`` is deliberately mutable: it is the run's working copy, saved after every batch so
an interrupted run keeps what it already paid for. ``save`` writes only files whose bytes
change, each by atomic replace, so ``bib/`` is always a consistent, parseable state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.database import Entry

from garden.bibliography.bibtex import read_bib, to_entry, write_atomic, write_bib
from garden.bibliography.keys import assign_keys, base_key
from garden.bibliography.records import ArxivRecord
from garden.references.extract import canonical_url

NOT_A_PAPER = "not-a-paper"
NOT_ON_ARXIV = "not-on-arxiv"
UNRESOLVED = "unresolved"
MARKERS = (NOT_A_PAPER, NOT_ON_ARXIV, UNRESOLVED)


@dataclass(frozen=True)
class BibPaths:
    root: Path

    @property
    def arxiv_bib(self) -> Path:
        return self.root / "arxiv.bib"

    @property
    def manual_bib(self) -> Path:
        return self.root / "manual.bib"

    @property
    def refmap(self) -> Path:
        return self.root / "refmap.json"

    @property
    def overrides(self) -> Path:
        return self.root / "overrides.yaml"


@dataclass
class BibState:
    paths: BibPaths
    entries: dict[str, Entry] = field(default_factory=dict)  # arxiv.bib, by key
    refmap: dict[str, str] = field(default_factory=dict)  # identity → key or marker
    manual: dict[str, Entry] = field(default_factory=dict)  # manual.bib, read only

    @classmethod
    def load(cls, bib_dir: Path) -> BibState:
        paths = BibPaths(bib_dir)
        refmap = json.loads(paths.refmap.read_text("utf-8")) if paths.refmap.exists() else {}
        return cls(paths, read_bib(paths.arxiv_bib), refmap, read_bib(paths.manual_bib))

    def eprint_keys(self) -> dict[str, str]:
        return {e.fields["eprint"]: key for key, e in self.entries.items() if "eprint" in e.fields}

    def add(self, records: list[ArxivRecord]) -> dict[str, str]:
        """Store records (replacing older metadata under the same key); eprint → key."""
        wanted = {r.arxiv_id: base_key(_first(r), r.published.year, r.title) for r in records}
        keys = assign_keys(wanted, self.eprint_keys(), reserved=self.manual)
        for record in records:
            self.entries[keys[record.arxiv_id]] = to_entry(record)
        return keys

    def manual_key_for_url(self, url: str) -> str:
        wanted = canonical_url(url)
        for key, entry in self.manual.items():
            if "url" in entry.fields and canonical_url(entry.fields["url"]) == wanted:
                return key
        return ""

    def prune(self, identities: set[str]) -> None:
        """Forget references no note makes any more, and entries no reference uses."""
        self.refmap = {i: v for i, v in self.refmap.items() if i in identities}
        used = set(self.refmap.values())
        self.entries = {k: e for k, e in self.entries.items() if k in used}

    def save(self) -> None:
        write_bib(self.paths.arxiv_bib, self.entries)
        text = json.dumps(dict(sorted(self.refmap.items())), indent=2, ensure_ascii=False)
        write_atomic(self.paths.refmap, text + "\n")


def _first(record: ArxivRecord) -> str:
    return record.authors[0] if record.authors else "anonymous"
