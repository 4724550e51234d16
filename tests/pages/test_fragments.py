"""A generated page's HTML parts travel beside its Markdown (garden.pages.markdown.fragment):
split out before Markdown, put back after it, and never made from a note's own bytes."""

from __future__ import annotations

import html as html_lib

import lxml.etree
import lxml.html
import markdown
from markdown.util import AtomicString

from garden.notes.read import repair_text
from garden.pages.escape import esc, html_text, safe_href
from garden.pages.markdown import (
    FRAGMENT_END,
    FRAGMENT_START,
    fragment,
    fragment_ids,
    join_fragments,
    split_fragments,
    without_fragment_marks,
)
from garden.pages.page import Page
from garden.pages.sanitize import sanitize, sanitize_page

TOKEN = "gardenpartTEST"


def _render(text: str) -> str:
    """What the MkDocs glue does with a page: split, Markdown, join."""
    body, parts = split_fragments(text, TOKEN)
    return join_fragments(markdown.markdown(body), parts, TOKEN)


def test_a_block_part_replaces_its_paragraph_and_an_inline_one_its_token() -> None:
    block = '<div class="x">\n<ul>\n<li><a href="a/">*not emphasis*</a></li>\n</ul>\n</div>'
    text = f"# Title\n\n{fragment(block)}\n\n- {fragment('<b>inline</b>')} and *words*\n"
    html = _render(text)
    assert block in html and "<p><div" not in html  # not wrapped in a paragraph
    assert "<li><b>inline</b> and <em>words</em></li>" in html
    assert "*not emphasis*" in html  # the part's text was never Markdown
    assert TOKEN not in html


def test_the_same_page_without_the_split_is_the_same_html() -> None:
    """Page.markdown (the marks dropped, the parts raw HTML) renders to the same page, but
    for the blank line Python-Markdown leaves after a raw HTML block."""
    part = '<div class="garden-related">\n<ul>\n<li><a href="b/">B</a></li>\n</ul>\n</div>'
    text = f"# T\n\nSome *text*.\n\n{fragment(part)}\n\n## After\n"
    split = _render(text)
    whole = markdown.markdown(without_fragment_marks(text))
    assert split == whole.replace("</div>\n\n", "</div>\n")


GLUED = [
    # a tag glued to the words beside it reads as the raw tag does: not a word
    ("<span>", "_emphasis_ and *more*", "</span>"),
    ("<span>", "https://example.org/x ", "</span>"),  # the space: as garden.pages.items.wrap
    ("<span>", "**strong**", "<b>x</b>"),
    ("", "word", "<i>a</i><i>b</i>"),  # parts beside each other
    ("<span>", "`code` at the start", ""),
]


def test_a_part_glued_to_words_renders_as_the_raw_html_does() -> None:
    md = markdown.Markdown(extensions=["pymdownx.magiclink"])
    for before, words, after in GLUED:
        text = "- " + (fragment(before) if before else "") + words
        text += "".join(fragment(f"<{t}") for t in after.split("<")[1:]) + "\n"
        body, parts = split_fragments(text, TOKEN)
        split = join_fragments(md.reset().convert(body), parts, TOKEN)
        whole = md.reset().convert(without_fragment_marks(text))
        assert split == whole, (before, words, after)
        assert TOKEN not in split


def test_the_ids_of_the_parts_are_anchors_of_the_page() -> None:
    parts = ['<span class="x" id="line-12" data-line="12">', "<p>no id</p>", '<a id="a&amp;b">']
    assert fragment_ids(parts) == {"line-12", "a&b"}


def test_marks_that_do_not_pair_up_are_not_parts() -> None:
    for text in (f"a {FRAGMENT_START}b", f"a {FRAGMENT_END}b", f"{fragment('x')} {FRAGMENT_END}"):
        body, parts = split_fragments(text, TOKEN)
        assert parts == [] and FRAGMENT_START not in body and FRAGMENT_END not in body


def test_a_page_hands_out_its_markdown_without_the_marks() -> None:
    page = Page("papers/a.md", f"# A\n\n{fragment('<p>x</p>')}\n")
    assert page.markdown == page.text == "# A\n\n<p>x</p>\n"
    assert page.marked == f"# A\n\n{fragment('<p>x</p>')}\n"


def test_no_note_or_bibliography_text_brings_a_mark() -> None:
    """A note (or a title) holding the marks cannot pass its own bytes off as a part."""
    hostile = f"{FRAGMENT_START}<img src=x onerror=alert(1)>{FRAGMENT_END}"
    for text in (repair_text(hostile), esc(hostile), html_text(hostile)):
        assert FRAGMENT_START not in text and FRAGMENT_END not in text
    assert "<img" not in esc(hostile) and "<img" not in html_text(hostile)


def test_the_tokens_left_to_themselves_render_every_seed_page_the_same() -> None:
    """``FragmentTokens`` keeps Python-Markdown's inline patterns off a token that is an
    element's whole text: every generated page of the seed garden renders, with the site's
    own extensions, to the same HTML with it as without it, and nearly every token is skipped."""
    from pathlib import Path

    from markdown.treeprocessors import Treeprocessor
    from mkdocs.config import load_config

    from garden.build import Project, build_pages
    from garden.pages.markdown import FragmentTokens, offline_emoji

    root = Path(__file__).resolve().parents[2]
    config = load_config(str(root / "mkdocs.yml"))
    configs = config.mdx_configs
    configs["pymdownx.emoji"]["emoji_generator"] = offline_emoji
    skipped: list[str] = []

    class Seen(Treeprocessor):  # after FragmentTokens, before the inline patterns
        def run(self, root_element) -> None:  # noqa: ANN001
            skipped.extend(e.text for e in root_element.iter() if type(e.text) is AtomicString)

    plain = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=configs)
    kept = markdown.Markdown(
        extensions=[*config.markdown_extensions, FragmentTokens(TOKEN)], extension_configs=configs
    )
    kept.treeprocessors.register(Seen(kept), "seen", 22)
    site = build_pages(Project(root)).site
    pages = {uri: file.marked for uri, file in site.files.items() if isinstance(file, Page)}
    tokens = 0
    for uri, text in pages.items():
        body, parts = split_fragments(text, TOKEN)
        tokens += body.count(TOKEN)  # a run of paragraph parts is one token
        assert kept.reset().convert(body) == plain.reset().convert(body), uri
    assert len(pages) > 40 and tokens > 800
    # most of a paper page's parts; the seeds' notes and topics have many inside lines
    assert len(skipped) > tokens / 3 and all(t.startswith(TOKEN) for t in skipped)


def test_a_run_of_paragraph_parts_is_one_token_and_the_same_html() -> None:
    """Parts that are paragraphs of their own, one after another, go to Markdown as one
    paragraph (fewer blocks to parse), and the page's HTML is what it was part by part. A part
    that is a line of a paragraph holding other text, or indented, stays its own token."""
    blocks = ['<div class="a">\n<p>x</p>\n</div>', "<p>b</p>", '<h2 id="c">C</h2>']
    runs = "\n\n".join(fragment(b) for b in blocks)
    text = (
        f"{runs}\n\n# Title\n\n{runs}\n\nwords\n{fragment('<b>in</b>')}\n\n{runs}\n\n"
        f"- item\n\n    {fragment('<p>indented</p>')}\n\n    {fragment('<p>too</p>')}\n\n{runs}\n"
    )
    md = markdown.Markdown(extensions=["pymdownx.magiclink"])
    body, parts = split_fragments(text, TOKEN)
    assert body.count(TOKEN) == 4 + 1 + 2  # the four runs, the part in a paragraph, indented
    assert body.startswith(f"{TOKEN}0x\n\n# Title") and sum(1 for p in parts if p) == 7
    joined = join_fragments(md.reset().convert(body), parts, TOKEN)
    # what the parts gave as tokens of their own (the split before runs)
    words = iter(range(len(parts)))
    whole = FRAGMENT_START + "(.*?)" + FRAGMENT_END
    import re

    plain = re.sub(whole, lambda m: f"{TOKEN}{next(words)}x", text, flags=re.S)
    one_by_one = re.findall(whole, text, flags=re.S)
    assert joined == join_fragments(md.reset().convert(plain), one_by_one, TOKEN)
    assert joined.count("<h2") == 4 and TOKEN not in joined


def test_a_token_a_link_swallowed_is_dropped_not_shown() -> None:
    """A note's link left open takes the closing tag's token of its item into its URL (the
    hostile corpus's obsidian.md did): the part cannot go there, and the token, drawn anew
    each build, is not left in the page either."""
    link = '[vault 9](<span class="garden-private">vault</span> onclick=alert(/xss/) }) '
    text = "- " + fragment("<span>") + link + fragment("</span>") + "\n"
    html = _render(text)
    assert TOKEN not in html, html
    assert _render("a " + fragment("<b>b</b>") + " c") == "<p>a <b>b</b> c</p>"


def _sanitised(text: str) -> str:
    """What the MkDocs glue does with a generated page: split, Markdown, sanitise and join."""
    body, parts = split_fragments(text, TOKEN)
    return sanitize_page(markdown.markdown(body), parts, TOKEN)


def test_the_parts_go_in_after_the_sanitiser_as_written() -> None:
    """The garden's own HTML parts are not sanitised again (every note string in them was
    escaped): they reach the page byte for byte, while what Markdown rendered of the note's
    text is sanitised. The page reads as it did when the sanitiser ran over both."""
    part = '<p class="garden-x"><code>&#64;misc{a, title = {&lt;b&gt;}}</code></p>'
    text = f"{fragment(part)}\n\n- {fragment('<b>x</b>')} <img src=x onerror=alert(1)> *y*\n"
    html = _sanitised(text)
    assert part in html and "<li><b>x</b> " in html and "<em>y</em>" in html
    assert "onerror" not in html and TOKEN not in html
    body, parts = split_fragments(text, TOKEN)
    together = sanitize(join_fragments(markdown.markdown(body), parts, TOKEN))
    assert _dom(html) == _dom(together)


def test_no_part_lands_inside_a_tag_a_note_wrote() -> None:
    """A note's link that takes a part's token into its URL or title: the part is not put
    inside the attribute (its quotes would end it), the token is dropped there."""
    for link in ("[a]({part})", '[a](x "t {part}")', "<a href='{part}'>a</a>"):
        text = "- note " + link.format(part=fragment('<b class="p">part</b>')) + " end\n"
        html = _sanitised(text)
        assert TOKEN not in html, html
        for value in lxml.html.fragment_fromstring(html, create_parent="div").xpath("//@*"):
            assert "<" not in value and "part" not in value, html


def test_a_lone_tag_part_is_sanitised_with_the_rest() -> None:
    """An item's span in two parts around the note's words: the sanitiser runs over the
    page with the parts in, so the span is closed however the words end."""
    text = "- " + fragment('<span class="garden-item">') + "[open](<x" + fragment("</span>")
    html = _sanitised(text + "\n")
    assert html.count("<span") == html.count("</span>") and TOKEN not in html


def _dom(html: str) -> str:
    element = lxml.html.fragment_fromstring(html, create_parent="div")
    return lxml.etree.tostring(element, method="html", encoding="unicode")


def test_a_url_we_write_into_an_href_goes_only_where_a_browser_may_follow() -> None:
    """A paper's URL (a bib/ entry's ``url`` field is anyone's to write) or a note's link:
    kept, escaped, for http, https, mailto and relative links; ``#`` for any other scheme,
    however a browser would still read it."""
    kept = ["https://arxiv.org/abs/1706.03762", "mailto:a@b.c", "../x/", "x/y:z"]
    for url in kept + ['http://x.org/?a=1&b="2"', "/abs/x:y"]:
        assert safe_href(url) == html_lib.escape(url, quote=True), url
    for url in ["javascript:alert(1)", "JavaScript:x", " java\tscript:x", "\x01data:text/html,x"]:
        assert safe_href(url) == "#", url
    assert safe_href("vbscript:x") == safe_href("java\nscript:x") == "#"
