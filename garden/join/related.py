"""Which topics relate to which: ranked by shared papers, then shared authors, then notes
that discuss both (the weakest signal, so a topic without papers still has neighbours).

Built once per build from inverted indexes (paper → topics, author → topics), so the cost
grows with the number of mentions, not with the square of the number of topics.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from garden.join.garden import Garden, Topic

MAX_RELATED = 8
Related = dict[str, list[tuple["Topic", int, int, int]]]  # slug → (other, papers, authors, notes)


def topic_authors(topic: Topic, garden: Garden) -> set[str]:
    papers = garden.library.papers
    return {name for key in topic.paper_keys if key in papers for name in papers[key].authors}


def related_index(garden: Garden) -> Related:
    by_paper: dict[str, set[str]] = defaultdict(set)
    by_author: dict[str, set[str]] = defaultdict(set)
    by_note: dict[str, set[str]] = defaultdict(set)
    authors_of = {t.slug: topic_authors(t, garden) for t in garden.topics}
    for topic in garden.topics:
        for key in topic.paper_keys:
            by_paper[key].add(topic.slug)
        for name in authors_of[topic.slug]:
            by_author[name].add(topic.slug)
        for note in topic.notes:
            by_note[note].add(topic.slug)
    topics = garden.topic_by_slug
    return {
        t.slug: _ranked(
            topics,
            _shared(t.paper_keys, by_paper, t.slug),
            _shared(authors_of[t.slug], by_author, t.slug),
            _shared(t.notes, by_note, t.slug),
        )
        for t in garden.topics
    }


def _shared(values, index: dict[str, set[str]], me: str) -> Counter:
    counts: Counter = Counter()
    for value in values:
        counts.update(slug for slug in index[value] if slug != me)
    return counts


def _ranked(topics: dict[str, Topic], papers: Counter, authors: Counter, notes: Counter) -> list:
    rows = [
        (topics[s], papers[s], authors[s], notes[s])
        for s in set(papers) | set(authors) | set(notes)
    ]
    rows.sort(key=lambda row: (-row[1], -row[2], -row[3], row[0].title.casefold()))
    return rows[:MAX_RELATED]
