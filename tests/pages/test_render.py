"""The page model and the generated Markdown: golden files for the seed garden, rules by table.

``pytest --update-goldens`` rewrites ``golden/*.md``; review the diff like any other change.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from golden import check_text

from garden.bibliography.library import Library, Paper, load_library
from garden.join import build_garden, walk
from garden.notes import load_notes, parse_note
from garden.notes.model import Item
from garden.pages import markdown
from garden.pages.escape import esc
from garden.pages.markdown import Inline, neutralise_block_start
from garden.pages.sanitize import sanitize
from garden.pages.site import generate_site
from garden.routes import in_nav
from tests.pages.seed_dates import SEED_DATES

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
PAGES = [
    "index.md",
    "topics/random-matrix-theory.md",
    "topics/physics-lens.md",
    "topics/category-theory.md",
    "notes/llm-internals.md",
    "papers/wen2023transformers.md",
    "papers/rende2023mapping.md",
    "papers/louart2017random.md",  # related papers
    "authors/romain-couillet.md",
    "papers/index.md",
]


@pytest.fixture(scope="module")
def seed_site():
    notes = load_notes(ROOT / "notes", ROOT)
    garden = build_garden(notes, load_library(ROOT / "bib"), SEED_DATES)
    return garden, generate_site(garden)


@pytest.mark.parametrize("uri", PAGES)
def test_seed_pages_golden(seed_site, uri: str, update_goldens: bool) -> None:
    _, site = seed_site
    check_text(GOLDEN / uri.replace("/", "__"), site.pages[uri], update_goldens)


def test_seed_site_has_no_problems(seed_site) -> None:
    assert seed_site[1].problems == []


def small_garden(*notes: str, papers: dict[str, Paper] | None = None, refmap=None):
    parsed = [parse_note(text, f"notes/n{i}.md", stem=f"n{i}") for i, text in enumerate(notes)]
    return build_garden(parsed, Library(papers or {}, refmap or {}))


def paper(key: str, title: str, *authors: str) -> Paper:
    return Paper(key, title, authors, year="2020", eprint=f"2001.0000{len(key) % 9}")


def test_same_paper_in_two_notes_is_one_entry_naming_both() -> None:
    tensor = paper("jag2018", "Statistical thresholds for Tensor PCA", "A B")
    garden = small_garden(
        "## Random Matrix Theory\n+ https://arxiv.org/abs/2001.00007 | Tensor PCA\n",
        "## random matrix theory:\n+ Statistical thresholds for Tensor PCA https://arxiv.org/abs/2001.00007\n",
        papers={"jag2018": tensor},
        refmap={"arxiv:2001.00007": "jag2018"},
    )
    (topic,) = garden.topics
    (entry,) = topic.sections[0].entries
    assert entry.keys == ("jag2018",)
    assert [s.note for s in entry.sources] == ["notes/n0.md", "notes/n1.md"]


def test_empty_heading_merges_into_its_twin_and_sections_keep_order() -> None:
    garden = small_garden(
        "## Category Theory\n\n## Other\n+ x y z\n",
        "## Category Theory\n+ a b c\n### Second\n+ d e f\n### First\n+ g h i\n",
    )
    topic = next(t for t in garden.topics if t.slug == "category-theory")
    assert [s.path for s in topic.sections] == [(), ("Second",), ("First",)]
    assert topic.notes == ("notes/n0.md", "notes/n1.md")


def test_different_items_with_same_words_merge_children() -> None:
    garden = small_garden(
        "## T\n+ Some idea here\n  + first comment\n", "## T\n+ some idea here!\n  + second\n"
    )
    (entry,) = garden.topics[0].sections[0].entries
    assert [c.block.text for c in entry.children] == ["first comment", "second"]
    assert sum(isinstance(e.block, Item) for e in walk([entry])) == 3


@pytest.mark.parametrize(
    ("text", "expected", "problems"),
    [
        # a link of plain words: an HTML part, as MkDocs would write the Markdown link
        ("see [[Known]] now", 'see \x02<a href="../known/">Known</a>\x03 now', []),
        ("see [[Known|that topic]]", '\x02<a href="../known/">that topic</a>\x03', []),
        # words Markdown reads (emphasis, math, emoji), or a text of more than one line: Markdown
        ("see [[Known|*that* topic]]", "see [*that* topic](known.md)", []),
        ("see [[Known|$x$ topic]]", "see [$x$ topic](known.md)", []),
        ("see [[Known|:smile: topic]]", "see [:smile: topic](known.md)", []),
        ("see [[Known]]\n# now", "see [Known](known.md)\n", []),
        (
            "see [[Nope]]",
            "see Nope",
            ["notes/x.md:3: unknown topic 'Nope' in [[...]]; check its spelling"],
        ),
        ("[vault](obsidian://open?vault=V&file=f)", "vault</span>", []),
        ("cite [@a; @b]", '[@a]<sup class="garden-cite-sep">,</sup>[@b]', []),
        ("!!! not an admonition", "\\!!! not an admonition", []),
    ],
)
def test_inline_rules(text: str, expected: str, problems: list[str]) -> None:
    inline = Inline(lambda name: "topics/known.md" if name == "Known" else None)
    assert expected in inline(text, "topics/here.md", "notes/x.md:3")
    assert inline.problems == problems


def test_names_substituted_as_one_alternation_would() -> None:
    """The few names that can match a text are found from each name's own pattern: the same
    text as one alternation of them, in their order (overlaps, ties, boundaries, case)."""
    words = ["ab", "abc", "ab c", "c ab", "neural", "net", "neural net", "net work", "ab/ab"]
    fillers = ["the", "/", "-", "AB", "Neural", "x", "x-ab", "ab_c"]
    rng = random.Random(11)
    for _ in range(3000):
        names = tuple(rng.sample(words, rng.randint(1, 5)))
        text = " ".join(rng.choice(words + fillers) for _ in range(rng.randint(0, 12)))
        text = text.replace(" / ", "/") if rng.random() < 0.3 else text

        def mark(match: re.Match[str]) -> str:
            return f"<{match.group(1)}>"

        expected = markdown._alternation(names).sub(mark, text)
        patterns = tuple(map(markdown._one_name, names))
        assert markdown._sub_first_of(patterns, mark, text) == expected, (names, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "on Neural Tangent kernels",
            'on \x02<a href="../../topics/ntk/">Neural Tangent</a>\x03 kernels',
        ),
        ("on\nNeural Tangent kernels", "on\n[Neural Tangent](../topics/ntk.md) kernels"),
        ("`Neural Tangent` stays code", "`Neural Tangent` stays code"),
    ],
)
def test_topic_mentions(text: str, expected: str) -> None:
    """A topic's name in a note's text links to it: an HTML part in a line, a Markdown link
    where a line of the text could be read as a heading."""
    inline = Inline(lambda name: None, topic_names={"Neural Tangent": "topics/ntk.md"})
    assert inline(text, "papers/x.md", "notes/x.md:3") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. not a list", "1\\. not a list"),
        ("# not a heading", "\\# not a heading"),
        ("**bold** stays", "**bold** stays"),
    ],
)
def test_block_starts_are_neutralised(text: str, expected: str) -> None:
    assert neutralise_block_start(text) == expected


def test_esc_keeps_math_and_defuses_markup() -> None:
    assert esc("a_b <i>x</i> $x_1$ [@k]") == r"a\_b &lt;i&gt;x&lt;/i&gt; $x_1$ \[&#64;k\]"


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_sanitize_strips_script(hostile: str) -> None:
    clean = sanitize(f"<p>ok {hostile}</p>").lower()
    assert "<script" not in clean and "onerror" not in clean
    assert "javascript:" not in clean and "<iframe" not in clean


def test_sanitize_keeps_the_theme_chrome_classes_out() -> None:
    html = '<div class="md-dialog md-dialog--active note">x</div><div class="md-overlay">y</div>'
    assert sanitize(html) == '<div class="note">x</div><div>y</div>'
    chips = '<div class="md-tags"><a class="md-tag" href="#a">a</a></div>'
    assert sanitize(chips) == chips  # what the garden's own pages write stays


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        (
            '<img src="https://tracker.example/p.png?a=1&amp;b=2" alt="a pixel">',
            '<a class="garden-image-link" href="https://tracker.example/p.png?a=1&amp;b=2">'
            "a pixel</a>",
        ),
        (
            '<img src="//tracker.example/p.png">',
            '<a class="garden-image-link" href="//tracker.example/p.png">image</a>',
        ),
        ('<img src="../assets/diagram.png" alt="d">', '<img src="../assets/diagram.png" alt="d">'),
    ],
)
def test_images_from_other_sites_become_links(image: str, expected: str) -> None:
    assert sanitize(f"<p>{image}</p>") == f"<p>{expected}</p>"


def test_emoji_are_characters_and_icons_inline_svg() -> None:
    import markdown
    from material.extensions.emoji import twemoji

    from garden.pages.markdown import offline_emoji

    md = markdown.Markdown(
        extensions=["pymdownx.emoji"],
        extension_configs={
            "pymdownx.emoji": {"emoji_index": twemoji, "emoji_generator": offline_emoji}
        },
    )
    html = md.convert(":smile: :material-web:")
    assert "<img" not in html and "cdn" not in html
    assert "\U0001f604" in html and "<svg" in html


def test_only_section_indexes_are_in_the_nav() -> None:
    for uri in ("papers/abc.md", "authors/x.md", "topics/x.md", "notes/x.md"):
        assert not in_nav(uri), uri
    for uri in ("index.md", "papers/index.md", "authors/index.md", "topics/index.md", "graph.md"):
        assert in_nav(uri), uri


def test_problems_found_while_rendering_reach_the_site() -> None:
    site = generate_site(small_garden("## Topic\n+ see [[No Such Topic]] and [@nokey]\n"))
    assert "notes/n0.md:2: unknown topic 'No Such Topic' in [[...]]; check its spelling" in (
        site.problems
    )
    assert any("unknown citation key 'nokey'" in problem for problem in site.problems)


def test_an_id_arxiv_does_not_have_is_marked_on_the_topic_page() -> None:
    note = parse_note("## Topic\n+ https://arxiv.org/abs/2401.99999 a typo\n", "notes/n0.md", "n0")
    library = Library({}, {}, unresolved_ids={"2401.99999": "2026-12-01"})
    site = generate_site(build_garden([note], library))
    mark = "arXiv has no paper 2401.99999 (asked 2026-12-01)"
    assert mark in site.pages["topics/topic.md"]
