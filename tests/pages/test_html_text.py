"""``escape.html_text`` writes a title, and ``escape.plain_html`` an abstract, as the HTML the
page's Markdown would have made of ``esc(text)``: held to Python-Markdown with the site's own
extensions (mkdocs.yml), for every title and abstract in bib/ and for hostile and mathematical
ones."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from garden.bibliography.library import load_library
from garden.pages.escape import esc, html_text, plain_html
from garden.pages.markdown import offline_emoji

ROOT = Path(__file__).resolve().parents[2]
TITLES = [
    "Attention $O(n^2)$ & <b>bold</b> *x* _y_",
    "$a<b$ and $\\mathrm{SU}(N)$ gauge theory",
    "Costs 50$ and 60$ dollars",
    "C++ ++ctrl++ @home [@key] :smile: :material-pdf:",
    "a\\$b $x$ `code` {: onclick=alert(1) } {#__config}",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "Théorème — 𝔼[x] «quoted» 'single' \"double\"",
    "  spaced   out  ",
    "$$x$$ display and \\(y\\) parens",
]


@pytest.fixture(scope="module")
def site_markdown() -> markdown.Markdown:
    config = load_config(str(ROOT / "mkdocs.yml"))
    configs = config.mdx_configs
    configs["pymdownx.emoji"]["emoji_generator"] = offline_emoji
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=configs)


def _as_markdown_would(md: markdown.Markdown, text: str) -> str:
    html = md.reset().convert(esc(text))
    return html.removeprefix("<p>").removesuffix("</p>")


@pytest.mark.parametrize("text", TITLES)
def test_hostile_and_mathematical_titles(site_markdown: markdown.Markdown, text: str) -> None:
    assert html_text(text) == _as_markdown_would(site_markdown, text)
    assert "<script" not in html_text(text) and "<img" not in html_text(text)


def test_every_title_in_bib(site_markdown: markdown.Markdown) -> None:
    papers = load_library(ROOT / "bib").papers.values()
    texts = [p.title for p in papers] + [name for p in papers for name in p.authors]
    assert len(texts) > 100
    for text in texts:
        assert html_text(text) == _as_markdown_would(site_markdown, text), text


def test_a_url_in_a_title_stays_text() -> None:
    # the page's Markdown would make it a link (magiclink), inside the title's own link
    assert html_text("See http://example.org/x now") == "See http://example.org/x now"


PAIRS = [
    ("papers/a.md", "papers/b.md"),
    ("topics/t.md", "papers/b.md"),
    ("index.md", "papers/b.md"),
    ("papers/a.md", "index.md"),
    ("papers/a.md", "papers/a.md"),
    ("papers/index.md", "papers/b.md"),
    ("papers/b.md", "papers/index.md"),
    ("graph.md", "topics/t.md"),
    ("authors/x-y.md", "papers/index.md#category-cs-lg"),
]


@pytest.mark.parametrize(("page", "target"), PAIRS)
def test_href_is_the_url_mkdocs_writes_for_the_link(page: str, target: str) -> None:
    """routes.href, for links in the HTML a page family writes, against what MkDocs makes of
    the same Markdown link (routes.link) in a page at ``page``."""
    from mkdocs.structure.files import File
    from mkdocs.utils import get_relative_url

    from garden.routes import href

    path, _, anchor = target.partition("#")
    url_of = lambda uri: File(uri, "docs", "site", use_directory_urls=True).url  # noqa: E731
    expected = get_relative_url(url_of(path), url_of(page)) + (f"#{anchor}" if anchor else "")
    assert href(page, target) == expected


# Texts plain_html writes itself, and texts it must leave to the page's Markdown (None).
PLAIN = [
    *[t for t in TITLES if t == t.strip() and not t.startswith(("<", "$"))],
    "We study $\\mathbb{E}[x]$ at rate $n^{-1/2}$: 10:30 and :smile: (nothing else).",
    "Entities &amp; &lt;tags&gt; and an @author, a|b|c, a_b_c, x*y*z, 50% [1] {x}",
    "Sums: 2 + 2 = 4 ++ and -- and ... and ! and #hash",
]
NOT_PLAIN = [
    "Code at https://github.com/x/y, see www.example.org",
    "line one\nline two",
    "tab\tseparated",
    "- starts like a list",
    "# starts like a heading",
    "> starts like a quote",
    "1. starts like a numbered list",
    "!!! note starts like an admonition",
    "    indented like code",
    "  spaced   out  ",
    "$x$ starts with math",  # as a paragraph: the page's Markdown decides
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_what_the_pages_markdown_makes_of_it(site_markdown, text: str) -> None:
    html = plain_html(text)
    assert html is not None, text
    assert html == _as_markdown_would(site_markdown, text)
    assert plain_html(text, inline=True) == html


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_what_only_the_pages_markdown_makes_right_is_left_to_it(text: str) -> None:
    assert plain_html(text) is None


def test_a_start_is_left_alone_inside_a_line(site_markdown) -> None:
    # inside a line ("Published 2017-11-01 · 19 pages, 2 figures") a start is no block
    for text in ["19 pages, 2 figures", "- dash", "1. one", "$x$ first"]:
        inline = plain_html(text, inline=True)
        assert inline is not None
        assert inline == _as_markdown_would(site_markdown, "x " + text).removeprefix("x ")


def test_every_abstract_in_bib(site_markdown: markdown.Markdown) -> None:
    papers = [p for p in load_library(ROOT / "bib").papers.values() if p.abstract]
    written = [(p.abstract, plain_html(p.abstract)) for p in papers]
    assert sum(html is not None for _, html in written) > len(papers) // 2
    for text, html in written:
        if html is not None:
            assert html == _as_markdown_would(site_markdown, text), text


def test_a_papers_facts_read_the_same_as_html_and_as_markdown(site_markdown) -> None:
    """A paper's facts line is HTML when every fact is plain, else Markdown (a comment with a
    URL to link): either way the page shows the same facts."""
    from garden.bibliography.library import Paper
    from garden.pages.markdown import without_fragment_marks
    from garden.pages.paper_page import _facts

    facts = dict(published="2021-03-04", version="v2", updated="2021-05-06", eprint="2103.00001")
    facts.update(primary_class="math.PR", journal="Ann. Prob. 7 (2021)")
    plain = Paper("a2021", "A", ("A",), comment="21 pages, 3 figures", **facts)
    linked = Paper("a2021", "A", ("A",), comment="code: https://example.org/a", **facts)
    as_html, as_markdown = _facts(plain), _facts(linked)
    assert as_html.startswith("\x02") and 'class="garden-meta" markdown' in as_markdown
    shown = [
        site_markdown.reset().convert(without_fragment_marks(text)).replace("\n", "")
        for text in (as_html, as_markdown)
    ]
    assert shown[0].replace("21 pages, 3 figures", "COMMENT") == re.sub(
        r"code: <a href=[^>]*>https://example.org/a</a>", "COMMENT", shown[1]
    )
    assert '<a href="https://arxiv.org/abs/2103.00001">arXiv:2103.00001</a>' in shown[0]
    assert "<em>Ann. Prob. 7 (2021)</em>" in shown[0] and ", updated 2021-05-06" in shown[0]
