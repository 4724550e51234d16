"""``topics/<slug>.md``: one topic merged across every note that has it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from garden import routes
from garden.join import Entry, Garden, Source, Topic, TopicSection, topic_title
from garden.notes.model import Item
from garden.pages.bibliography import TOPIC_WRITERS, download_links
from garden.pages.escape import esc, html_text
from garden.pages.items import Context, block_markdown, item_text, said_about, wrap
from garden.pages.markdown import fragment, html_link
from garden.pages.page import Asset, Env, Page
from garden.pages.paper_page import related_papers
from garden.routes import link

MAX_RELATED = 5  # topics listed under "Related topics"
MAX_MOST_CITED = 5  # papers listed under "Most cited within the garden"
NAMED_SHARED = 3  # shared papers or authors named in each


def pages(env: Env) -> Iterator[Page | Asset]:
    """A page per topic, and its papers' BibTeX, CSL-JSON and RIS when it has papers: to cite,
    so without abstracts (the whole garden's CSL-JSON and RIS carry them)."""
    for topic in env.garden.topics:
        uri = routes.topic(topic.slug)
        yield env.kept(uri) or Page(uri, render_topic(topic, env.garden, env.ctx(uri)), topic.title)
        if not topic.paper_keys:
            continue
        for file, write in zip(routes.topic_downloads(topic.slug), TOPIC_WRITERS, strict=True):
            yield env.kept(file) or Asset(file, write(topic.paper_keys, env.garden))


def render_topic(topic: Topic, garden: Garden, ctx: Context) -> str:
    multi = len(topic.notes) > 1
    out = [f"# {esc(topic.title)}", "", _meta(topic, garden, ctx.page), ""]
    for section in once_per_paper(topic.sections, garden):
        if section.path:
            heading = esc(topic_title(section.path[-1]))  # "Understanding NNs via RMT:" → no ":"
            out += ["", f"{'#' * (1 + len(section.path))} {heading}", ""]
        out += [_entry(entry, 0, ctx, multi) for entry in section.entries]
    out += _most_cited(topic, garden, ctx.page)
    out += _related(topic, garden, ctx.page)
    if papers := related_papers(garden.similar.topics.get(topic.slug, ()), garden, ctx.page):
        out += ["", *papers]
    return "\n".join(out).rstrip() + "\n"


def _most_cited(topic: Topic, garden: Garden, page: str) -> list[str]:
    """The topic's papers most cited by the garden's papers (``bib/citations/``); nothing when
    no paper of the topic is cited there (no data, or no citations)."""
    cited_by = garden.citations.cited_by
    counted = [(len(cited_by.get(k, ())), k) for k in topic.paper_keys]
    ranked = sorted(((n, k) for n, k in counted if n), key=lambda nk: (-nk[0], nk[1]))
    if not ranked:
        return []
    out = ["", "## Most cited within the garden", ""]
    for count, key in ranked[:MAX_MOST_CITED]:
        paper = garden.library.papers[key]
        target = link(page, routes.paper(key))
        by = f"cited by {count} paper{'s' * (count != 1)} in your garden"
        out.append(f"- [{esc(paper.title or key)}]({target}) — {by}")
    return out


def once_per_paper(sections: Iterable[TopicSection], garden: Garden) -> list[TopicSection]:
    """Each paper once on the page: a later entry naming a paper already shown, and adding
    nothing new (no comment, or the first one's; no sub-items), joins the first one as one
    more source.

    Two notes may file the same papers under differently named places ("MNIST related" under
    an item in one, a heading "MNIST related in RMT" in the other), and a bare link's title
    written under it names its paper again. A later entry with a remark of its own stays.
    A section left with no entries and no subsections goes.
    """
    sections = list(sections)
    first: dict[str, Entry] = {}
    extra: dict[int, list[Source]] = {}
    dropped: set[int] = set()
    for section in sections:
        for entry in _walk(section.entries):
            key = _sole_key(entry, garden)
            if key is None:
                continue
            if key not in first:
                first[key] = entry
            elif not entry.children and _says(entry, key, garden) in (
                "",
                _says(first[key], key, garden),
            ):
                dropped.add(id(entry))
                extra.setdefault(id(first[key]), []).extend(entry.sources)
    rebuilt = [replace(s, entries=_rebuilt(s.entries, dropped, extra)) for s in sections]
    return [s for i, s in enumerate(rebuilt) if s.entries or _has_subsections(i, rebuilt)]


def _walk(entries: Iterable[Entry]) -> Iterator[Entry]:
    for entry in entries:
        yield entry
        yield from _walk(entry.children)


def _sole_key(entry: Entry, garden: Garden) -> str | None:
    keys = [k for k in entry.keys if k in garden.library.papers]
    return keys[0] if isinstance(entry.block, Item) and len(keys) == 1 else None


def _says(entry: Entry, key: str, garden: Garden) -> str:
    """What the entry's line adds to its paper: comment and other links, "" for nothing."""
    said = said_about(entry.block.text, garden.library.papers[key])
    return " ".join([said.comment, *(lk.url for lk in said.links)]).strip()


def _rebuilt(entries: Iterable[Entry], dropped: set[int], extra: dict) -> tuple[Entry, ...]:
    out = []
    for entry in entries:
        if id(entry) in dropped:
            continue
        sources = tuple(dict.fromkeys(entry.sources + tuple(extra.get(id(entry), ()))))
        children = _rebuilt(entry.children, dropped, extra)
        out.append(replace(entry, sources=sources, children=children))
    return tuple(out)


def _has_subsections(index: int, sections: list[TopicSection]) -> bool:
    path = sections[index].path
    return any(
        s.path[: len(path)] == path and len(s.path) > len(path) and s.entries
        for s in sections[index + 1 :]
    )


def _meta(topic: Topic, garden: Garden, page: str) -> str:
    by_path = garden.note_by_path
    notes = [
        f"[{esc(by_path[p].title)}]({link(page, routes.note(by_path[p].slug))})"
        for p in topic.notes
    ]
    count = len(topic.paper_keys)
    parts = [f"From {', '.join(notes)}", f"{count} paper{'s' * (count != 1)}"]
    if count:
        parts.append(download_links(page, routes.topic_downloads(topic.slug)))
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
    """``(Reading list 2023, Research map: lines 28, 34)``, each place a link to its line
    (HTML, ``markdown.fragment``)."""
    by_note: dict[str, list[Source]] = {}
    for source in entry.sources:
        by_note.setdefault(source.note, []).append(source)
    parts = []
    for sources in by_note.values():
        lines = sorted({s.line for s in sources})
        first = sources[0]
        if len(lines) == 1:
            parts.append(html_link(page, _line(first, lines[0]), first.note_title))
            continue
        numbers = ", ".join(html_link(page, _line(first, n), str(n)) for n in lines)
        parts.append(f"{html_text(first.note_title)}: lines {numbers}")
    return fragment(f'<span class="garden-src">({", ".join(parts)})</span>')


def _line(source: Source, line: int) -> str:
    return routes.line(routes.note(source.note_slug), line)


def _related(topic: Topic, garden: Garden, page: str) -> list[str]:
    """Topics that share papers or authors with this one, most shared first, saying what
    they share. Being in the same note says nothing when there are a few notes: not listed."""
    rows = [row for row in garden.related.get(topic.slug, []) if row[1] or row[2]]
    if not rows:
        return []
    out = ["", "## Related topics", ""]
    mine = set(topic.paper_keys)
    for other, papers, authors, _ in rows[:MAX_RELATED]:
        why = []
        if papers:
            shared = [k for k in other.paper_keys if k in mine]
            why.append(_shared(papers, "paper", [garden.library.papers[k].title for k in shared]))
        if authors and not papers:
            names = sorted(garden.related.shared_authors(topic.slug, other.slug))
            why.append(_shared(authors, "author", names))
        elif authors:
            why.append(f"{authors} shared author{'s' * (authors != 1)}")
        target = link(page, routes.topic(other.slug))
        out.append(f"- [{esc(other.title)}]({target}) — {'; '.join(why)}")
    return out


def _shared(count: int, what: str, names: list[str]) -> str:
    named = ", ".join(f"*{esc(n)}*" if what == "paper" else esc(n) for n in names[:NAMED_SHARED])
    more = f" and {count - NAMED_SHARED} more" if count > NAMED_SHARED else ""
    return f"{count} shared {what}{'s' * (count != 1)}: {named}{more}"
