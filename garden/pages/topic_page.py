"""``topics/<slug>.md``: one topic merged across every note that has it."""

from __future__ import annotations

from garden.notes.model import Item
from garden.pages.escape import esc
from garden.pages.garden import Entry, Garden, Topic
from garden.pages.items import Context, block_markdown, item_text, wrap
from garden.pages.markdown import link
from garden.pages.related import Related


def topic_uri(slug: str) -> str:
    return f"topics/{slug}.md"


def note_uri(slug: str) -> str:
    return f"notes/{slug}.md"


def render_topic(topic: Topic, garden: Garden, ctx: Context, related: Related) -> str:
    multi = len(topic.notes) > 1
    out = [f"# {esc(topic.title)}", "", _meta(topic, garden, ctx.page), ""]
    for section in topic.sections:
        if section.path:
            out += ["", f"{'#' * (1 + len(section.path))} {esc(section.path[-1])}", ""]
        out += [_entry(entry, 0, ctx, multi) for entry in section.entries]
    out += _related(related.get(topic.slug, []), ctx.page)
    return "\n".join(out).rstrip() + "\n"


def _meta(topic: Topic, garden: Garden, page: str) -> str:
    titles = {note.path: (note.slug, note.title) for note in garden.notes}
    notes = [f"[{esc(titles[p][1])}]({link(page, note_uri(titles[p][0]))})" for p in topic.notes]
    count = len(topic.paper_keys)
    parts = [f"From {', '.join(notes)}", f"{count} paper{'s' * (count != 1)}"]
    if count:
        parts.append(f"[BibTeX]({link(page, f'downloads/topics/{topic.slug}.bib')})")
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
        f"[{esc(s.note_title)}]({link(page, note_uri(s.note_slug) + f'#line-{s.line}')})"
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
            f"- [{esc(other.title)}]({link(page, topic_uri(other.slug))}) — {', '.join(why)}"
        )
    return out
