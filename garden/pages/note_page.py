"""``notes/<slug>.md``: one note as its author wrote it, linked to its topics and papers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from garden import routes
from garden.join import Garden, topic_title
from garden.notes.model import Block, Item, Note
from garden.pages.escape import esc
from garden.pages.items import Context, block_markdown, wrap
from garden.pages.markdown import fragment, html_link
from garden.pages.page import Env, Page
from garden.pages.paper_page import PAPER_ICON
from garden.routes import link
from garden.text import normalize
from garden.theme import inline_icon


def pages(env: Env) -> Iterator[Page]:
    for note in env.garden.notes:
        uri = routes.note(note.slug)
        yield env.kept(uri) or Page(uri, render_note(note, env.garden, env.ctx(uri)), note.title)


def render_note(note: Note, garden: Garden, ctx: Context) -> str:
    slug_of = garden.slug_of
    out = [
        f"# {esc(note.title)}",
        "",
        f'<div class="garden-meta">Source: <code>{esc(note.path)}</code></div>',
        "",
    ]
    out += _blocks(note.preamble, 0, note, garden, ctx)
    for topic in note.topics:
        slug = slug_of.get(normalize(topic.title))
        title = esc(topic_title(topic.title))
        heading = f"[{title}]({link(ctx.page, routes.topic(slug))})" if slug else title
        out += ["", f"## {heading}", ""]
        for section in topic.sections:
            if section.path:
                out += ["", f"{'#' * (2 + len(section.path))} {esc(section.path[-1])}", ""]
            out += _blocks(section.blocks, 0, note, garden, ctx)
    return "\n".join(out).rstrip() + "\n"


def _blocks(blocks: Iterable[Block], depth: int, note: Note, garden: Garden, ctx: Context) -> list:
    out = []
    for block in blocks:
        where = f"{note.path}:{block.line}"
        if not isinstance(block, Item):
            out.append(block_markdown(block, depth, ctx, where))
            continue
        text = ctx.inline(block.text, ctx.page, where)
        text = f"**{text}**" if block.is_heading else text
        text += _paper_chips(garden.keys_at.get((note.path, block.line), ()), garden, ctx)
        out.append("    " * depth + "- " + wrap(text, note.path, block.line, anchor=True))
        out += _blocks(block.children, depth + 1, note, garden, ctx)
    return out


def _paper_chips(keys: tuple[str, ...], garden: Garden, ctx: Context) -> str:
    papers = [garden.library.papers[k] for k in keys if k in garden.library.papers]
    # HTML (ours, the title through html_text), which Markdown passes over: the chips were a
    # quarter of a note page's Markdown time
    # the paper's icon, drawn by the site's icon stylesheet: Material's inline SVG was 0.2 KB
    # a chip, 2.8 MB of the note pages at 10,000 papers
    icon = inline_icon(PAPER_ICON)
    chips = [
        fragment(
            f'<span class="garden-chip">{icon} '
            f"{html_link(ctx.page, routes.paper(p.key), p.title)}</span>"
        )
        for p in papers
    ]
    return (" " + " ".join(chips)) if chips else ""
