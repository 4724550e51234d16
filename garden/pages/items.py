"""How one note item reads on a page: a paper (title, authors, year, links, citation),
a typed resource (video, blog, ...) or the author's own words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from garden import routes
from garden.bibliography.library import Library, Paper
from garden.notes.model import Block, Item, Paragraph, Preformatted
from garden.pages.escape import attr, esc
from garden.pages.markdown import Inline, fence, indent
from garden.references.extract import clean_title
from garden.routes import link
from garden.text import normalize

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
    if len(surnames) > most:
        return f"{', '.join(surnames[: most - 1])} et al."
    return ", ".join(surnames)


def paper_line(paper: Paper, ctx: Context) -> str:
    """``[Title](paper page) · Authors · 2021 · [arXiv](…) · [PDF](…) [@key]``."""
    parts = [f"[{esc(paper.title)}]({link(ctx.page, routes.paper(paper.key))}){{.garden-paper}}"]
    parts += [esc(x) for x in (short_authors(paper), paper.year) if x]
    if paper.eprint:
        parts += [f"[arXiv]({paper.abs_url})", f"[PDF]({paper.pdf_url})"]
    elif paper.url or paper.doi_url:
        parts.append(f"[{esc(_domain(paper.url or paper.doi_url))}]({paper.url or paper.doi_url})")
    return " · ".join(parts) + f" [@{paper.key}]"


def adds_to_title(text: str, paper: Paper) -> bool:
    """Does the note say more than the paper's title (a remark, or an older title)?"""
    said, title = _normalized(clean_title(text)), _normalized(paper.title)
    return bool(said) and not title.startswith(said) and said != title


@lru_cache(maxsize=1 << 16)  # a title is compared on its paper page and each topic page
def _normalized(text: str) -> str:
    return normalize(text)


def resource_kind(url: str) -> tuple[str, str]:
    host = _domain(url)
    for kind, icon, hosts in RESOURCE_KINDS:
        if any(host == h or host.endswith("." + h) for h in hosts):
            return kind, icon
    return "web", ":material-web:"


def _domain(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def item_text(item: Item, keys: tuple[str, ...], ctx: Context, where: str) -> str:
    """The Markdown of one item's own line (not its children)."""
    said = ctx.inline(item.text, ctx.page, where)
    papers = [ctx.library.papers[k] for k in keys if k in ctx.library.papers]
    if len(papers) == 1:
        line = paper_line(papers[0], ctx)
        return f"{line} — {said}" if adds_to_title(item.text, papers[0]) else line
    if papers:
        return said + " → " + "; ".join(paper_line(p, ctx) for p in papers)
    if where in ctx.missing:
        arxiv_id, asked = ctx.missing[where]
        note = f"arXiv has no paper {arxiv_id} (asked {asked}); the ID in the note may be wrong"
        return f'{said} <span class="garden-unresolved" title="{attr(note)}">not on arXiv</span>'
    web = [lk for lk in item.links if lk.url.startswith(("http://", "https://"))]
    if web:
        kind, icon = resource_kind(web[0].url)
        host = esc(_domain(web[0].url))
        return f'{icon}{{title="{kind}"}} {said} <span class="garden-domain">{host}</span>'
    return f"**{said}**" if item.is_heading else said


def wrap(text: str, file: str, line: int, anchor: bool = False) -> str:
    """Mark an item with where it was written, for the link checker's per-note report."""
    ident = f' id="line-{line}"' if anchor else ""
    data = f'data-note="{attr(file)}" data-line="{line}"'
    # The space before </span>: magiclink would take the tag into a bare URL ending the text.
    return f'<span class="garden-item"{ident} {data}>{text} </span>'


def block_markdown(block: Block, depth: int, ctx: Context, where: str) -> str:
    """A paragraph or preformatted block at a list depth (items are handled by the caller)."""
    if isinstance(block, Preformatted):
        return "\n" + indent(fence(block.text), depth) + "\n"
    assert isinstance(block, Paragraph)
    return "\n" + indent(ctx.inline(block.text, ctx.page, where), depth) + "\n"
