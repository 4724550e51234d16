"""``topics/<slug>.md``: one topic merged across every note that has it."""

from __future__ import annotations

from collections.abc import Iterator

from garden import routes
from garden.join import Entry, Garden, Topic
from garden.notes.model import Item
from garden.pages.bibliography import bibtex_for
from garden.pages.escape import esc
from garden.pages.items import Context, block_markdown, item_text, wrap
from garden.pages.page import Asset, Env, Page
from garden.routes import link


def pages(env: Env) -> Iterator[Page | Asset]:
    """A page per topic, and its papers' BibTeX when it has papers."""
    for topic in env.garden.topics:
        uri, bib = routes.topic(topic.slug), routes.topic_bib(topic.slug)
        yield env.kept(uri) or Page(uri, render_topic(topic, env.garden, env.ctx(uri)), topic.title)
        if topic.paper_keys:
            yield env.kept(bib) or Asset(bib, bibtex_for(topic.paper_keys, env.garden))


def render_topic(topic: Topic, garden: Garden, ctx: Context) -> str:
    multi = len(topic.notes) > 1
    out = [f"# {esc(topic.title)}", "", _meta(topic, garden, ctx.page), ""]
    for section in topic.sections:
        if section.path:
            out += ["", f"{'#' * (1 + len(section.path))} {esc(section.path[-1])}", ""]
        out += [_entry(entry, 0, ctx, multi) for entry in section.entries]
    out += _related(garden.related.get(topic.slug, []), ctx.page)
    return "\n".join(out).rstrip() + "\n"


def _meta(topic: Topic, garden: Garden, page: str) -> str:
    by_path = garden.note_by_path
    notes = [
        f"[{esc(by_path[p].title)}]({link(page, routes.note(by_path[p].slug))})"
        for p in topic.notes
    ]
    count = len(topic.paper_keys)
    parts = [f"From {', '.join(notes)}", f"{count} paper{'s' * (count != 1)}"]
    if count:
        parts.append(f"[BibTeX]({link(page, routes.topic_bib(topic.slug))})")
    if topic.spellings:
        parts.append("also written " + ", ".join(f"“{esc(s)}”" for s in topic.spellings))
    return '<div class="garden-meta" markdown>' + " · ".join(parts) + "</div>"


def _entry(entry: Entry, depth: int, ctx: Context, show_sources: bool) -> str:
    first = entry.sources[0]
    where = f"{first.note}:{first.line}"
    if not isinstance(entry.block, Item):
        return block_markdown(entry.block, depth, ctx, where)
    text = item_text(entry.block, entry.keys, ctx, where)
    if show_sources and depth == 0:
        text += " " + _sources(entry, ctx.page)
    lines = ["    " * depth + "- " + wrap(text, first.note, first.line)]
    lines += [_entry(child, depth + 1, ctx, show_sources) for child in entry.children]
    return "\n".join(lines)


def _sources(entry: Entry, page: str) -> str:
    links = [
        f"[{esc(s.note_title)}]({link(page, routes.line(routes.note(s.note_slug), s.line))})"
        for s in entry.sources
    ]
    return f'<span class="garden-src">({", ".join(dict.fromkeys(links))})</span>'


def _related(ranked: list, page: str) -> list[str]:
    if not ranked:
        return []
    out = ["", "## Related topics", ""]
    for other, papers, authors, notes in ranked:
        pairs = ((papers, "paper"), (authors, "author"))
        why = [f"{n} shared {w}{'s' * (n != 1)}" for n, w in pairs if n] or [
            f"in {notes} of the same notes" if notes > 1 else "in the same note"
        ]
        out.append(
            f"- [{esc(other.title)}]({link(page, routes.topic(other.slug))}) — {', '.join(why)}"
        )
    return out
