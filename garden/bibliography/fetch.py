"""``PaperRef`` list → ``bib/arxiv.bib`` + ``bib/refmap.json``: decide, ask arXiv, save.

Each reference identity is settled in this order, first rule wins:

1. ``bib/overrides.yaml`` (pin to an ID, not a paper, not on arXiv);
2. an explicit arXiv ID (it wins over any title written next to it);
3. ``bib/manual.bib`` (title match, or the same URL);
4. a title search on arXiv, verified by ``match`` (never guessed);
5. otherwise ``unresolved``.

Only what ``bib/`` lacks is asked (``refresh`` asks again for everything): IDs in ``id_list``
batches of ≤ 100, then one search per title. An ID arXiv does not know is remembered in
``bib/unresolved.json`` with the date it was asked, and asked again only with ``refresh``.
``bib/`` is saved after every request that succeeded, never before the first one, so a
failing run leaves it byte-identical and an interrupted one resumes where it stopped.

When ``bib/refmap.json`` was corrupt (``BibState.rebuilt``), a title reference is first
matched against the titles already in ``arxiv.bib``, so papers fetched before cost no new
request. The caller holds ``bib/``'s lock (``storage.fetch_guard``) around ``fetch``.
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, TextIO

from tqdm import tqdm

from garden.bibliography.client import MAX_IDS_PER_REQUEST, ArxivClient
from garden.bibliography.csl import refresh_styled
from garden.bibliography.match import best_match, verdict
from garden.bibliography.overrides import Decision, Overrides, load_overrides
from garden.bibliography.state import NOT_A_PAPER, NOT_ON_ARXIV, UNRESOLVED, BibState
from garden.references.ids import is_valid_id
from garden.references.model import PaperRef, RefKind

Progress = Literal["off", "bar", "lines"]  # "bar": tqdm (a terminal); "lines": one per request

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    local: Mapping[str, str]  # identity → key or marker, decided without asking
    pins: Mapping[str, str]  # identity → eprint (explicit IDs and pinned titles)
    ids: tuple[str, ...]  # eprints to look up
    searches: tuple[PaperRef, ...]  # one reference per title identity to search for

    @property
    def requests(self) -> int:
        return math.ceil(len(self.ids) / MAX_IDS_PER_REQUEST) + len(self.searches)


@dataclass(frozen=True)
class Outcome:
    refmap: Mapping[str, str]
    unresolved: tuple[PaperRef, ...]  # every mention whose paper is unknown
    notices: tuple[str, ...]  # worth reading, not errors (a note's title differs from arXiv's)
    requests: int
    missing: Mapping[str, str] = field(default_factory=dict)  # arXiv ID → date asked

    def why(self, ref: PaperRef) -> str:
        """Why an unresolved mention is unresolved, when it is more than "no title matched"."""
        asked = self.missing.get(ref.value) if ref.kind is RefKind.ARXIV else None
        return f"arXiv has no paper {ref.value} (asked {asked}); check the ID" if asked else ""


def plan_fetch(refs: Sequence[PaperRef], bib_dir: Path, refresh: bool = False) -> Plan:
    """What a fetch would ask arXiv, without asking."""
    state = BibState.load(bib_dir)
    return _plan(refs, state, load_overrides(state.paths.overrides), refresh)


def fetch(
    refs: Sequence[PaperRef],
    bib_dir: Path,
    client: ArxivClient,
    refresh: bool = False,
    progress: Progress = "off",
    today: date | None = None,
    stream: TextIO | None = None,
) -> Outcome:
    """Resolve ``refs``, writing ``bib_dir`` after each successful request.

    ``progress="lines"`` prints one plain line to ``stream`` (stderr) before each request, so
    a log shows what is being waited for; ``"bar"`` draws tqdm's bar on a terminal."""
    state = BibState.load(bib_dir)
    plan = _plan(refs, state, load_overrides(state.paths.overrides), refresh)
    asked_on = (today or date.today()).isoformat()
    sent, missing = client.requests, set()
    say = progress_reporter(progress, plan.requests, stream or sys.stderr)
    try:
        for start in range(0, len(plan.ids), MAX_IDS_PER_REQUEST):
            chunk = plan.ids[start : start + MAX_IDS_PER_REQUEST]
            say(f"id_list with {len(chunk)} arXiv ID(s)")
            (batch,) = client.fetch_ids(chunk)
            state.add(list(batch.records))
            for record in batch.records:
                state.unresolved.pop(record.arxiv_id, None)
            state.unresolved.update(dict.fromkeys(batch.missing, asked_on))
            missing |= set(batch.missing)
            _settle(state, plan, missing)
        for ref in plan.searches:
            say(f"title search for {ref.where}: {(ref.title or ref.text)[:60]}")
            _search(state, client, ref)
            _settle(state, plan, missing)
    finally:
        say(None)
    _settle(state, plan, missing, final=True)
    state.prune({ref.identity for ref in refs}, set(plan.pins.values()))
    state.save()
    refresh_styled(bib_dir)  # the papers' formatted citations, so a build need not make them
    return _outcome(refs, state, client.requests - sent)


def progress_reporter(kind: Progress, total: int, stream: TextIO):
    """A function told what each request is before it is sent (``None``: the run ended)."""
    if kind == "bar":
        bar = tqdm(total=total, unit="request", file=stream)
        started = [False]

        def tick(what: str | None) -> None:
            if started[0]:
                bar.update()
            started[0] = what is not None
            if what is None:
                bar.close()

        return tick
    done = [0]

    def line(what: str | None) -> None:
        if what is not None and kind == "lines":
            done[0] += 1
            print(f"fetch: request {done[0]} of {total}: {what}", file=stream, flush=True)

    return line


def _plan(refs: Sequence[PaperRef], state: BibState, overrides: Overrides, refresh: bool) -> Plan:
    local, pins, searches = {}, {}, {}
    for ref in refs:
        if ref.identity in local or ref.identity in pins or ref.identity in searches:
            continue
        kind, value = _decide(ref, state, overrides)
        if kind == "pin":
            pins[ref.identity] = value
        elif kind == "local":
            local[ref.identity] = value
        elif refresh or not _cached(state, ref.identity):
            searches[ref.identity] = ref
    known = state.eprint_keys()
    asked = known.keys() | state.unresolved.keys()
    ids = sorted({e for e in pins.values() if refresh or e not in asked})
    return Plan(local, pins, tuple(ids), tuple(searches.values()))


def _decide(ref: PaperRef, state: BibState, overrides: Overrides) -> tuple[str, str]:
    """``("pin", eprint)``, ``("local", key or marker)`` or ``("search", "")``."""
    override = overrides.lookup(ref)
    if override and override.decision == Decision.ARXIV:
        return "pin", override.arxiv_id
    if override:
        marker = NOT_A_PAPER if override.decision == Decision.NOT_A_PAPER else NOT_ON_ARXIV
        return "local", override.manual_key or marker
    if ref.kind == RefKind.ARXIV:
        if is_valid_id(ref.value):
            return "pin", ref.value
        log.warning("%s: %r is not an arXiv ID", ref.where, ref.value)
        return "local", UNRESOLVED
    manual = _manual_key(ref, state)
    if manual or (ref.kind == RefKind.URL and not ref.title):
        return "local", manual or UNRESOLVED
    if state.rebuilt and ref.identity not in state.refmap and (fetched := _fetched_key(ref, state)):
        return "local", fetched
    return "search", ""


def _manual_key(ref: PaperRef, state: BibState) -> str:
    if ref.kind == RefKind.URL and (key := state.manual_key_for_url(ref.value)):
        return key
    titles = {key: entry.fields.get("title", "") for key, entry in state.manual.items()}
    found = best_match([ref.title, ref.text], list(titles), title_of=titles.__getitem__)
    return found or ""


def _fetched_key(ref: PaperRef, state: BibState) -> str:
    """The ``arxiv.bib`` entry whose title the matcher accepts for this reference, if any."""
    titles = {key: entry.fields.get("title", "") for key, entry in state.entries.items()}
    found = best_match([ref.title, ref.text], list(titles), title_of=titles.__getitem__)
    return found or ""


def _cached(state: BibState, identity: str) -> bool:
    """A title searched for before: found (its entry is still there) or known not to be."""
    value = state.refmap.get(identity)
    return value == UNRESOLVED or value in state.entries


def _search(state: BibState, client: ArxivClient, ref: PaperRef) -> None:
    found = client.search_title(ref.title or ref.text)
    best = best_match([ref.title, ref.text], found, title_of=lambda record: record.title)
    if best is None:
        log.info("%s: no arXiv title matches %r", ref.where, ref.title or ref.text)
        state.refmap[ref.identity] = UNRESOLVED
        return
    state.refmap[ref.identity] = state.add([best])[best.arxiv_id]


def _settle(state: BibState, plan: Plan, missing: set[str], final: bool = False) -> None:
    """Record every decision known so far, then save."""
    state.refmap.update(plan.local)
    known = state.eprint_keys()
    for identity, eprint in plan.pins.items():
        if eprint in known:
            state.refmap[identity] = known[eprint]
        elif eprint in missing or eprint in state.unresolved or final:
            state.refmap[identity] = UNRESOLVED
    if not final:
        state.save()


def _outcome(refs: Sequence[PaperRef], state: BibState, requests: int) -> Outcome:
    unresolved = tuple(r for r in refs if state.refmap.get(r.identity) == UNRESOLVED)
    notices = tuple(n for r in refs if (n := _title_notice(r, state)))
    return Outcome(dict(state.refmap), unresolved, notices, requests, dict(state.unresolved))


def _title_notice(ref: PaperRef, state: BibState) -> str:
    """An explicit ID whose written title is not arXiv's: the ID wins, the author may care."""
    entry = state.entries.get(state.refmap.get(ref.identity, ""))
    if ref.kind != RefKind.ARXIV or not ref.title or entry is None:
        return ""
    title = entry.fields["title"].removeprefix("{").removesuffix("}")  # to_entry's case braces
    if verdict(ref.title, title).accepted:
        return ""
    return f"{ref.where}: the note says {ref.title!r}; arXiv {ref.value} is titled {title!r}"
