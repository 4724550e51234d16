"""Small, pure Markdown-writing helpers shared by every generated page."""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString

from garden.pages.escape import attr, esc, html_text, inline_markdown
from garden.routes import href, link

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
        self._by_first_word, self._by_first_pair, self._always = _first_words(self._names)

    def __call__(self, text: str, page: str, where: str) -> str:
        text = inline_markdown(text)  # the note's own attribute lists go no further
        text = _OBSIDIAN_LINK.sub(
            lambda m: PRIVATE.format(label=esc(m.group(1)) if m.group(1) else "vault note"), text
        )
        text = _OBSIDIAN_BARE.sub(PRIVATE.format(label="vault note"), text)
        in_line = "\n" not in text  # a text of one line: its topic links may be HTML parts
        text = self._link_mentions(text, page, in_line)
        text = _WIKILINK.sub(lambda m: self._wikilink(m, page, where, in_line), text)
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

    def _link_mentions(self, text: str, page: str, in_line: bool) -> str:
        """Link the first mention of each other topic's name, outside links, code and math."""
        names = self._candidates(text) if self._mention else ()
        if not names:
            return text
        if names is self._names:
            substitute = self._mention.sub
        elif len(names) > _FEW_NAMES:
            substitute = _alternation(names).sub
        else:
            substitute = functools.partial(_sub_first_of, tuple(map(_one_name, names)))
        done: set[str] = set()

        def replace(match: re.Match[str]) -> str:
            uri = self._by_fold[match.group(1).casefold()]
            if uri == page or uri in done:
                return match.group(0)
            done.add(uri)
            return topic_link(page, uri, match.group(1), in_line=in_line)

        parts = _PROTECTED.split(text)  # odd indexes: spans that must stay as they are
        return "".join(p if i % 2 else substitute(replace, p) for i, p in enumerate(parts))

    def _candidates(self, text: str) -> tuple[str, ...]:
        """The names that can match in ``text``, in the alternation's order; all of them when
        that cannot be told cheaply. The alternation of every topic costs ~1 µs per topic per
        call; names that cannot match change nothing in it, so they are left out. In ASCII
        text an ASCII name matches only where it occurs, case folded, at a word equal to its
        first word, followed by a word equal to its second (if it has one)."""
        if self._always or not text.isascii():
            return self._names
        lower = text.lower()
        words = _WORD.findall(lower)
        found = [
            (index, name)
            for word in set(words)
            for index, name, folded in self._by_first_word.get(word, ())
            if folded in lower
        ]
        found += [  # a name's first two words: far fewer names each than its first word
            (index, name)
            for pair in set(itertools.pairwise(words))
            for index, name, folded in self._by_first_pair.get(pair, ())
            if folded in lower
        ]
        return tuple(name for _, name in sorted(found))

    def _wikilink(self, match: re.Match[str], page: str, where: str, in_line: bool) -> str:
        name, label = match.group(1).strip(), (match.group(2) or match.group(1)).strip()
        target = self.resolve_topic(name)
        if target is None:
            self.problems.append(f"{where}: unknown topic '{name}' in [[...]]; check its spelling")
            return esc(label)
        return topic_link(page, target, label, in_line=in_line)


def topic_link(page: str, uri: str, text: str, *, in_line: bool) -> str:
    """A link the garden makes in a note's text (a topic's name, a wikilink): an HTML part
    when its words are only words to Markdown (``_PLAIN_WORDS``), which is the same HTML as the
    Markdown link, without Python-Markdown's link pattern and MkDocs' link rewriting over it
    (55,000 such links at 10,000 papers); else a Markdown link. Not ``in_line`` (a text of
    more than one line, where Markdown may read a line as a heading, whose text would then be
    the part's token in the table of contents): a Markdown link."""
    if in_line and _PLAIN_WORDS.fullmatch(text) and "www." not in text.lower():
        return fragment(html_link(page, uri, text))
    return f"[{text}]({link(page, uri)})"


# Words no Markdown pattern of the site reads (no emphasis, code, math, emoji, key, URL, HTML)
_PLAIN_WORDS = re.compile(r"(?:[^\W_]|[ .,'()/-])+")


@lru_cache(maxsize=4096)
def _alternation(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?<![\w/])({alternatives})(?![\w/])", re.I)


_FEW_NAMES = 8  # up to this many names that can match a text: ``_sub_first_of`` their patterns


@cache
def _one_name(name: str) -> re.Pattern[str]:
    return _alternation((name,))


def _sub_first_of(
    patterns: tuple[re.Pattern[str], ...], replace: Callable[[re.Match[str]], str], text: str
) -> str:
    """``_alternation(names).sub(replace, text)`` from each name's own pattern, without
    compiling an alternation for each set of names a text can match (compiled per text: 1.1 s
    of 23 s generating the pages at 10,000 papers; this, 0.5 s): at each step the match that
    starts first, the earliest name's where two start together (the alternative the
    alternation tries first), then on from its end."""
    found = [pattern.search(text) for pattern in patterns]
    out, pos = [], 0
    while True:
        best = None
        for index, match in enumerate(found):
            if match is not None and match.start() < pos:  # overlapped by the one taken
                match = found[index] = patterns[index].search(text, pos)
            if match is not None and (best is None or match.start() < best.start()):
                best = match
        if best is None:
            out.append(text[pos:])
            return "".join(out)
        out += [text[pos : best.start()], replace(best)]
        pos = best.end()


_Named = list[tuple[int, str, str]]


def _first_words(names: tuple[str, ...]) -> tuple[dict[str, _Named], dict[tuple, _Named], bool]:
    """The ASCII names that start with a word character (with their place in ``names`` and
    lower-cased): those of one word by it, the others by their first two words, lower-cased;
    and whether another name could match ASCII text (punctuation first, or a letter such as
    "ſ" that ``re.I`` matches to an ASCII one)."""
    by_word: dict[str, _Named] = defaultdict(list)
    by_pair: dict[tuple, _Named] = defaultdict(list)
    always = False
    for index, name in enumerate(names):
        lower = name.lower()
        if name.isascii() and _WORD.match(lower):
            words = _WORD.findall(lower)
            if len(words) > 1:
                by_pair[words[0], words[1]].append((index, name, lower))
            else:
                by_word[words[0]].append((index, name, lower))
        elif name.isascii() or all(map(_matches_ascii, name)):
            always = True
    return dict(by_word), dict(by_pair), always


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


# A generated page's parts written as HTML (html_list, html_div, and what escape.html_text
# makes) travel beside its Markdown, not through it: Python-Markdown would only pass them
# through, after parsing every tag of them with Python's html.parser (md_in_html's block
# finder, MkDocs' id collector): at 10,000 papers that was four fifths of a paper page's
# Markdown time. The page text marks each such part; ``Page.markdown`` is the text without
# the marks (the same Markdown: raw HTML, as Python-Markdown would pass it); the MkDocs glue
# (hooks.py) swaps each part for a token before Markdown and back after it, before the
# sanitiser, so the parts are cleaned as the rest of the page is. The marks are the ASCII
# control characters STX and ETX, which Python-Markdown itself drops from any text it is
# given; no note or bibliography text brings them here (garden.notes.read and escape.esc
# drop them). Not the separators \x1c-\x1f: Python's str.split() and strip() take those for
# whitespace.
FRAGMENT_START, FRAGMENT_END = "\x02", "\x03"
_FRAGMENT = re.compile("\x02([^\x02\x03]*)\x03")


def fragment(html: str) -> str:
    """``html`` marked as a part of the page Markdown has nothing to do with."""
    return f"{FRAGMENT_START}{html}{FRAGMENT_END}"


def without_fragment_marks(text: str) -> str:
    if FRAGMENT_START not in text and FRAGMENT_END not in text:
        return text
    return text.replace(FRAGMENT_START, "").replace(FRAGMENT_END, "")


def split_fragments(text: str, token: str) -> tuple[str, list[str]]:
    """The text with each marked part replaced by a word Markdown leaves alone (``token`` + its
    number + a letter), and the parts. A part glued to the text beside it (``<span>`` before a
    word) gets a space on that side, which Markdown then reads as it read the tag: not a word
    (``_emphasis_`` and a URL beside it are still seen); the letter says which sides have one:
    ``x`` none, ``a`` before, ``b`` after, ``c`` both. Marks that do not pair up are not ours:
    then the text without marks, and no parts."""
    if FRAGMENT_START not in text:
        return without_fragment_marks(text), []
    parts: list[str] = []
    end = len(text)

    def stash(match: re.Match[str]) -> str:
        parts.append(match.group(1))
        start, stop = match.start(), match.end()
        before = start > 0 and not text[start - 1].isspace()
        after = stop < end and not text[stop].isspace()
        word = f"{token}{len(parts) - 1}{'xbac'[before * 2 + after]}"
        return (" " if before else "") + word + (" " if after else "")

    out = _FRAGMENT.sub(stash, text)
    if FRAGMENT_START in out or FRAGMENT_END in out:
        return without_fragment_marks(text), []
    return _one_paragraph_a_run(out, parts, token), parts


def _one_paragraph_a_run(text: str, parts: list[str], token: str) -> str:
    """Parts that are paragraphs of their own, one after another (a paper page's head, its
    last sections), left to Markdown as one paragraph: the first token stands for them all,
    the others' parts emptied. Markdown writes a line break between two paragraphs, which is
    what joins them; so the page's HTML is the same, from a third fewer blocks to parse (every
    block processor tried on each was a third of a paper page's Markdown time). A run starts
    after a blank line (or the text's start) and ends before one (or the text's end), so that
    no token is a line of a paragraph that holds other text."""
    word, run = _run_expressions(token)

    def merge(match: re.Match[str]) -> str:
        numbers = [int(n) for n in word.findall(match.group(0))]
        parts[numbers[0]] = "\n".join(parts[n] for n in numbers)
        for n in numbers[1:]:
            parts[n] = ""
        return f"{token}{numbers[0]}x\n"

    return run.sub(merge, text)


@lru_cache(maxsize=4)
def _run_expressions(token: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A token (its number captured), and a run of token paragraphs (``_one_paragraph_a_run``)."""
    word = re.escape(token) + r"(\d+)x"
    run = rf"(?:\A|(?<=\n\n)){word}\n(?:\n{word}\n)+(?=\n|\Z)"
    return re.compile(word), re.compile(run)


def join_fragments(html: str, parts: list[str], token: str, *, sanitised: bool = False) -> str:
    """``split_fragments`` undone in the HTML Markdown made: a part alone on its lines (a
    paragraph of its token) replaces that paragraph, one inside a line replaces its token and
    the spaces put beside it. ``sanitised``: ``html`` is the sanitiser's output, whose tags are
    all written alike (``_SANITISED_TAG``); a token inside a tag (a note's link that took one
    into its URL or title) is dropped there, so that no part lands inside an attribute."""
    if not parts:
        return html
    if sanitised and token in html:
        html = _SANITISED_TAG.sub(lambda m: _without_tokens(m.group(), token), html)
    found = re.compile(
        rf"<p>{token}(\d+)x</p>| {token}(\d+)a|{token}(\d+)b | {token}(\d+)c "
        rf"|{token}(\d+)[xabc]"  # a space Markdown did not keep as it was
    )
    html = found.sub(lambda m: parts[int(next(n for n in m.groups() if n is not None))], html)
    # A token that a note's markup took where no part can go (a link's URL swallowing the
    # closing tag of its item, without the token's side letter) is dropped: the token is drawn
    # anew in each build, and no page shows it.
    return _without_tokens(html, token)


# A tag as nh3 (html5ever's serialiser) writes it: every attribute value in double quotes, with
# no double quote inside (``&quot;``); a "<" in text is always ``&lt;``.
_SANITISED_TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')


def _without_tokens(tag: str, token: str) -> str:
    return re.sub(rf"{token}\d*[xabc]?", "", tag) if token in tag else tag


class FragmentTokens(Extension):
    """Python-Markdown's inline patterns kept off the words ``split_fragments`` puts for a
    page's HTML parts, where one is the whole text of an element (a paragraph or a list item of
    its own: nearly all of them). No pattern could match in such a word; trying each of them on
    each was a fifth of a paper page's Markdown time. The output is the same."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        word = re.compile(rf"{re.escape(self.token)}\d+x")
        # before the inline patterns (InlineProcessor, priority 20)
        md.treeprocessors.register(_WholeTokens(md, word), "garden_fragment_tokens", 25)


class _WholeTokens(Treeprocessor):
    def __init__(self, md: Markdown, word: re.Pattern[str]) -> None:
        super().__init__(md)
        self.word = word

    def run(self, root: Element) -> None:
        fullmatch = self.word.fullmatch
        for element in root.iter():
            text = element.text
            if text and fullmatch(text):
                element.text = AtomicString(text)  # left alone by InlineProcessor


# What each inline pattern's expression cannot match without (Python-Markdown 3.11's,
# pymdown-extensions 10's, as mkdocs.yml enables them): a text with none of a pattern's
# strings is not searched for it. Python-Markdown tries every pattern on every text of a
# page (21 here), most of them matching nothing: that was nearly half of its time on the
# garden's pages. A pattern not named here is always tried.
_ANY = ("[",)
INLINE_TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),  # a backtick, or backslashes before one
    "arithmatex-inline": ("$", "\\("),  # $...$ or \(...\), or backslashes before them
    "keys-custom": ("+",),  # ++key++, or backslashes before a +
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": _ANY,
    "link": _ANY,
    "short_reference": _ANY,
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<",),
    # (?i) "www." ends in "w." or "W."
    "magic-link": ("://", "w.", "W."),
    "magic-mail": ("@",),
    "entity": ("&",),
    "emoji": (":",),
    "keys": ("++",),
    "em_strong": ("*", "_"),
}


# Block processors whose expression (``attribute``, as written in Python-Markdown 3.11 and
# pymdown-extensions 10) cannot match a block without a string: it is not run on one. The
# list blocks of a topic or note page were searched by each of them at every nesting level.
BLOCK_TRIGGERS: dict[str, tuple[str, str, str]] = {  # name: (attribute, trigger, expression)
    "hashheader": (
        "RE",
        "#",
        r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)",
    ),
    "admonition": ("RE", "!!!", r'(?:^|\n)!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *(?:\n|$)'),
    "details": (
        "START",
        "???",
        r'(?:^|\n)\?{3}(\+)? ?(?:([\w\-]+(?: +[\w\-]+)*?)?(?: +"(.*?)")|([\w\-]+(?: +[\w\-]+)*?))'
        r" *(?:\n|$)",
    ),
    "quote": ("RE", ">", r"(^|\n)[ ]{0,3}>[ ]?(.*)"),
}


class Triggers(Extension):
    """Python-Markdown without the work that cannot find anything: its inline pass (the
    ``inline`` treeprocessor) tries each pattern only on a text holding one of its strings
    (``INLINE_TRIGGERS``), and the block processors of ``BLOCK_TRIGGERS`` search only a
    block holding theirs (where their expression is the one the table was written for). The
    output is the same: ``tests/pages/test_triggers.py`` compares the seed site's
    pages, the hostile notes' lines and random texts; every page of a 10,000-paper site was
    compared when this was written."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_TriggeredInline(md), "inline", 20)  # the default's place
        for name, (attribute, trigger, expression) in BLOCK_TRIGGERS.items():
            if name not in md.parser.blockprocessors:
                continue
            processor = md.parser.blockprocessors[name]
            regex = getattr(processor, attribute, None)
            if isinstance(regex, re.Pattern) and regex.pattern == expression:
                setattr(processor, attribute, _Triggered(regex, trigger))


class _Triggered:
    """A compiled expression that cannot match a text without ``trigger``: None at once for
    one, else the expression's own answer."""

    __slots__ = ("_regex", "_trigger")

    def __init__(self, regex: re.Pattern[str], trigger: str) -> None:
        self._regex, self._trigger = regex, trigger

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return self._regex.search(text, *args) if self._trigger in text else None

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return self._regex.match(text, *args) if self._trigger in text else None

    def __getattr__(self, name: str):  # noqa: ANN204 - the expression's other methods
        return getattr(self._regex, name)


class _TriggeredInline(InlineProcessor):
    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        patterns = self.inlinePatterns
        triggers = {
            id(patterns[name]): t for name, t in INLINE_TRIGGERS.items() if name in patterns
        }
        # in Python-Markdown's order (what its patternIndex counts), each with its triggers
        self._patterns = [(pattern, triggers.get(id(pattern))) for pattern in patterns]
        return super().run(tree, ancestors)

    # Python-Markdown's private __handleInline (name-mangled), as its run() and __applyPattern
    # call it: the same loop over the patterns, passing over those whose triggers ``data`` lacks
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, AtomicString):
            return data
        patterns = self._patterns
        count, start = len(patterns), 0
        while patternIndex < count:
            pattern, triggers = patterns[patternIndex]
            if triggers is not None:
                for trigger in triggers:
                    if trigger in data:
                        break
                else:  # cannot match: as __applyPattern answers when it does not
                    patternIndex, start = patternIndex + 1, 0
                    continue
            data, matched, start = _apply_pattern(self, pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


_apply_pattern = InlineProcessor._InlineProcessor__applyPattern  # type: ignore[attr-defined]


_ID = re.compile(r'\sid="([^"]*)"')


def fragment_ids(parts: list[str]) -> set[str]:
    """The ``id`` attributes of the HTML parts (which Markdown did not see): the anchors links
    to the page may point at (``notes/x.md#line-12``)."""
    # most parts have no id: a substring test first (the pages' ids in 40% less time)
    with_ids = (part for part in parts if 'id="' in part)
    return {html.unescape(found) for part in with_ids for found in _ID.findall(part)}


def html_list(items: list[str]) -> str:
    """Items (HTML) as one bulleted-list HTML block, as Python-Markdown writes ``- item`` lines;
    Python-Markdown passes it through."""
    return "<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>"


def html_link(page: str, to_uri: str, text: str) -> str:
    """A link from ``page`` to the page ``to_uri`` as MkDocs writes ``[text](to_uri)``: its
    URL by ``routes.href``, the text by ``escape.html_text``."""
    return f'<a href="{attr(href(page, to_uri))}">{html_text(text)}</a>'


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
