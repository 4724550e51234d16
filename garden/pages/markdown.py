"""Small, pure Markdown-writing helpers shared by every generated page."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from garden.pages.escape import esc, inline_markdown
from garden.routes import link

_OBSIDIAN_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?(obsidian://[^)\s>]*)>?\s*\)")
_OBSIDIAN_BARE = re.compile(r"<?obsidian://[^\s>)]+>?")
_WIKILINK = re.compile(r"\[\[([^\]|]+?)(?:\|([^\]]+))?\]\]")
_CITATION = re.compile(r"\[(@[\w-]+(?:\s*;\s*@[\w-]+)*)\]")
_CITE_GROUP = re.compile(r"\[(@[\w-]+(?:\s*;\s*@[\w-]+)+)\]")
# What would make an item's text start a block instead of being text: a heading, quote,
# admonition ("!!! Covariance ..."), list marker, table row or fence.
# Links, wikilinks, URLs, code, math and HTML tags: topic names inside them are not linked.
_PROTECTED = re.compile(
    r"(\[\[.*?\]\]|!?\[[^\]]*\]\([^)]*\)|<[^>]+>|`[^`]*`|\$[^$]*\$|\w+://\S+|\bwww\.\S+)"
)
_BLOCK_START = re.compile(r"^(?:#|>|!!!|\?\?\?|[-+*]\s|\||```|~~~)")
_NUMBERED = re.compile(r"^(\d+)([.)]\s)")
_WORD = re.compile(r"\w+")
PRIVATE = (
    '<span class="garden-private" title="A link into the author\'s private Obsidian vault">'
    "{label}</span>"
)


@dataclass
class Inline:
    """Turns a note's inline Markdown into the site's: wikilinks resolved, private vault links
    defused, grouped citations separated, block syntax at the start neutralised.

    ``resolve_topic`` maps a topic name to a page URI (or ``None``); problems collect
    ``file:line: message`` strings for the build to warn about.
    """

    resolve_topic: Callable[[str], str | None]
    problems: list[str] = field(default_factory=list)
    topic_names: dict[str, str] = field(default_factory=dict)  # name as titled → page URI
    cite_keys: frozenset[str] | None = None  # bib keys; None: citations are not checked

    def __post_init__(self) -> None:
        names = sorted(self.topic_names, key=len, reverse=True)  # longest name wins
        self._names = tuple(name for name in names if len(name) >= 3)
        self._mention = _alternation(self._names) if self._names else None
        self._by_fold = {name.casefold(): uri for name, uri in self.topic_names.items()}
        self._by_first_word, self._always = _first_words(self._names)

    def __call__(self, text: str, page: str, where: str) -> str:
        text = inline_markdown(text)  # the note's own attribute lists go no further
        text = _OBSIDIAN_LINK.sub(
            lambda m: PRIVATE.format(label=esc(m.group(1)) if m.group(1) else "vault note"), text
        )
        text = _OBSIDIAN_BARE.sub(PRIVATE.format(label="vault note"), text)
        text = self._link_mentions(text, page)
        text = _WIKILINK.sub(lambda m: self._wikilink(m, page, where), text)
        self._check_citations(text, where)
        text = _CITE_GROUP.sub(_separate_citations, text)
        return neutralise_block_start(text)

    def _check_citations(self, text: str, where: str) -> None:
        """mkdocs-bibtex warns of an unknown key without saying where: say which line."""
        if self.cite_keys is None:
            return
        for group in _CITATION.findall(text):
            for key in re.findall(r"@([\w-]+)", group):
                if key not in self.cite_keys:
                    self.problems.append(
                        f"{where}: unknown citation key '{key}'; see bib/*.bib for the keys"
                    )

    def _link_mentions(self, text: str, page: str) -> str:
        """Link the first mention of each other topic's name, outside links, code and math."""
        names = self._candidates(text) if self._mention else ()
        if not names:
            return text
        mention = self._mention if names is self._names else _alternation(names)
        done: set[str] = set()

        def replace(match: re.Match[str]) -> str:
            uri = self._by_fold[match.group(1).casefold()]
            if uri == page or uri in done:
                return match.group(0)
            done.add(uri)
            return f"[{match.group(1)}]({link(page, uri)})"

        parts = _PROTECTED.split(text)  # odd indexes: spans that must stay as they are
        return "".join(p if i % 2 else mention.sub(replace, p) for i, p in enumerate(parts))

    def _candidates(self, text: str) -> tuple[str, ...]:
        """The names that can match in ``text``, in the alternation's order; all of them when
        that cannot be told cheaply. The alternation of every topic costs ~1 µs per topic per
        call; names that cannot match change nothing in it, so they are left out. In ASCII
        text an ASCII name matches only where it occurs, case folded, at a word equal to its
        first word."""
        if self._always or not text.isascii():
            return self._names
        lower = text.lower()
        found = [
            (index, name)
            for word in set(_WORD.findall(lower))
            for index, name, folded in self._by_first_word.get(word, ())
            if folded in lower
        ]
        return tuple(name for _, name in sorted(found))

    def _wikilink(self, match: re.Match[str], page: str, where: str) -> str:
        name, label = match.group(1).strip(), (match.group(2) or match.group(1)).strip()
        target = self.resolve_topic(name)
        if target is None:
            self.problems.append(f"{where}: unknown topic '{name}' in [[...]]; check its spelling")
            return esc(label)
        return f"[{label}]({link(page, target)})"


@lru_cache(maxsize=4096)
def _alternation(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?<![\w/])({alternatives})(?![\w/])", re.I)


def _first_words(names: tuple[str, ...]) -> tuple[dict[str, list[tuple[int, str, str]]], bool]:
    """The ASCII names that start with a word character (with their place in ``names`` and
    lower-cased), by their first word lower-cased; and whether another name could match ASCII text
    (punctuation first, or a letter such as "ſ" that ``re.I`` matches to an ASCII one)."""
    by_word: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    always = False
    for index, name in enumerate(names):
        first = _WORD.match(name.lower()) if name.isascii() else None
        if first:
            by_word[first.group()].append((index, name, name.lower()))
        elif name.isascii() or all(map(_matches_ascii, name)):
            always = True
    return dict(by_word), always


@cache
def _matches_ascii(char: str) -> bool:
    pattern = re.compile(re.escape(char), re.I)
    return any(pattern.fullmatch(chr(code)) for code in range(128))


def neutralise_block_start(text: str) -> str:
    """``!!! Note`` → ``\\!!! Note``; ``1. x`` → ``1\\. x``: the text stays text."""
    if _BLOCK_START.match(text):
        return "\\" + text
    return _NUMBERED.sub(r"\1\\\2", text)


def _separate_citations(match: re.Match[str]) -> str:
    """``[@a; @b]`` renders as two bare superscripts ("23") in mkdocs-bibtex: add a comma."""
    keys = [part.strip() for part in match.group(1).split(";")]
    return '<sup class="garden-cite-sep">,</sup>'.join(f"[{key}]" for key in keys)


def indent(text: str, depth: int) -> str:
    pad = "    " * depth
    return "\n".join(pad + line if line.strip() else "" for line in text.split("\n"))


def html_list(items: list[str]) -> str:
    """Items (HTML) as one bulleted-list HTML block, as Python-Markdown writes ``- item`` lines;
    Python-Markdown passes it through."""
    return "<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>"


def html_div(cls: str, inner: str) -> str:
    """``inner`` (HTML blocks) in a ``<div class=cls>`` block, as Python-Markdown writes a
    ``<div markdown>`` around them."""
    return f'<div class="{cls}">\n{inner}\n</div>' if inner else f'<div class="{cls}"></div>'


def fence(text: str, lang: str = "text") -> str:
    """A fenced block longer than any backtick run inside ``text``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text}\n{ticks}"


def offline_emoji(index, shortname, alias, uc, alt, title, category, options, md):  # noqa: ANN001, PLR0913
    """pymdownx.emoji's generator for this site: the theme's icons (``:material-web:``) as
    inline SVG, Material's way; an emoji (``:smile:``) as its Unicode character, where
    Material's ``to_svg`` would load an image from a CDN (cdn.jsdelivr.net) in the reader's
    browser. Set by ``hooks.on_config``."""
    from material.extensions import emoji
    from pymdownx.emoji import to_alt

    if uc:
        return to_alt(index, shortname, alias, uc, alt, title, category, options, md)
    return emoji.to_svg(index, shortname, alias, uc, alt, title, category, options, md)
