"""Rebuild only what an edit changes: the garden kept in memory between ``mkdocs serve`` builds.

``Incremental.build()`` gives the same ``Built`` as ``garden.build.build_pages`` (a test holds
it to that after sequences of edits), doing less:

* notes are parsed only when their bytes changed (a cache by content hash), and their
  references extracted and their topics merged again only when they were parsed again;
* ``bib/`` is read again only when one of its files changed (size or modification time),
  ``bib/citations/*.json`` included;
* the join runs again (it is cheap: under a second at 10,000 papers), then the two gardens are
  compared to find what the edit touched, and only those pages are rendered again:
  the edited notes' pages; the topics they had or have; topics whose related topics changed;
  papers whose mentions changed; authors of papers whose topics changed; and the few pages
  that summarise everything (home, the indexes, the graph). Every other file is the previous
  build's, unrendered.
* Related papers (``garden.join.similar``): the papers' are computed again only when a
  paper's title or abstract changed (``bib/``), the topics' when a topic's papers changed;
  then only the pages whose related papers changed are rendered. The feed is always written
  again (it is one file).
* When ``bib/``, the set of topics (which changes every page's topic links) or the options
  change, everything is rendered again.

``changed`` lists the URIs whose content differs from the previous build, so the glue can
leave every other page's HTML as it was.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from garden import routes
from garden.bibliography.citations import folder as citations_folder
from garden.bibliography.library import Library, load_library
from garden.build import Built, Project, assemble
from garden.join import Garden, build_garden
from garden.notes import NoteError, load_notes
from garden.notes.history import note_dates
from garden.notes.read import ParseCache
from garden.pages.graph import graph_inputs
from garden.pages.site import SiteFiles, generate_site

# What a long-lived ``mkdocs serve`` keeps between rebuilds (hooks.py fills it; MkDocs loads
# hooks.py afresh for every rebuild, while this module stays imported).
SERVE_STATE: dict = {}
# What this build's hooks tell the MkDocs functions hooks.py patches (the same, for any build)
BUILD_STATE: dict = {}

ALWAYS = frozenset({routes.HOME, routes.TOPICS, routes.NOTES, routes.FEED})
GRAPH = frozenset({routes.GRAPH, routes.GRAPH_JSON})  # when graph.graph_inputs differ


@dataclass
class Incremental:
    project: Project
    parsed: ParseCache = field(default_factory=dict)
    dates: dict = field(default_factory=dict)  # garden.notes.history's, by (HEAD, path)
    similar: dict = field(default_factory=dict)  # garden.join.similar's cache (its two parts)
    joined: dict = field(default_factory=dict)  # build_garden's join_cache
    _bib_signature: tuple | None = None
    _library: Library | None = None
    _built: Built | None = None
    changed: frozenset[str] | None = None  # None: everything (the first build, or a full one)

    def build(self) -> Built:
        root = self.project.root.resolve()
        problems: list[NoteError] = []
        notes = load_notes(root / self.project.notes, root, problems, self.parsed)
        library, bib_changed = self._load_library(root / self.project.bib)
        added = note_dates(root, [note.path for note in notes], self.dates)
        garden = build_garden(notes, library, added, self.similar, self.joined)
        before = self._built
        url = self.project.site_url
        if before is None or bib_changed or _topic_names(before.garden) != _topic_names(garden):
            site = generate_site(garden, site_url=url, fork=True)  # forks only at first
        else:
            unaffected = _unaffected(before.garden, garden)
            site = generate_site(garden, before.site, unaffected, site_url=url)
        built = assemble(self.project, garden, site, problems)
        self.changed = None if before is None or bib_changed else _changed(before.site, site)
        self._built = built
        return built

    def _load_library(self, bib: Path) -> tuple[Library, bool]:
        files = [*sorted(bib.glob("*")), *sorted(citations_folder(bib).glob("*.json"))]
        signature = tuple(
            (p.relative_to(bib).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
            for p in files
            if p.is_file() and not p.name.startswith(".")
        )
        if self._library is None or signature != self._bib_signature:
            self._library, self._bib_signature = load_library(bib), signature
            return self._library, True
        return self._library, False


def _topic_names(garden: Garden) -> dict[str, str]:
    return {topic.title: topic.slug for topic in garden.topics}


def _unaffected(old: Garden, new: Garden) -> Callable[[str], bool]:
    """Which URIs an edit from ``old`` to ``new`` (same bibliography, same topics) cannot have
    changed: everything but what depends on a note that changed."""
    old_notes = {note.path: note for note in old.notes}
    new_notes = {note.path: note for note in new.notes}
    edited = {
        path
        for path in old_notes.keys() | new_notes.keys()
        if old_notes.get(path) != new_notes.get(path)
    }
    touched: set[str] = set(ALWAYS)
    if edited and graph_inputs(old) != graph_inputs(new):
        touched |= GRAPH
    for path in edited:
        for notes, garden in ((old_notes, old), (new_notes, new)):
            note = notes.get(path)
            if note is None:
                continue
            touched.add(routes.note(note.slug))
            for topic in note.topics:
                if slug := garden.topic_slug_for(topic.title):
                    touched |= {routes.topic(slug), *routes.topic_downloads(slug)}
    changed = {
        slug
        for slug in old.topic_by_slug.keys() | new.topic_by_slug.keys()
        if old.topic_by_slug.get(slug) != new.topic_by_slug.get(slug)
    }
    # A topic's related topics are ranked by what it shares with each other topic: only a
    # topic that shares something with a changed one, and shares another amount of it after
    # the edit (or sees its title change), can have other ones.
    old_related, new_related = old.related, new.related
    candidates = set(changed)
    for other in changed:
        renamed = _title(old, other) != _title(new, other)
        for slug in old_related.neighbours([other]) | new_related.neighbours([other]):
            if renamed or old_related.shared(slug, other) != new_related.shared(slug, other):
                candidates.add(slug)
    for slug in candidates:
        if slug in changed or _related(old, slug) != _related(new, slug):
            touched |= {routes.topic(slug), *routes.topic_downloads(slug)}
    for key in old.mentions.keys() | new.mentions.keys():
        if old.mentions.get(key) != new.mentions.get(key):
            touched.add(routes.paper(key))
    # Related papers: the pages whose shown neighbours changed (a topic that gained or lost a
    # paper has other neighbours; bib/ changes re-render everything anyway).
    old_similar, new_similar = old.similar, new.similar
    if old_similar is not new_similar:  # the same object: nothing it depends on changed
        for key in old_similar.papers.keys() | new_similar.papers.keys():
            if _shown(old_similar.papers, key) != _shown(new_similar.papers, key):
                touched.add(routes.paper(key))
        for slug in old_similar.topics.keys() | new_similar.topics.keys():
            if _shown(old_similar.topics, slug) != _shown(new_similar.topics, slug):
                touched.add(routes.topic(slug))
    for key in old.topics_by_paper.keys() | new.topics_by_paper.keys():
        if old.topics_by_paper.get(key) != new.topics_by_paper.get(key):
            paper = new.library.papers.get(key)
            for name in paper.authors if paper else ():
                touched.add(routes.author_of(name))
    return lambda uri: uri not in touched


def _shown(index, name: str) -> list:
    return [n.shown for n in index.get(name, ())]


def _related(garden: Garden, slug: str) -> list[tuple[str, str, int, int, int]]:
    return [(t.slug, t.title, *counts) for t, *counts in garden.related.get(slug, [])]


def _title(garden: Garden, slug: str) -> str | None:
    topic = garden.topic_by_slug.get(slug)
    return topic.title if topic else None


def _changed(before: SiteFiles, after: SiteFiles) -> frozenset[str]:
    """URIs added, removed, or whose content or title differs."""
    uris = before.files.keys() | after.files.keys()
    return frozenset(uri for uri in uris if before.files.get(uri) != after.files.get(uri))


def remove_written_but(root: Path, written: Iterable[str], keep: Collection[str]) -> None:
    """Empty ``root`` of what the previous build wrote there (``written``: paths relative to
    it), as MkDocs empties the folder before a build, except the files at ``keep``; a folder
    left empty goes too. Nothing else is looked at: walking the site folder (12,600 folders
    at 10,000 papers) was 0.4 s of each rebuild. What the build did not write stays (the last
    search index, which readers search until the next replaces it), and so do the theme's
    pages MkDocs writes again anyway (404.html, the sitemap)."""
    for rel in written:
        if rel in keep:
            continue
        path = os.path.join(root, rel)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        folder = os.path.dirname(path)
        while len(folder) > len(str(root)):  # its folders, up to the first one not empty
            try:
                os.rmdir(folder)
            except OSError:
                break
            folder = os.path.dirname(folder)
