"""The one escaping boundary: how a string from a note (or from arXiv) may enter a page.

Notes come from strangers by pull request and abstracts from arXiv: every such string is
untrusted. It reaches the site by exactly one of these doors, never by string formatting:

* ``esc(text)``: plain text as a literal inside generated Markdown (and the HTML it
  renders to): Markdown syntax, HTML, attribute lists and ``@`` are escaped; ``$...$``
  math is kept for arithmatex, which escapes it itself.
* ``inline_markdown(text)``: a note's own inline Markdown (links, emphasis, math), with
  every attribute list (``{: onfocus=... }``, ``{#__config}``) defused. What it renders to
  then goes through the one sanitiser (``garden.pages.sanitize``) with the rest of what
  Markdown renders of the page.
* ``title(text)``: a page title for the theme's slots (``<title>``, the navigation, the
  search index), which MkDocs' templates print without escaping: a ``markupsafe.Markup``
  holding escaped HTML.
* ``attr(text)``: a value inside a double-quoted HTML attribute we write.
* ``safe_href(text)``: a URL (a paper's, from ``bib/`` or arXiv; a note's link) for an ``href``
  we write: as ``attr``, when a reader's browser would follow it to an allowed place
  (``http``, ``https``, ``mailto``, or a relative link), else ``#``.
* ``html_text(text)``: plain text (a title, a term) as HTML, for the parts of a generated page
  written as HTML rather than Markdown: escaped, with its ``$...$`` math as arithmatex writes
  it (by arithmatex itself), so the page reads the same as if it had been Markdown.
* ``plain_html(text)``: plain text (an abstract) as the HTML ``esc(text)`` renders to, when
  nothing in it is more than letters to Markdown; else ``None`` (then use ``esc``).
* ``code_block(text)``: plain text as a code block, written as the HTML Material's highlighter
  writes for a ``text`` fence (so the theme's copy button comes with it) without running it.

After the build, ``garden.checks.inert`` scans every page for what must never be there
(event handlers, ``javascript:`` URLs, scripts the theme did not place), as a safety net.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup, escape

from garden.text import MATH, one_line, outside_math

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|${}])")
# Spans whose braces are not attribute lists: code, $math$, \(math\) and \[math\].
_LITERAL = re.compile(
    r"(`+).*?(?<!`)\1(?!`)|" + MATH.pattern + r"|\\\((?:[^\\]|\\(?!\)).)*\\\)|\\\[.*?\\\]",
    re.S,
)


def esc(text: str) -> str:
    """Plain text (titles, names, abstracts) made a literal inside Markdown and HTML.

    ``$...$`` math is left alone: arithmatex takes it raw and escapes it itself. The ASCII
    control characters STX and ETX, which mark a generated page's HTML parts
    (garden.pages.markdown.fragment), are dropped.
    """
    return outside_math(_no_marks(text), _esc_plain)


def _no_marks(text: str) -> str:
    if "\x02" in text or "\x03" in text:
        return text.replace("\x02", "").replace("\x03", "")
    return text


def _esc_plain(text: str) -> str:
    # "@" as an entity: mkdocs-bibtex would read "[... @word ...]" in an abstract as a citation.
    # "++": pymdownx.keys would read "++ctrl++" in a title as a key cap.
    text = _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("@", "&#64;")
    return text.replace("++", "\\+\\+")


def inline_markdown(text: str) -> str:
    """A note's inline Markdown with every ``{`` and ``}`` outside code and math escaped, so
    Python-Markdown's ``attr_list`` can never read an attribute list from a note."""
    out, pos = [], 0
    for literal in _LITERAL.finditer(text):
        out += [_no_braces(text[pos : literal.start()]), literal.group()]
        pos = literal.end()
    return "".join(out) + _no_braces(text[pos:])


def _no_braces(text: str) -> str:
    return text.replace("{", "\\{").replace("}", "\\}")


def title(text: str) -> Markup:
    """A page title for the theme's slots: one line of escaped text. Entities the note wrote
    (``&lt;``) show as the characters they stand for, as they do in the page body."""
    return escape(html.unescape(one_line(text)))


def attr(text: str) -> str:
    """A value for a double-quoted HTML attribute."""
    return html.escape(text, quote=True)


URL_SCHEMES = frozenset({"http", "https", "mailto"})  # the sanitiser's too (garden.pages.sanitize)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_URL_IGNORED = re.compile(r"[\t\n\r]")  # what a browser's URL parser drops anywhere in a URL
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def url_as_read(url: str) -> str:
    """``url`` as a browser's URL parser reads it before its scheme: tabs and line breaks
    dropped anywhere, C0 controls and spaces cut at the ends ("java&#9;script:" is
    "javascript:"). The safety scan reads URLs so too (garden.checks.inert)."""
    return _URL_IGNORED.sub("", url).strip(_C0_AND_SPACE)


def safe_href(text: str) -> str:
    """A URL for a double-quoted ``href`` we write: ``attr(text)`` where its scheme, read as a
    browser reads it (``url_as_read``), is one of ``URL_SCHEMES`` or it has none (a relative
    link); else ``#`` (``javascript:``, ``data:``, ``vbscript:``: a ``bib/`` entry's ``url`` is
    anyone's to write)."""
    scheme = _SCHEME.match(url_as_read(text))
    if scheme is not None and scheme.group(1).lower() not in URL_SCHEMES:
        return "#"
    return attr(text)


def code_block(text: str) -> str:
    """``text`` as a raw HTML code block, one Markdown block (blank lines inside would end
    it, so lines are kept but runs of them are not): what pymdownx.highlight writes for a
    ``text`` fence, without the cost of a Pygments run per block, nor the empty ``<span>``
    Pygments leaves before the code (four a paper page). Everything HTML or Markdown could
    read inside is an entity: ``<&>`` and ``@`` (mkdocs-bibtex's citation marker)."""
    body = html.escape("\n".join(line for line in text.split("\n") if line.strip()), quote=False)
    body = body.replace("@", "&#64;")
    return f'<div class="highlight"><pre><code>{body}\n</code></pre></div>'


@lru_cache(maxsize=65536)
def html_text(text: str) -> str:
    """Plain text as the HTML its ``esc(text)`` renders to inline on a page: escaped, ``$...$``
    math as arithmatex's ``<span class="arithmatex">\\(...\\)</span>``, ``:smile:`` an emoji,
    ``@`` an entity. Made by Python-Markdown with arithmatex and emoji (the site's other
    extensions find nothing in escaped text but URLs, left as text here: they are inside a
    link), once per distinct text: a paper's title is on many pages."""
    text = _no_marks(text)  # as esc() drops them
    if not _NEEDS_MARKDOWN.search(text):
        return html.escape(text.strip(), quote=False).replace("@", "&#64;")
    return _rendered_inline(text)


_NEEDS_MARKDOWN = re.compile(r"[$\\`*_\[\]|{}&<>:\n]|  ")
# In an ``esc``-aped text, what only the page's own Markdown pass makes right: a URL (magiclink
# links it), a control character or line break; and math and emoji, which ``html_text``'s
# Markdown (arithmatex and emoji) makes right too.
_NOT_INLINE = re.compile(r"[\x00-\x1f]|://|\b(?:www|ftp)\.", re.I)
_MATH_OR_EMOJI = re.compile(r"[$\\]|:[\w+-]+:")
# how a paragraph of plain text starts (not a list, heading, quote, admonition or code block)
_PLAIN_START = re.compile(r"[A-Za-z(\"'\u00c0-\uffff]")


def plain_html(text: str, *, inline: bool = False) -> str | None:
    """Plain text (an abstract, arXiv's comment on a paper) as the HTML the page's Markdown
    makes of ``esc(text)``, without that Markdown pass over it (an abstract was a fifth of a
    paper page's Markdown time): escaped, with its math and emoji as ``html_text`` writes
    them. ``None`` where only the page's Markdown makes it right (``_NOT_INLINE``; and, unless
    the text is ``inline``, inside a line, a start Markdown reads as a block): then it is
    written as Markdown (``esc``)."""
    text = _no_marks(text)
    if text != text.strip() or not text:  # Markdown reads 4 spaces as code, and so on
        return None
    if _NOT_INLINE.search(text) or not (inline or _PLAIN_START.match(text)):
        return None
    if _MATH_OR_EMOJI.search(text):
        return _rendered_inline(text)  # one paragraph: the text has no line break
    return html.escape(text, quote=False).replace("@", "&#64;")


def _rendered_inline(text: str) -> str:
    """``esc(text)`` through the arithmatex + emoji Markdown, without the paragraph around."""
    rendered = _inline_markdown().reset().convert(esc(text))
    return rendered.removeprefix("<p>").removesuffix("</p>")


@lru_cache(maxsize=1)
def _inline_markdown():  # noqa: ANN202 - a markdown.Markdown
    import markdown  # the one place garden.pages renders Markdown itself
    from material.extensions.emoji import twemoji

    from garden.pages.markdown import Triggers, offline_emoji

    return markdown.Markdown(
        extensions=["pymdownx.arithmatex", "pymdownx.emoji", Triggers()],
        extension_configs={
            "pymdownx.arithmatex": {"generic": True},  # as mkdocs.yml sets them
            "pymdownx.emoji": {"emoji_index": twemoji, "emoji_generator": offline_emoji},
        },
    )
