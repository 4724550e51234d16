"""Parse a note's Markdown into the model, using markdown-it-py's syntax tree (CommonMark).

The tree does the hard parts (nesting, tabs, lazy continuation lines). On top of it we
apply the few readings a messy note needs that CommonMark cannot know about; each is a
small function with the reason next to it.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.front_matter import front_matter_plugin

from garden.notes.errors import NoteError
from garden.notes.model import Block, Item, Link, Note, NoteTopic, Paragraph, Preformatted, Section
from garden.text import slugify


# maxNesting: markdown-it drops everything after a block nested deeper than this (the rest of
# the note, silently); _clamp_indentation keeps every note well inside it.
def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"linkify": True, "maxNesting": 100})
        .enable("linkify")
        .use(front_matter_plugin)
    )


_MD = _parser()
# The note's blocks only: the inline Markdown of each paragraph is parsed where it is read
# (``links_in``), not a second time here (that was two fifths of reading the notes).
_BLOCKS = _parser().disable(["inline", "linkify", "text_join"])
_LISTS = ("bullet_list", "ordered_list")
_INTERIOR_GAP = re.compile(r"\S {4,}\S")
_PADDED_MARKER = re.compile(r"^([ \t]*(?:[-+*]|\d{1,9}[.)]))[ ]{2,4}(?=\S)", re.MULTILINE)
# Limits (CONTRIBUTING.md lists them): past these a note is cut short, with a warning.
MAX_FRONT_MATTER = 16 * 1024  # bytes of YAML
MAX_TITLE = 200  # characters in a note title or a heading
MAX_ENTRIES = 5_000  # list items and paragraphs in one note, nested ones included
MAX_INDENT = 64  # columns of indentation: 16 list levels of 4 spaces
_DEEP_MARKER = re.compile(r"^[ \t]+(?=(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$))", re.MULTILINE)


@dataclass(frozen=True)
class _Heading:
    level: int
    title: str
    line: int


@dataclass(frozen=True)
class _Rule:
    """A thematic break (``---``) between blocks: where a note's author closes a part."""

    line: int


# "Interpretability Claims:" on a line of its own: a label naming the list that follows.
MAX_LABEL_WORDS = 8


def parse_note(
    text: str, file: str, stem: str = "", problems: list[NoteError] | None = None
) -> Note:
    """Parse one note's text; ``file`` is the path shown in messages, ``stem`` names the note.

    A problem (broken front matter, an overlong title) raises ``NoteError`` when
    ``problems`` is ``None``; given a list, it is added there and the note degrades: broken
    front matter is ignored, an overlong title is cut.
    """
    report = _reporter(file, problems)
    text = _clamp_indentation(_unpad_markers(text), report)
    lines = text.splitlines()
    nodes = list(SyntaxTreeNode(_BLOCKS.parse(text)).children)
    meta = _front_matter(nodes, report)
    nodes = [node for node in nodes if node.type != "front_matter"]
    title_node = _title_heading(nodes)
    if title_node is not None:
        nodes.remove(title_node)
    level = min((_level(n) for n in nodes if n.type == "heading"), default=2)
    preamble, topics = _group(_at_most(MAX_ENTRIES, _events(nodes, lines, report), report), level)
    name = stem or slugify(file)
    title = _meta_title(meta, report) or (
        _capped(_inline(title_node), title_node.map[0] + 1, report) if title_node else ""
    )
    return Note(file, slugify(name), title or _pretty(name, text), preamble, topics, level)


def _reporter(file: str, problems: list[NoteError] | None):
    def report(line: int, message: str) -> None:
        if problems is None:
            raise NoteError(file, line, message)
        problems.append(NoteError(file, line, message))

    return report


def _capped(title: str, line: int, report) -> str:
    if len(title) <= MAX_TITLE:
        return title
    report(line, f"a title of {len(title):,} characters, cut to {MAX_TITLE}; shorten it")
    return title[: MAX_TITLE - 1].rstrip() + "…"


def _meta_title(meta: dict, report) -> str:
    value = meta.get("title")
    if value is None or value == "":
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        report(1, "front matter 'title' must be text, such as 'title: My reading list'; ignored")
        return ""
    return _capped(" ".join(str(value).split()), 1, report)


def _unpad_markers(text: str) -> str:
    """``+  !!! Title`` then ``  + comment``: the comment is meant as a sub-item.

    CommonMark puts the item's content column after all the spaces following the marker,
    so a child indented by two spaces falls out of the list. Fast typists pad markers
    by accident; reading them as one space keeps the nesting the author sees. Lines and
    columns of everything else are unchanged.
    """
    return _PADDED_MARKER.sub(r"\1 ", text)


def _clamp_indentation(text: str, report) -> str:
    """List items indented past ``MAX_INDENT`` columns are indented by ``MAX_INDENT``: a list
    nested 500 deep is read as 16 levels with the deeper items at the last one (markdown-it
    would otherwise drop the rest of the note), with one warning at the first such line.
    Other lines (a hand-drawn diagram, text under an item) keep their columns."""
    first: list[int] = []

    def clamp(match: re.Match[str]) -> str:
        if len(match.group(0).expandtabs(4)) <= MAX_INDENT:
            return match.group(0)
        if not first:
            first.append(text.count("\n", 0, match.start()) + 1)
        return " " * MAX_INDENT

    clamped = _DEEP_MARKER.sub(clamp, text)
    if first:
        report(
            first[0],
            f"indented more than {MAX_INDENT} columns (lists nested over 16 deep): read as "
            "16 levels; nest less",
        )
    return clamped


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors and aliases: 357 bytes of nested aliases expand
    to half a million strings (a "billion laughs"), and a note's front matter never needs them.
    """

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed in front matter",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


def _front_matter(nodes: Sequence[SyntaxTreeNode], report) -> dict:
    """The note's YAML front matter; broken front matter is reported and ignored."""
    if not nodes or nodes[0].type != "front_matter":
        return {}
    content = nodes[0].content
    if len(content.encode()) > MAX_FRONT_MATTER:
        report(1, f"front matter is over {MAX_FRONT_MATTER:,} bytes; ignored: keep it short")
        return {}
    try:
        meta = yaml.load(content, Loader=_NoAliasLoader) or {}  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 1  # +1 for the opening "---"
        problem = getattr(exc, "problem", None) or exc
        report(line, f"front matter is not valid YAML ({problem}); ignored: fix it")
        return {}
    if not isinstance(meta, dict):
        report(1, "front matter must be a YAML mapping such as 'title: ...'; ignored")
        return {}
    return meta


def _title_heading(nodes: Sequence[SyntaxTreeNode]) -> SyntaxTreeNode | None:
    """A lone ``# Title`` opening the note names the note; it is not a topic."""
    headings = [n for n in nodes if n.type == "heading"]
    if not headings or nodes[0] is not headings[0] or _level(headings[0]) != 1:
        return None
    return headings[0] if sum(_level(h) == 1 for h in headings) == 1 and len(headings) > 1 else None


def _pretty(stem: str, text: str = "") -> str:
    """A title from the file name: ``llm-internals`` → "LLM internals". A word the note
    itself writes in capitals ("LLMs", "RMT") keeps them: the file name lost its case."""
    words = re.sub(r"[-_]+", " ", stem).split()
    words = [_as_written_in(word, text) for word in words]
    if words and words[0].islower():
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def _as_written_in(word: str, text: str) -> str:
    if len(word) < 2 or not word.isalpha() or not word.islower():
        return word
    pattern = re.compile(rf"\b({re.escape(word)})s?\b", re.IGNORECASE)
    spellings = set()
    for line in text.splitlines():
        others = [w for w in re.findall(r"[^\W\d_]+", line) if w.casefold() != word]
        shouting = others and all(w.isupper() for w in others)  # "SPACE AND TIME"
        spellings |= {m.group(1) for m in pattern.finditer(line) if not shouting}
    # Only ever in capitals, outside all-capitals lines: an acronym ("LLMs", "RMT").
    return word.upper() if spellings == {word.upper()} else word


def _level(node: SyntaxTreeNode) -> int:
    return int(node.tag[1])


def _inline(node: SyntaxTreeNode) -> str:
    """The inline Markdown of a paragraph or heading as written, its lines joined by spaces."""
    return " ".join(part.strip() for part in node.children[0].content.split("\n")).strip()


def links_in(text: str) -> tuple[Link, ...]:
    """Every link in inline Markdown: ``[label](url)``, ``<url>`` and bare URLs (linkify)."""
    links, label, href = [], [], None
    for token in _MD.parseInline(text)[0].children or ():
        if token.type == "link_open":
            href, label = str(token.attrs.get("href", "")), []
        elif token.type == "link_close" and href is not None:
            bare = "".join(label) == href or token.info == "auto"
            links.append(Link(href, "" if bare else "".join(label)))
            href = None
        elif href is not None and token.type in ("text", "code_inline"):
            label.append(token.content)
    return tuple(links)


# --- blocks ---------------------------------------------------------------------------------


def _events(
    nodes: Sequence[SyntaxTreeNode], lines: list[str], report
) -> Iterator[_Heading | _Rule | Block]:
    glued = _glued_continuations(nodes, lines)
    skip = set(glued.values())
    for index, node in enumerate(nodes):
        if index in skip:
            continue
        if node.type == "heading":
            line = node.map[0] + 1
            yield _Heading(_level(node), _capped(_inline(node), line, report), line)
        elif node.type == "hr":
            yield _Rule(node.map[0] + 1)
        elif index in glued:
            yield from _append_to_last(_list_items(node, lines), _inline(nodes[glued[index]]))
        else:
            yield from _blocks([node], lines)


def _at_most(
    limit: int, events: Iterator[_Heading | _Rule | Block], report
) -> Iterator[_Heading | _Rule | Block]:
    """The note's events until ``limit`` entries (blocks, nested ones counted) have passed:
    the rest is dropped, with one warning at the line where it starts. A note of 50,000 items
    would otherwise make pages of megabytes (its own and its topics')."""
    count = 0
    for event in events:
        if not isinstance(event, _Heading | _Rule):
            count += _entries(event)
            if count > limit:
                report(
                    event.line,
                    f"more than {limit:,} list items in one note; the rest of the note is not "
                    "published: split it into several notes",
                )
                return
        yield event


def _entries(block: Block) -> int:
    children = getattr(block, "children", ())
    return 1 + sum(_entries(child) for child in children)


def _glued_continuations(nodes: Sequence[SyntaxTreeNode], lines: list[str]) -> dict[int, int]:
    """Find a title broken by a ``---`` line: list, rule and text with no blank line between.

    CommonMark ends the list at the rule (a setext underline cannot be a lazy continuation
    line), but with no blank line on either side the author was still writing the item's
    title: "Physical Computing: ... Physical\\n---\\nComputation and ...". Returns
    {index of the list: index of the paragraph that continues its last item}.
    """
    glued = {}
    for i in range(len(nodes) - 2):
        before, rule, after = nodes[i : i + 3]
        if before.type in _LISTS and rule.type == "hr" and after.type == "paragraph":
            touching = lines[rule.map[0] - 1].strip() and after.map[0] == rule.map[1]
            if touching and after.map[1] - after.map[0] == 1:
                glued[i] = i + 2
    return glued


def _append_to_last(items: tuple[Block, ...], text: str) -> tuple[Block, ...]:
    last = items[-1]
    if not isinstance(last, Item):
        return items
    if last.children and isinstance(last.children[-1], Item):
        return (*items[:-1], replace(last, children=_append_to_last(last.children, text)))
    joined = f"{last.text} {text}".strip()
    return (*items[:-1], replace(last, text=joined, links=links_in(joined)))


def _blocks(nodes: Sequence[SyntaxTreeNode], lines: list[str]) -> Iterator[Block]:
    for node in nodes:
        if node.type in _LISTS:
            yield from _list_items(node, lines)
        elif node.type == "paragraph":
            yield from _paragraph_blocks(node, lines)
        elif node.type in ("code_block", "fence"):
            yield Preformatted(node.content.rstrip("\n"), node.map[0] + 1)
        elif node.type == "html_block":
            yield Paragraph(node.content.strip(), node.map[0] + 1, links_in(node.content))
        elif node.type == "heading":  # a heading nested in a block quote or list
            yield Item(_inline(node), node.map[0] + 1, links_in(_inline(node)), is_heading=True)
        elif node.type == "blockquote":
            yield from _blocks(node.children, lines)


def _list_items(node: SyntaxTreeNode, lines: list[str]) -> tuple[Block, ...]:
    return tuple(item for child in node.children if (item := _item(child, lines)) is not None)


def _item(node: SyntaxTreeNode, lines: list[str]) -> Item | None:
    """A list item: its first paragraph (or heading) is its text, the rest its children."""
    parts = list(node.children)
    head = parts[0] if parts else None
    text, is_heading = "", False
    if head is not None and head.type in ("paragraph", "heading") and not _aligned(head, lines):
        text, is_heading, parts = _inline(head), head.type == "heading", parts[1:]
    children = tuple(_blocks(parts, lines))
    if not text and not children:
        return None  # an empty bullet
    return Item(text, node.map[0] + 1, links_in(text), children, is_heading)


def _paragraph_blocks(node: SyntaxTreeNode, lines: list[str]) -> Iterator[Block]:
    start = node.map[0]
    if _aligned(node, lines):
        yield Preformatted(_verbatim(lines[start : node.map[1]]), start + 1)
        return
    parts = node.children[0].content.split("\n")
    # Lines that each carry a link are a list written without bullets ("Taxonomy: https://...").
    if len(parts) > 1 and all(links_in(part) for part in parts):
        for offset, part in enumerate(parts):
            yield Item(part.strip(), start + offset + 1, links_in(part))
        return
    text = "\n".join(part.strip() for part in parts).strip()  # lines kept: $$ math $$ spans them
    yield Paragraph(text, start + 1, links_in(text))


def _aligned(node: SyntaxTreeNode, lines: list[str]) -> bool:
    """Hand-aligned text (an ASCII diagram) must stay preformatted, or reflowing ruins it.

    Signs: a continuation line indented 8+ columns deeper than the first line, or a gap of
    4+ spaces inside a line. Prose never needs either.
    """
    raw = [line.expandtabs(4) for line in lines[node.map[0] : node.map[1]]]
    first = len(raw[0]) - len(raw[0].lstrip())
    deeper = any(line.strip() and len(line) - len(line.lstrip()) - first >= 8 for line in raw[1:])
    return deeper or any(_INTERIOR_GAP.search(line) for line in raw)


def _verbatim(raw: list[str]) -> str:
    return textwrap.dedent("\n".join(line.expandtabs(4).rstrip() for line in raw)).strip("\n")


# --- topics and sections --------------------------------------------------------------------


def _group(
    events: Iterator[_Heading | _Rule | Block], topic_level: int
) -> tuple[tuple[Block, ...], tuple[NoteTopic, ...]]:
    """Headings at ``topic_level`` open topics; deeper headings open sections inside them."""
    preamble: list[Block] = []
    topics: list[tuple[_Heading, list[tuple[tuple[str, ...], int, list[Block]]]]] = []
    stack: list[_Heading] = []
    for event in _labels_after_rules(events, topic_level):
        if isinstance(event, _Rule):
            continue
        if isinstance(event, _Heading) and event.level <= topic_level:
            topics.append((event, [((), event.line, [])]))
            stack = []
        elif isinstance(event, _Heading) and topics:
            stack = [h for h in stack if h.level < event.level] + [event]
            topics[-1][1].append((tuple(h.title for h in stack), event.line, []))
        elif isinstance(event, _Heading):  # a label before any topic: keep it as text
            preamble.append(Paragraph(event.title, event.line))
        elif topics:
            topics[-1][1][-1][2].append(event)
        else:
            preamble.append(event)
    return tuple(preamble), tuple(_freeze(heading, sections) for heading, sections in topics)


def _labels_after_rules(
    events: Iterator[_Heading | _Rule | Block], topic_level: int
) -> Iterator[_Heading | _Rule | Block]:
    """A rule, then a label line, then a list: the author closed the subsection above and
    named a new part of the topic ("---- / Interpretability Claims: / + ..."). The label
    becomes a section heading one level under the topic, so what follows is not filed under
    the last subsection."""
    after_rule = False
    for event in events:
        if after_rule and isinstance(event, Paragraph) and is_label(event.text):
            yield _Heading(topic_level + 1, event.text.rstrip(": "), event.line)
        else:
            yield event
        after_rule = isinstance(event, _Rule)


def is_label(text: str) -> bool:
    """``Interpretability Claims:``: a few words ending in a colon, no link, one line."""
    words = text.split()
    plain = "\n" not in text and not links_in(text) and "$" not in text
    return plain and text.endswith(":") and 0 < len(words) <= MAX_LABEL_WORDS


def _freeze(heading: _Heading, sections: list) -> NoteTopic:
    frozen = tuple(Section(path, line, tuple(blocks)) for path, line, blocks in sections)
    return NoteTopic(heading.title, heading.line, frozen)
