"""``Triggers`` tries an inline pattern only on a text holding one of the strings its
expression cannot match without (garden.pages.markdown.INLINE_TRIGGERS), and searches a block
for a heading, admonition, details or quote only where it holds theirs (BLOCK_TRIGGERS): the
HTML must be Python-Markdown's own, byte for byte, on the garden's pages, the hostile notes'
lines and random texts made of every pattern's special characters."""

from __future__ import annotations

import random
import re
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from garden.pages import markdown as garden_markdown
from garden.pages.markdown import (
    BLOCK_TRIGGERS,
    INLINE_TRIGGERS,
    Triggers,
    _Triggered,
    offline_emoji,
)

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_NOTES = ROOT / "tests" / "hostile" / "notes"


def _site_markdowns() -> tuple[markdown.Markdown, markdown.Markdown]:
    """The site's Markdown (mkdocs.yml's extensions, as the MkDocs glue sets them up), without
    and with the triggers."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    configs = config.mdx_configs
    configs["pymdownx.emoji"]["emoji_generator"] = offline_emoji
    extensions = config.markdown_extensions
    plain = markdown.Markdown(extensions=extensions, extension_configs=configs)
    triggered = markdown.Markdown(extensions=[*extensions, Triggers()], extension_configs=configs)
    return plain, triggered


@pytest.fixture(scope="module")
def markdowns() -> tuple[markdown.Markdown, markdown.Markdown]:
    return _site_markdowns()


def test_every_pattern_of_the_site_has_its_triggers(markdowns) -> None:  # noqa: ANN001
    """Each inline pattern the site's Markdown has is one the table was written for (a new
    extension's pattern would be tried on every text: correct, but this says to look), and
    each block processor of the table had the expression it was written for."""
    plain, triggered = markdowns
    names = {name for name in INLINE_TRIGGERS if name in triggered.inlinePatterns}
    assert len(triggered.inlinePatterns) == len(names) == len(INLINE_TRIGGERS)
    for name, (attribute, _, _) in BLOCK_TRIGGERS.items():
        assert isinstance(getattr(triggered.parser.blockprocessors[name], attribute), _Triggered)
        assert isinstance(getattr(plain.parser.blockprocessors[name], attribute), re.Pattern)


BLOCKS = [
    "# Heading\n\ntext # not one\n\n## Two ##\n\n\\# escaped",
    '!!! note "Title"\n    inside\n\n    still\n\nafter !!! not one',
    '??? note "Closed"\n    inside\n\n???+ tip\n    open\n\nwhat??? no',
    "> quoted\n> more\n\n>> nested\n\na > b, not one",
    "- item\n    - # heading in a list\n    - > quote in a list\n\n    !!! note\n        x",
    "1. one\n2. two\n\n    ??? note\n        in a list",
]


# One text per pattern that it matches, and the near misses of each trigger.
CASES = [
    "`code` and \\`not code\\` and \\\\`code after backslashes`",
    "math $x^2$ and $ not $ and \\$5 and \\\\$y$ and \\(a+b\\) and \\\\\\(c\\)",
    'keys ++ctrl+alt+del++ and +not+ and \\\\++x++ and ++"quoted"++',
    "escaped \\* and \\_ and \\[ and \\\\",
    "a footnote[^1] and [^not one",
    "[a link](https://example.org) and [ref][r] and [short] and ![image](x.png) ![r][r] ![s]",
    "<https://example.org/auto> <FTP://example.org> <me@example.org> <not a link>",
    "line break  \nafter two spaces",
    "<b>bold</b> <!-- comment --> <?pi?> <![CDATA[x]]> <br/> a < b > c",
    "bare https://example.org/x and www.example.org and WWW.EXAMPLE.ORG and wWw.x.org",
    "ftp://files.example.org and ftp.example.org and mail me@example.org or a@b.co",
    "&amp; &#169; &#x00A9; & alone",
    ":smile: :material-web: :not an emoji: a:b:c",
    "*em* _em_ **strong** __strong__ ***both*** a*b a_b_c snake_case_name",
]


def test_each_pattern_renders_as_without_triggers(markdowns) -> None:  # noqa: ANN001
    plain, triggered = markdowns
    for text in CASES + BLOCKS:
        for shown in (text, f"- {text}", f"# {text}", f"> {text}"):
            assert triggered.reset().convert(shown) == plain.reset().convert(shown), shown


def test_random_texts_of_special_characters_render_as_without_triggers(markdowns) -> None:  # noqa: ANN001
    """Texts drawn from every character an expression above looks for, and words: whatever
    a pattern matches, its triggers are in the text."""
    plain, triggered = markdowns
    pieces = [
        *"`$\\()[]{}!<>@&:;+*_^~#=\"'/.- \n",
        "!!! ",
        "??? ",
        "\n    ",
        "\n\n",
        "\n> ",
        "\n# ",
        "  \n",
        "://",
        "www.",
        "WWW.",
        "ftp.",
        "http",
        "a",
        "b",
        "x1",
        "word",
        "smile",
        "ctrl",
        "++",
        "$$",
        "\\(",
        "\\)",
        "[^",
    ]
    rng = random.Random(11)
    tried = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        assert triggered.reset().convert(text) == plain.reset().convert(text), repr(text)
        tried += 1
    assert tried == 3000


def test_the_hostile_notes_render_as_without_triggers(markdowns) -> None:  # noqa: ANN001
    """Every line an attacker wrote (tests/hostile/notes), through the site's Markdown."""
    plain, triggered = markdowns
    lines = [
        line
        for note in sorted(HOSTILE_NOTES.rglob("*.md"))
        for line in note.read_text("utf-8", "replace").splitlines()
        if line.strip()
    ]
    assert len(lines) > 100
    for line in lines:
        assert triggered.reset().convert(line) == plain.reset().convert(line), line


def test_the_seed_pages_render_the_same_and_most_tries_are_skipped(markdowns, monkeypatch) -> None:  # noqa: ANN001
    """Every generated page of the seed garden: the same HTML, and the triggers did spare
    Python-Markdown most of its pattern tries (not a test that could pass by trying all)."""
    from garden.build import Project, build_pages
    from garden.pages.markdown import split_fragments
    from garden.pages.page import Page

    plain, triggered = markdowns
    tries: list[int] = []
    apply = garden_markdown._apply_pattern

    def counted(*args):  # noqa: ANN002, ANN202
        tries.append(1)
        return apply(*args)

    site = build_pages(Project(ROOT)).site
    pages = {uri: f.marked for uri, f in site.files.items() if isinstance(f, Page)}
    asked = 0
    for uri, text in pages.items():
        body, _ = split_fragments(text, "gardenpartTEST")
        expected = plain.reset().convert(body)
        monkeypatch.setattr(garden_markdown, "_apply_pattern", counted)
        got = triggered.reset().convert(body)
        monkeypatch.setattr(garden_markdown, "_apply_pattern", apply)
        assert got == expected, uri
        asked += _pattern_tries(plain, body)
    assert len(pages) > 40
    assert 0 < len(tries) < asked / 2, (len(tries), asked)


def _pattern_tries(md: markdown.Markdown, body: str) -> int:
    """How many times Python-Markdown itself tried a pattern on ``body``."""
    from markdown.treeprocessors import InlineProcessor

    count = 0
    original = InlineProcessor._InlineProcessor__applyPattern

    def counted(self, *args):  # noqa: ANN001, ANN002, ANN202
        nonlocal count
        count += 1
        return original(self, *args)

    InlineProcessor._InlineProcessor__applyPattern = counted
    try:
        md.reset().convert(body)
    finally:
        InlineProcessor._InlineProcessor__applyPattern = original
    return count


def test_a_toc_marker_in_a_note_stays_text(markdowns) -> None:  # noqa: ANN001
    """mkdocs.yml gives the toc no marker: no page's tree is searched for "[TOC]" (a tenth of
    a topic page's Markdown time), and a note's "[TOC]" is text, not a table of contents."""
    for md in markdowns:
        html = md.reset().convert("# A heading\n\n[TOC]\n\n- [TOC]")
        assert '<div class="toc">' not in html
        assert "<p>[TOC]</p>" in html and "<li>[TOC]</li>" in html
