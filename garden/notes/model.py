"""A note as its author wrote it: topics (headings) → sections → items (list entries)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    url: str
    label: str = ""  # the link text; "" for a bare URL


@dataclass(frozen=True)
class Item:
    """A list entry: its inline Markdown as written (lines joined) and its sub-items."""

    text: str
    line: int  # 1-based line in the note where the item starts
    links: tuple[Link, ...] = ()
    children: tuple[Block, ...] = ()
    is_heading: bool = False  # "+ # Main ResearchLine Interests": a heading written inside an item


@dataclass(frozen=True)
class Paragraph:
    """Prose outside any list: a label such as "Interpretability Claims:" or a comment."""

    text: str
    line: int
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Preformatted:
    """Hand-aligned text (an ASCII diagram): shown verbatim, never reflowed."""

    text: str
    line: int


Block = Item | Paragraph | Preformatted


@dataclass(frozen=True)
class Section:
    """The blocks under one heading inside a topic. ``path`` is () for the topic's own body."""

    path: tuple[str, ...]
    line: int
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class NoteTopic:
    """One topic heading in one note, with the sections written under it."""

    title: str
    line: int
    sections: tuple[Section, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(section.blocks or section.path for section in self.sections)


@dataclass(frozen=True)
class Note:
    path: str  # relative to the project root, e.g. "notes/research-map.md"
    slug: str
    title: str
    preamble: tuple[Block, ...] = ()  # what comes before the first topic heading
    topics: tuple[NoteTopic, ...] = field(default_factory=tuple)
    topic_level: int = 2  # the heading level this note uses for topics
