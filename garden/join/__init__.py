"""Stage 4, the join: notes + references + bibliography → ``Garden``, the model pages read."""

from garden.join.garden import (
    MIN_AUTHOR_PAPERS,
    CitationIndex,
    Entry,
    Garden,
    Mention,
    Source,
    Topic,
    TopicSection,
    build_garden,
    merge_topics,
    topic_title,
    walk,
)
from garden.join.related import MAX_RELATED, Related

__all__ = [
    "MIN_AUTHOR_PAPERS",
    "MAX_RELATED",
    "CitationIndex",
    "Entry",
    "Garden",
    "Mention",
    "Related",
    "Source",
    "Topic",
    "TopicSection",
    "build_garden",
    "merge_topics",
    "topic_title",
    "walk",
]
