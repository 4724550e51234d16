"""How one note item reads on a page: a paper (title, authors, year, links) with what the
author added, a typed resource (video, blog, ...) or the author's own words."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from garden import routes
from garden.bibliography.library import Library, Paper
from garden.notes.model import Block, Item, Link, Paragraph, Preformatted
from garden.pages.escape import attr, esc, html_text, safe_href
from garden.pages.markdown import Inline, fence, fragment, indent
from garden.references.comment import BARE_URL, Said, split_said
from garden.references.extract import canonical_url, is_scholarly
from garden.references.ids import arxiv_id_from_url
from garden.routes import href

RESOURCE_KINDS = (  # (kind, icon, hosts); first match wins
    ("video", ":material-youtube:", ("youtube.com", "youtu.be", "vimeo.com")),
    ("code", ":material-github:", ("github.com", "gitlab.com")),
    ("book", ":material-book-open-variant:", ("dmol.pub", "d2l.ai", "deeplearningbook.org")),
    ("forum", ":material-forum:", ("alignmentforum.org", "lesswrong.com", "reddit.com")),
    (
        "blog",
        ":material-post-outline:",
        (
            "github.io",
            "thegradient.pub",
            "substack.com",
            "medium.com",
            "distill.pub",
            "transformer-circuits.pub",
        ),
    ),
)


@dataclass(frozen=True)
class Context:
    """What rendering an item needs to know besides the item."""

    page: str  # the source URI of the page being written, e.g. "topics/rmt.md"
    library: Library
    inline: Inline
    missing: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # Garden.missing_at


def short_authors(paper: Paper, most: int = 3) -> str:
    surnames = [name.split()[-1] if name.split() else name for name in paper.authors]
    if len(surnames) > most or (paper.more_authors and surnames):
        return f"{', '.join(surnames[: most - 1])} et al."
    return ", ".join(surnames)


def paper_line(paper: Paper, ctx: Context, also: tuple[Link, ...] = ()) -> str:
    """``[Title](paper page) · Authors · 2021 · [arXiv](…) · [PDF](…)``, then any other
    scholarly link the note gives for it (``also``: a journal's copy). No citation mark: the
    line already says all a footnote would.

    Written as HTML (``markdown.fragment``: the page's Markdown passes it by): a topic page
    is mostly these lines, and Markdown only turned their links into links."""
    paper_href = attr(href(ctx.page, routes.paper(paper.key)))
    parts = [f'<a class="garden-paper" href="{paper_href}">{html_text(paper.title)}</a>']
    parts += [html_text(x) for x in (short_authors(paper), paper.year) if x]
    if paper.eprint:
        parts += [_html_link(paper.abs_url, "arXiv"), _html_link(paper.pdf_url, "PDF")]
    elif paper.url or paper.doi_url:
        url = paper.url or paper.doi_url
        parts.append(_html_link(safe_url(url), _domain(url)))
    parts += [_html_link(safe_url(lk.url), _domain(lk.url)) for lk in also]
    return fragment(" · ".join(parts))


def _html_link(url: str, text: str) -> str:
    return f'<a href="{safe_href(url)}">{html_text(text)}</a>'


def own_link(paper: Paper) -> Callable[[str], bool]:
    """Is a URL the paper itself (its arXiv ID in any form, its URL, its DOI)?"""
    doi = paper.doi.casefold()
    url = canonical_url(paper.url) if paper.url else ""

    def is_own(candidate: str) -> bool:
        ident = arxiv_id_from_url(candidate)
        if ident is not None:
            return ident.id == paper.eprint
        if url and canonical_url(candidate) == url:
            return True
        return bool(doi) and unquote(urlsplit(candidate).path).casefold().lstrip("/") == doi

    return is_own


def said_about(text: str, paper: Paper) -> Said:
    """The line taken apart: the author's comment, the paper's title, the other links."""
    return _said_about(text, paper.title, paper.key, paper.eprint, paper.url, paper.doi)


@lru_cache(maxsize=1 << 16)  # a line is shown on its topic page and on its paper page
def _said_about(text: str, title: str, key: str, eprint: str, url: str, doi: str) -> Said:
    paper = Paper(key, title, (), eprint=eprint, url=url, doi=doi)
    return split_said(text, title, own_link(paper))


def resource_kind(url: str) -> tuple[str, str]:
    host = _domain(url)
    for kind, icon, hosts in RESOURCE_KINDS:
        if any(host == h or host.endswith("." + h) for h in hosts):
            return kind, icon
    return "web", ":material-web:"


def _domain(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


_URL_ESCAPES = {"(": "%28", ")": "%29", "<": "%3C", ">": "%3E", " ": "%20", '"': "%22"}


def safe_url(url: str) -> str:
    """A URL for a Markdown link's parentheses: brackets, spaces and quotes encoded."""
    return "".join(_URL_ESCAPES.get(ch, ch) for ch in url)


def resource_link(lk: Link, label: str = "") -> str:
    """A link to something that is not a paper: its kind's icon, its label, its domain."""
    kind, icon = resource_kind(lk.url)
    host = _domain(lk.url)
    shown = label or lk.label
    domain = f' <span class="garden-domain">{esc(host)}</span>' if shown else ""
    return f'{icon}{{title="{kind}"}} [{esc(shown or host)}]({safe_url(lk.url)}){domain}'


def comment_span(comment: str, ctx: Context, where: str) -> str:
    """What the author said about a paper, marked so it can be told from the title."""
    return f'<span class="garden-comment">{ctx.inline(comment, ctx.page, where)} </span>'


def paper_entry(item: Item, paper: Paper, ctx: Context, where: str) -> str:
    """A line naming one paper: the paper's line, what the author added, the other links."""
    said = said_about(item.text, paper)
    also = tuple(lk for lk in said.links if is_scholarly(lk.url))
    out = paper_line(paper, ctx, also)
    if said.comment:
        out += " — " + comment_span(said.comment, ctx, where)
    return out + "".join(" " + resource_link(lk) for lk in said.links if lk not in also)


def item_text(item: Item, keys: tuple[str, ...], ctx: Context, where: str) -> str:
    """The Markdown of one item's own line (not its children)."""
    papers = [ctx.library.papers[k] for k in keys if k in ctx.library.papers]
    if len(papers) == 1:
        return paper_entry(item, papers[0], ctx, where)
    if papers:
        owns = [own_link(p) for p in papers]
        said = split_said(item.text, "", lambda url: any(own(url) for own in owns))
        lines = "; ".join(paper_line(p, ctx) for p in papers)
        return (comment_span(said.comment, ctx, where) + " → " if said.comment else "") + lines
    said = ctx.inline(item.text, ctx.page, where)
    if where in ctx.missing:
        arxiv_id, asked = ctx.missing[where]
        note = f"arXiv has no paper {arxiv_id} (asked {asked}); the ID in the note may be wrong"
        return f'{said} <span class="garden-unresolved" title="{attr(note)}">not on arXiv</span>'
    if any(_is_web(lk) and not lk.label for lk in item.links):
        return _bare_resource(item, ctx, where)
    web = [lk for lk in item.links if _is_web(lk)]
    if web:
        kind, icon = resource_kind(web[0].url)
        host = esc(_domain(web[0].url))
        return f'{icon}{{title="{kind}"}} {said} <span class="garden-domain">{host}</span>'
    return f"**{said}**" if item.is_heading else said


def _is_web(lk: Link) -> bool:
    return lk.url.startswith(("http://", "https://"))


def _bare_resource(item: Item, ctx: Context, where: str) -> str:
    """``Transformers are graph attention models| https://…``: the words link to the URL, a
    second URL is a link of its own. Words holding links the note labelled stay as written."""
    said = split_said(item.text, "", lambda url: False)
    bare = [lk for lk in said.links if not lk.label]
    if not bare:  # only a URL the splitter did not take (ftp://, glued): show the line
        return ctx.inline(item.text, ctx.page, where)
    if any(lk.label for lk in said.links):
        words = ctx.inline(" ".join(BARE_URL.sub(" ", item.text).split()), ctx.page, where)
        return f"{words} " + " ".join(resource_link(lk) for lk in bare)
    rest = "".join(" " + resource_link(lk) for lk in bare[1:])
    return resource_link(bare[0], said.comment) + rest


def wrap(text: str, file: str, line: int, anchor: bool = False) -> str:
    """Mark an item with where it was written, for the link checker's per-note report."""
    ident = f' id="line-{line}"' if anchor else ""
    data = f'data-note="{attr(file)}" data-line="{line}"'
    # The space before </span>: magiclink would take the tag into a bare URL ending the text.
    # The tags are HTML parts (markdown.fragment): Markdown's pass over them was a fifth of a
    # note page's Markdown time.
    return fragment(f'<span class="garden-item"{ident} {data}>') + f"{text} " + fragment("</span>")


def block_markdown(block: Block, depth: int, ctx: Context, where: str) -> str:
    """A paragraph or preformatted block at a list depth (items are handled by the caller)."""
    if isinstance(block, Preformatted):
        return "\n" + indent(fence(block.text), depth) + "\n"
    assert isinstance(block, Paragraph)
    return "\n" + indent(ctx.inline(block.text, ctx.page, where), depth) + "\n"
