"""The join: notes + references + bibliography → the ``Garden`` every page reads.

Topics are merged across notes, each item is joined to the papers it names, every mention of a
paper is collected, and the indexes several pages share (topic by slug, authors' papers,
related topics) are computed once, on first use. Pages only render what is here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from garden.bibliography.library import Library
from garden.join.related import RelatedIndex, related_index
from garden.join.similar import Similar, similar_index
from garden.notes.model import Block, Item, Note, Paragraph
from garden.references.extract import note_references
from garden.references.model import PaperRef
from garden.routes import RESERVED_TOPIC_SLUGS, author_group, author_slug
from garden.text import normalize, slugify

MIN_AUTHOR_PAPERS = 2  # papers here from which an author has a page (Garden.author_pages)
GROUP_ENTRIES = 200  # authors a shared page holds before it is split (Garden.author_group_of)


@dataclass(frozen=True)
class Source:
    """Where a block was written: a note and a line."""

    note: str  # "notes/research-map.md"
    note_slug: str
    note_title: str
    line: int


@dataclass(frozen=True)
class Entry:
    """A block on a topic page: written once or in several notes, merged by identity."""

    block: Block
    sources: tuple[Source, ...]
    keys: tuple[str, ...] = ()  # bib keys of the papers the block names
    children: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class TopicSection:
    path: tuple[str, ...]  # () for the topic's own body
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    sections: tuple[TopicSection, ...]
    notes: tuple[str, ...]  # note paths, in order
    spellings: tuple[str, ...] = ()  # headings as written, when they differ

    # Worked out once per topic (a topic is immutable): the pages, the downloads, related
    # topics and a rebuild's comparison all ask.
    @cached_property
    def paper_keys(self) -> tuple[str, ...]:
        keys: dict[str, None] = {}
        for section in self.sections:
            for entry in walk(section.entries):
                keys.update(dict.fromkeys(entry.keys))
        return tuple(keys)

    @cached_property
    def item_count(self) -> int:
        return sum(isinstance(e.block, Item) for s in self.sections for e in walk(s.entries))


@dataclass(frozen=True)
class Mention:
    """One place a paper is discussed: the topic and section, the note and line, the words."""

    key: str
    topic_slug: str  # "" for items before a note's first topic
    topic_title: str
    section: tuple[str, ...]
    source: Source
    text: str
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class CitationIndex:
    """Who cites whom among the garden's papers, from ``bib/citations/`` (Semantic Scholar)."""

    cites: dict[str, tuple[str, ...]]  # key → the garden papers it cites (newest first)
    cited_by: dict[str, tuple[str, ...]]  # key → the garden papers citing it (newest first)
    asked: dict[str, str]  # key → date asked, for papers Semantic Scholar knows
    unknown: dict[str, str]  # key → date asked, for papers Semantic Scholar has no record of

    @property
    def has_data(self) -> bool:
        """Some paper's references are known: "cited by none" then means something."""
        return bool(self.asked)


@dataclass(frozen=True)
class Garden:
    notes: tuple[Note, ...]
    topics: tuple[Topic, ...]
    library: Library
    refs: tuple[PaperRef, ...] = ()
    keys_at: dict[tuple[str, int], tuple[str, ...]] = field(default_factory=dict)
    mentions: dict[str, tuple[Mention, ...]] = field(default_factory=dict)
    # Note path → when it entered the garden (ISO 8601; garden.notes.history.note_dates).
    # Empty when the caller knows no dates: then no paper has an "added" date.
    added: dict[str, str] = field(default_factory=dict)
    # garden.join.similar's results by the hash of their texts: ``mkdocs serve`` hands the
    # same dict to each rebuild's garden (garden.incremental), so unchanged texts cost nothing.
    similar_cache: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def topic_by_slug(self) -> dict[str, Topic]:
        return {topic.slug: topic for topic in self.topics}

    @cached_property
    def note_by_path(self) -> dict[str, Note]:
        return {note.path: note for note in self.notes}

    @cached_property
    def slug_of(self) -> dict[str, str]:
        """Normalised topic title → slug. Topics are merged by that name, so each has one;
        computed once: pages ask for every wikilink, and normalize() is ~10 µs a call."""
        first: dict[str, str] = {}
        for topic in self.topics:
            first.setdefault(normalize(topic.title), topic.slug)
        return first

    def topic_slug_for(self, name: str) -> str | None:
        """The slug of the topic called ``name`` (compared normalised), if there is one."""
        return self.slug_of.get(normalize(name))

    @cached_property
    def missing_at(self) -> dict[str, tuple[str, str]]:
        """``"file:line"`` → (arXiv ID, date asked) for items whose explicit arXiv ID arXiv
        said it does not have: shown as such, not as a plain link."""
        found: dict[str, tuple[str, str]] = {}
        for ref in self.refs:
            if asked := self.library.missing_on_arxiv(ref):
                found.setdefault(f"{ref.file}:{ref.line}", (ref.value, asked))
        return found

    @cached_property
    def papers_by_author(self) -> dict[str, list[str]]:
        """Author slug → paper keys (newest first), each once (two spellings of a name on one
        paper are one author)."""
        found: dict[str, list[str]] = defaultdict(list)
        for key, paper in self.library.papers.items():
            for slug in dict.fromkeys(author_slug(name) for name in paper.authors):
                found[slug].append(key)
        year = lambda k: self.library.papers[k].year  # noqa: E731
        return {
            slug: sorted(keys, key=lambda k: (year(k), k), reverse=True)
            for slug, keys in found.items()
        }

    @cached_property
    def author_pages(self) -> dict[str, list[str]]:
        """``papers_by_author`` for the authors who get a page: those with at least
        ``MIN_AUTHOR_PAPERS`` papers here. A page for an author of one paper would only list
        the paper the reader came from, and real gardens are mostly such authors (about 3.5 a
        paper: 35,000 pages at 10,000 papers, three times the papers'); their names link to
        their entries on a few shared pages instead (``author_groups``)."""
        return {
            slug: keys
            for slug, keys in self.papers_by_author.items()
            if len(keys) >= MIN_AUTHOR_PAPERS
        }

    @cached_property
    def author_groups(self) -> dict[str, list[str]]:
        """The shared pages of the authors without a page (``author_group_of``): page → their
        slugs, by surname."""
        names = self.author_names
        found: dict[str, list[str]] = defaultdict(list)
        for slug, page in self.author_group_of.items():
            found[page].append(slug)
        order = lambda s: (names[s].split()[-1].casefold() if names[s].split() else "", s)  # noqa: E731
        return {page: sorted(slugs, key=order) for page, slugs in sorted(found.items())}

    @cached_property
    def author_group_of(self) -> dict[str, str]:
        """Author slug → the shared page of an author without a page of their own: by the
        first two letters of the surname (``routes.author_group``); a group of more than
        ``GROUP_ENTRIES`` authors is split by one more letter, and so on, as far as the
        surnames go (a garden of 10,000 papers has some 35,000 such authors, and a group such
        as "Zh" would hold thousands); then, where the authors of one surname are still too
        many (Wang, Li), by the first letter of their given names, and so on, as far as those
        go."""
        names = self.author_names
        alone = [slug for slug in self.papers_by_author if slug not in self.author_pages]
        out: dict[str, str] = {}
        for letters, page, slugs in _split(alone, lambda s, n: author_group(names[s], n), 2):
            if len(slugs) <= GROUP_ENTRIES:
                out.update(dict.fromkeys(slugs, page))
                continue
            by_given = _split(slugs, lambda s, n, at=letters: author_group(names[s], at, n), 1)
            out.update((slug, part) for _, part, group in by_given for slug in group)
        return out

    @cached_property
    def author_names(self) -> dict[str, str]:
        """Author slug → the name as first spelled in the bibliography."""
        names: dict[str, str] = {}
        for paper in self.library.papers.values():
            for name in paper.authors:
                names.setdefault(author_slug(name), name)
        return names

    @cached_property
    def topics_by_paper(self) -> dict[str, list[tuple[str, str]]]:
        """Paper key → (slug, title) of each topic that lists it."""
        found: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for topic in self.topics:
            for key in topic.paper_keys:
                found[key].append((topic.slug, topic.title))
        return found

    @cached_property
    def citations(self) -> CitationIndex:
        """The citation links among the garden's papers, computed once per build. A file for
        another arXiv ID than the paper's (the paper changed) counts as no data."""
        papers, by_eprint = self.library.papers, self.library.by_eprint
        newest = lambda k: (papers[k].year, k)  # noqa: E731
        cites: dict[str, list[str]] = {}
        cited_by: dict[str, list[str]] = defaultdict(list)
        asked, unknown = {}, {}
        for key, record in self.library.citations.items():
            paper = papers.get(key)
            if paper is None or record.arxiv != paper.eprint:
                continue
            if not record.known:
                unknown[key] = record.asked
                continue
            asked[key] = record.asked
            found = {by_eprint[i] for i in record.references if i in by_eprint} - {key}
            cites[key] = sorted(found, key=newest, reverse=True)
            for target in found:
                cited_by[target].append(key)
        return CitationIndex(
            {k: tuple(v) for k, v in cites.items()},
            {k: tuple(sorted(v, key=newest, reverse=True)) for k, v in cited_by.items()},
            asked,
            unknown,
        )

    @cached_property
    def related(self) -> RelatedIndex:
        """Topic slug → its related topics, ranked (``garden.join.related``)."""
        return related_index(self)

    @cached_property
    def similar(self) -> Similar:
        """Related papers of each paper and each topic (``garden.join.similar``)."""
        return similar_index(self, self.similar_cache)

    @cached_property
    def newest(self) -> list[tuple[str, datetime, Mention]]:
        """(key, when, first mention) of every paper with a date, newest first.

        A paper entered the garden with the first note that mentions it (``added``); in the
        same note, or notes of the same date, a later line counts as newer (notes grow at the
        bottom). Ties after that: by bib key.
        """
        found = []
        dated = {path: _aware(datetime.fromisoformat(when)) for path, when in self.added.items()}
        for key, mentions in self.mentions.items():
            if key not in self.library.papers:
                continue
            firsts = [
                (dated[m.source.note], m.source.line, m) for m in mentions if m.source.note in dated
            ]
            if firsts:
                when, line, mention = min(firsts, key=lambda f: (f[0], f[1]))
                found.append((key, when, mention))
        found.sort(key=lambda f: (f[1], f[2].source.line, f[0]), reverse=True)
        return found


def _aware(when: datetime) -> datetime:
    """A date without a time zone is taken as UTC (so dates from anywhere compare)."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def walk(entries: Iterable[Entry]) -> Iterable[Entry]:
    for entry in entries:
        yield entry
        yield from walk(entry.children)


def topic_title(written: str) -> str:
    """A heading as a page title: "LLMs doing Math:" → "LLMs doing Math"."""
    return " ".join(written.split()).rstrip(":;,.- ") or written.strip()


# --- building ---------------------------------------------------------------------------------


def build_garden(
    notes: Sequence[Note],
    library: Library,
    added: dict[str, str] | None = None,
    similar_cache: dict | None = None,
    join_cache: dict | None = None,
) -> Garden:
    """The garden of ``notes`` and ``library``; ``added``: when each note entered it
    (``garden.notes.history.note_dates``); ``similar_cache``: see ``Garden.similar_cache``.
    ``join_cache``: kept by a long-lived caller (``mkdocs serve``, garden.incremental) between
    builds: each note's references, and each topic merged from the same note objects (a
    parse cache hands back the same object for a note whose bytes did not change) with the
    same library, are taken from the previous build instead of worked out again."""
    cache = _JoinCache(join_cache, library)
    refs = tuple(ref for note in notes for ref in cache.references(note))
    keys_at = _keys_at(refs, library)
    topics = merge_topics(notes, keys_at, cache)
    garden = Garden(tuple(notes), topics, library, refs, keys_at)
    mentions = _mentions(notes, keys_at, garden.slug_of)
    cache = {} if similar_cache is None else similar_cache
    return Garden(tuple(notes), topics, library, refs, keys_at, mentions, dict(added or {}), cache)


def _keys_at(refs: Iterable[PaperRef], library: Library) -> dict[tuple[str, int], tuple[str, ...]]:
    found: dict[tuple[str, int], dict[str, None]] = defaultdict(dict)
    for ref in refs:
        if key := library.key_for(ref):
            found[(ref.file, ref.line)][key] = None
    return {where: tuple(keys) for where, keys in found.items()}


class _Builder:
    """Mutable while merging; frozen into an ``Entry`` at the end."""

    def __init__(self, block: Block, keys: tuple[str, ...]) -> None:
        self.block, self.keys = block, keys
        self.sources: list[Source] = []
        self.children: dict[str, _Builder] = {}

    def freeze(self) -> Entry:
        kids = tuple(child.freeze() for child in self.children.values())
        return Entry(self.block, tuple(dict.fromkeys(self.sources)), self.keys, kids)


def _identity(block: Block, keys: tuple[str, ...], source: Source) -> str:
    """Two blocks are the same entry when they name the same paper, else when their text is."""
    if isinstance(block, Item) and len(keys) == 1:
        return f"paper:{keys[0]}"
    text = normalize(block.text) or f"{source.note}:{source.line}"
    return f"{type(block).__name__}:{text}"


def _merge_into(
    into: dict[str, _Builder], blocks: Iterable[Block], note: Note, keys_at: dict
) -> None:
    for block in blocks:
        keys = keys_at.get((note.path, block.line), ()) if isinstance(block, Item) else ()
        source = Source(note.path, note.slug, note.title, block.line)
        builder = into.setdefault(_identity(block, keys, source), _Builder(block, keys))
        builder.sources.append(source)
        if isinstance(block, Item):
            _merge_into(builder.children, block.children, note, keys_at)


class _JoinCache:
    """What ``build_garden`` may take from the previous build (see its ``join_cache``). Entries
    hold the objects they were made from, and the cache keeps only this build's, so an id is
    never taken for another object's."""

    def __init__(self, store: dict | None, library: Library | None) -> None:
        self._store, self._library = store, library
        self._before = dict(store) if store is not None else {}
        if store is not None:
            store.clear()

    def references(self, note: Note) -> tuple[PaperRef, ...]:
        return self._get(("refs", id(note)), (note,), lambda: tuple(note_references(note)))

    def topic(self, members: list, make: Callable[[], Topic]) -> Topic:
        key = ("topic", id(self._library), *(id(topic) for _, topic in members))
        return self._get(key, (self._library, *(topic for _, topic in members)), make)

    def _get(self, key: tuple, sources: tuple, make: Callable):  # noqa: ANN202
        if self._store is None:
            return make()
        hit = self._before.get(key)
        if (
            hit is None
            or len(hit[0]) != len(sources)
            or any(a is not b for a, b in zip(hit[0], sources, strict=True))
        ):
            hit = (sources, make())
        self._store[key] = hit
        return hit[1]


def merge_topics(
    notes: Sequence[Note], keys_at: dict, cache: _JoinCache | None = None
) -> tuple[Topic, ...]:
    """One topic per normalised heading across all notes; sections and items merged."""
    groups: dict[str, list[tuple[Note, object]]] = defaultdict(list)
    for note in notes:
        for topic in note.topics:
            groups[normalize(topic.title) or slugify(topic.title)].append((note, topic))
    cache = cache or _JoinCache(None, None)
    topics = [
        cache.topic(members, lambda m=members: _merge_group(m, keys_at))
        for members in groups.values()
    ]
    return _unique_slugs(sorted(topics, key=lambda t: normalize(t.title)))


def _merge_group(members: list, keys_at: dict) -> Topic:
    sections: dict[tuple[str, ...], tuple[tuple[str, ...], dict[str, _Builder]]] = {}
    for note, topic in members:
        for section in topic.sections:
            norm = tuple(normalize(part) for part in section.path)
            _, into = sections.setdefault(norm, (section.path, {}))
            _merge_into(into, section.blocks, note, keys_at)
    frozen = tuple(
        TopicSection(path, tuple(b.freeze() for b in into.values()))
        for path, into in sections.values()
        if path or into
    )
    written = [topic.title for _, topic in members]
    best = next((t.title for n, t in members if not t.is_empty), written[0])
    spellings = tuple(dict.fromkeys(w for w in written if w.strip() != best.strip()))
    notes = tuple(dict.fromkeys(note.path for note, _ in members))
    return Topic(slugify(topic_title(best)), topic_title(best), frozen, notes, spellings)


def _unique_slugs(topics: list[Topic]) -> tuple[Topic, ...]:
    taken: set[str] = set(RESERVED_TOPIC_SLUGS)
    out = []
    for topic in topics:
        slug, n = topic.slug, 2
        while slug in taken:
            slug, n = f"{topic.slug}-{n}", n + 1
        taken.add(slug)
        out.append(topic if slug == topic.slug else _with_slug(topic, slug))
    return tuple(out)


def _with_slug(topic: Topic, slug: str) -> Topic:
    return Topic(slug, topic.title, topic.sections, topic.notes, topic.spellings)


# --- mentions ---------------------------------------------------------------------------------


def _mentions(notes: Sequence[Note], keys_at: dict, slug_of: dict[str, str]) -> dict:
    found: dict[str, list[Mention]] = defaultdict(list)
    for note in notes:
        places = [("", "", (), note.preamble)]
        for topic in note.topics:
            slug = slug_of.get(normalize(topic.title), "")
            places += [(slug, topic_title(topic.title), s.path, s.blocks) for s in topic.sections]
        for slug, title, path, blocks in places:
            for item, comments in _items(blocks):
                source = Source(note.path, note.slug, note.title, item.line)
                for key in keys_at.get((note.path, item.line), ()):
                    found[key].append(Mention(key, slug, title, path, source, item.text, comments))
    return {key: tuple(found[key]) for key in sorted(found)}


def _items(blocks: Iterable[Block]) -> Iterable[tuple[Item | Paragraph, tuple[str, ...]]]:
    for block in blocks:
        if isinstance(block, Item):
            yield block, tuple(_texts(block.children))
            yield from _items(block.children)
        elif isinstance(block, Paragraph):
            yield block, ()


def _texts(blocks: Iterable[Block]) -> Iterable[str]:
    for block in blocks:
        yield block.text
        if isinstance(block, Item):
            yield from _texts(block.children)


def _split(
    slugs: list[str], page: Callable[[str, int], str], level: int
) -> Iterator[tuple[int, str, list[str]]]:
    """``slugs`` grouped by ``page(slug, level)``, each group as ``(level, page, slugs)``; a
    group of more than ``GROUP_ENTRIES`` is grouped again at the next level, while that
    tells some of its slugs apart (``Garden.author_group_of``)."""
    pending = slugs
    while pending:
        groups: dict[str, list[str]] = defaultdict(list)
        for slug in pending:
            groups[page(slug, level)].append(slug)
        pending = []
        for uri, group in groups.items():
            if len(group) > GROUP_ENTRIES and any(page(s, level + 1) != uri for s in group):
                pending += group
            else:
                yield level, uri, group
        level += 1
