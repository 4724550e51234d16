"""The contents of ``bib/`` during a fetch: read once, changed in memory, saved atomically.

``BibState`` is deliberately mutable: it is the run's working copy, saved after every batch so
an interrupted run keeps what it already paid for. ``save`` writes only files whose bytes
change, each by atomic replace, so ``bib/`` is always a consistent, parseable state.

Files: ``arxiv.bib`` (written), ``manual.bib`` (read only), ``refmap.json`` (identity → key
or marker; derived data: a corrupt one is rebuilt from ``arxiv.bib``), ``unresolved.json``
(arXiv ID → ISO date arXiv was asked and had no such paper; not asked again without
``--refresh``; written only while it has entries).

The markers a reference can map to instead of a key are defined here and nowhere else.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.database import Entry

from garden.bibliography.bibtex import entry_lines, read_bib, to_entry, write_bib
from garden.bibliography.keys import assign_keys, base_key
from garden.bibliography.records import ArxivRecord
from garden.bibliography.storage import display, remove, write_atomic
from garden.references.extract import canonical_url

log = logging.getLogger(__name__)

NOT_A_PAPER = "not-a-paper"
NOT_ON_ARXIV = "not-on-arxiv"
UNRESOLVED = "unresolved"
MARKERS = (NOT_A_PAPER, NOT_ON_ARXIV, UNRESOLVED)


class JsonMapError(Exception):
    """A JSON file of ``bib/`` that is not a ``{string: string}`` object; names file:line:col."""


def read_json_map(path: Path) -> dict[str, str]:
    """A ``{string: string}`` JSON object; ``{}`` when the file does not exist."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        where = f"{display(path)}:{err.lineno}:{err.colno}"
        raise JsonMapError(f"{where}: not valid JSON ({err.msg})") from None
    except UnicodeDecodeError as err:
        raise JsonMapError(f"{display(path)}: not UTF-8 ({err.reason})") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise JsonMapError(f"{display(path)}:1:1: not a JSON object of strings")
    return {str(k): v for k, v in data.items()}


def key_clashes(files: list[tuple[Path, dict[str, Entry]]]) -> list[str]:
    """Warnings for keys (compared ignoring case, as pybtex and mkdocs-bibtex do) that more
    than one ``.bib`` file defines: the later file's entry is the one used."""
    seen: dict[str, tuple[Path, int, Entry]] = {}
    warnings = []
    for path, entries in files:
        lines = entry_lines(path.read_text("utf-8")) if entries else {}
        for key, entry in entries.items():
            line = lines.get(key.lower(), 1)
            if key.lower() in seen:
                first, first_line, old = seen[key.lower()]
                eprint = f" (arXiv {old.fields['eprint']})" if "eprint" in old.fields else ""
                warnings.append(
                    f"{display(path)}:{line}: key '{key}' is also the key of "
                    f"{display(first)}:{first_line}{eprint}; the {path.name} entry is the one "
                    f"used, everywhere either is cited: rename the {path.name} entry"
                    + (" (arxiv.bib keys never change)" if first.name == "arxiv.bib" else "")
                )
            seen[key.lower()] = (path, line, entry)
    return warnings


_BIB_FILES = {
    "arxiv_bib": "arxiv.bib",
    "manual_bib": "manual.bib",
    "refmap": "refmap.json",
    "overrides": "overrides.yaml",
    "unresolved": "unresolved.json",
    "styled": "styled.json",
}


@dataclass(frozen=True)
class BibPaths:
    """The files of ``bib/``: ``paths.arxiv_bib``, ``.manual_bib``, ``.refmap``,
    ``.overrides``, ``.unresolved``, ``.styled``."""

    root: Path

    def __getattr__(self, name: str) -> Path:
        if name in _BIB_FILES:
            return self.root / _BIB_FILES[name]
        raise AttributeError(name)


@dataclass
class BibState:
    paths: BibPaths
    entries: dict[str, Entry] = field(default_factory=dict)  # arxiv.bib, by key
    refmap: dict[str, str] = field(default_factory=dict)  # identity → key or marker
    manual: dict[str, Entry] = field(default_factory=dict)  # manual.bib, read only
    unresolved: dict[str, str] = field(default_factory=dict)  # arXiv ID → date asked
    rebuilt: bool = False  # refmap.json was corrupt and was re-derived from arxiv.bib

    @classmethod
    def load(cls, bib_dir: Path) -> BibState:
        """Read ``bib/``: ``BibFileError`` for a ``.bib`` pybtex refuses; a corrupt
        ``refmap.json`` or ``unresolved.json`` is a warning (both are derived data)."""
        paths = BibPaths(bib_dir)
        entries, manual = read_bib(paths.arxiv_bib), read_bib(paths.manual_bib)
        for warning in key_clashes([(paths.arxiv_bib, entries), (paths.manual_bib, manual)]):
            log.warning("%s", warning)
        state = cls(paths, entries, manual=manual)
        try:
            state.refmap = read_json_map(paths.refmap)
        except JsonMapError as err:
            log.warning(
                "%s; rebuilding it from %s (arXiv IDs by eprint, titles by matching)",
                err,
                display(paths.arxiv_bib),
            )
            state.refmap = {f"arxiv:{eprint}": key for eprint, key in state.eprint_keys().items()}
            state.rebuilt = True
        try:
            state.unresolved = read_json_map(paths.unresolved)
        except JsonMapError as err:
            log.warning("%s; ignoring it: the arXiv IDs it listed will be asked again", err)
        return state

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

    def prune(self, identities: set[str], eprints: set[str]) -> None:
        """Forget references no note makes any more, entries no reference uses, and missing
        arXiv IDs nothing asks for any more."""
        self.refmap = {i: v for i, v in self.refmap.items() if i in identities}
        used = set(self.refmap.values())
        self.entries = {k: e for k, e in self.entries.items() if k in used}
        self.unresolved = {i: d for i, d in self.unresolved.items() if i in eprints}

    def save(self) -> None:
        write_bib(self.paths.arxiv_bib, self.entries)
        write_atomic(self.paths.refmap, _json(self.refmap))
        if self.unresolved:
            write_atomic(self.paths.unresolved, _json(self.unresolved))
        else:
            remove(self.paths.unresolved)


def _json(mapping: dict[str, str]) -> str:
    return json.dumps(dict(sorted(mapping.items())), indent=2, ensure_ascii=False) + "\n"


def _first(record: ArxivRecord) -> str:
    return record.authors[0] if record.authors else "anonymous"
