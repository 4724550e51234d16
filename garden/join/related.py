"""Which topics relate to which: ranked by shared papers, then shared authors, then notes
that discuss both (the weakest signal, so a topic without papers still has neighbours).

Built once per build from inverted indexes (paper → topics, author → topics), so the cost
grows with the number of mentions, not with the square of the number of topics.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from garden.join.garden import Garden, Topic

MAX_RELATED = 8
# slug → (other, papers, authors, notes)
Related = Mapping[str, list[tuple["Topic", int, int, int]]]


def topic_authors(topic: Topic, garden: Garden) -> set[str]:
    papers = garden.library.papers
    return {name for key in topic.paper_keys if key in papers for name in papers[key].authors}


def related_index(garden: Garden) -> RelatedIndex:
    return RelatedIndex(garden)


class RelatedIndex(Mapping):
    """Topic slug → its related topics, ranked: each topic's ranked when first asked (a
    rebuild in ``mkdocs serve`` asks for the few topics an edit can have changed,
    ``neighbours``), from inverted indexes built once."""

    def __init__(self, garden: Garden) -> None:
        # each topic's papers, authors and notes; and, for each of those, its topics
        self._sets = {
            t.slug: (frozenset(t.paper_keys), topic_authors(t, garden), frozenset(t.notes))
            for t in garden.topics
        }
        self._indexes: tuple[dict[str, set[str]], ...] = tuple(defaultdict(set) for _ in range(3))
        for slug, sets in self._sets.items():
            for values, index in zip(sets, self._indexes, strict=True):
                for value in values:
                    index[value].add(slug)
        self._topics = garden.topic_by_slug
        self._folded = {slug: topic.title.casefold() for slug, topic in self._topics.items()}
        self._ranked: dict[str, list] = {}

    def __getitem__(self, slug: str) -> list[tuple[Topic, int, int, int]]:
        ranked = self._ranked.get(slug)
        if ranked is None:
            sets = self._sets[slug]  # KeyError: not a topic
            ranked = self._ranked[slug] = _ranked(
                self._topics,
                self._folded,
                *(
                    _shared(values, index, slug)
                    for values, index in zip(sets, self._indexes, strict=True)
                ),
            )
        return ranked

    def __iter__(self) -> Iterator[str]:
        return iter(self._topics)

    def __len__(self) -> int:
        return len(self._topics)

    def shared(self, one: str, other: str) -> tuple[int, int, int]:
        """How many papers, authors and notes two topics share (0s if either is not one)."""
        a, b = self._sets.get(one), self._sets.get(other)
        if a is None or b is None:
            return (0, 0, 0)
        return (len(a[0] & b[0]), len(a[1] & b[1]), len(a[2] & b[2]))

    def shared_authors(self, one: str, other: str) -> set[str]:
        """The authors two topics' papers have in common (none if either is not a topic)."""
        a, b = self._sets.get(one), self._sets.get(other)
        return set(a[1] & b[1]) if a is not None and b is not None else set()

    def neighbours(self, slugs: Iterable[str]) -> set[str]:
        """The topics that share a paper, an author or a note with any of ``slugs``: the only
        ones whose related topics a change to those topics can change."""
        out: set[str] = set()
        for slug in slugs:
            sets = self._sets.get(slug)
            if sets is None:
                continue
            out.add(slug)
            for values, index in zip(sets, self._indexes, strict=True):
                for value in values:
                    out |= index[value]
        return out


def _shared(values, index: dict[str, set[str]], me: str) -> Counter:
    counts: Counter = Counter()
    for value in values:
        counts.update(index[value])  # whole sets: Counter counts those in C
    counts.pop(me, None)
    return counts


def _ranked(
    topics: dict[str, Topic],
    folded: dict[str, str],
    papers: Counter,
    authors: Counter,
    notes: Counter,
) -> list:
    """The first ``MAX_RELATED`` topics by papers, authors and notes shared, then title
    (case folded), then slug; without sorting them all (topics share authors widely: hundreds
    of rows a topic at 10,000 papers), and compared as plain tuples (a key function per row
    was most of the time)."""
    rows = [
        (-papers[s], -authors[s], -notes[s], folded[s], s)
        for s in set(papers) | set(authors) | set(notes)
    ]
    return [(topics[s], -p, -a, -n) for p, a, n, _, s in heapq.nsmallest(MAX_RELATED, rows)]
