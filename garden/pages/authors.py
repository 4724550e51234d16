"""``authors/<slug>.md`` and the authors index: each author's papers and their topics."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import urlsplit

from garden import routes
from garden.join import Garden
from garden.pages.escape import attr, esc, html_text, safe_href
from garden.pages.markdown import fragment, html_div, html_link, html_list
from garden.pages.names import PAPERS_CLASS
from garden.pages.page import Env, Page


def pages(env: Env) -> Iterator[Page]:
    """A page per author with more than one paper in the garden (``Garden.author_pages``),
    and the index of authors."""
    garden = env.garden
    names = garden.author_names
    for slug, keys in garden.author_pages.items():
        uri = routes.author(slug)
        yield env.kept(uri) or Page(
            uri, render_author(slug, names[slug], keys, garden), names[slug]
        )
    for uri, slugs in garden.author_groups.items():
        yield env.kept(uri) or Page(uri, render_author_group(uri, slugs, garden), _group_title(uri))
    yield Page(routes.AUTHORS, render_authors_index(garden))


def _group_letters(uri: str) -> str:
    """What a shared page's surnames (and given names) start with, as a reader sees it: ``Mi``;
    ``Wang, X`` (routes.author_group)."""
    surname, given = routes.author_group_letters(uri)
    return f"{surname.capitalize()}, {given.capitalize()}" if given else surname.capitalize()


def _group_intro(uri: str) -> str:
    if routes.author_group_letters(uri)[1]:  # split by given names too
        return (
            "Authors of one paper in this garden with this surname, whose given names start "
            "with these letters."
        )
    return "Authors of one paper in this garden whose surname starts with these letters."


def _group_title(uri: str) -> str:
    return f"Authors of one paper: {_group_letters(uri)}"


def render_author_group(uri: str, slugs: list[str], garden: Garden) -> str:
    """Authors of one paper here whose surnames start alike, each an entry (its id their
    slug, where their paper's page links them) with their paper and year."""
    names, by_author, papers = garden.author_names, garden.papers_by_author, garden.library.papers
    items = []
    for slug in slugs:
        paper = papers[by_author[slug][0]]
        line = f"{html_link(uri, routes.paper(paper.key), paper.title)} · {html_text(paper.year)}"
        items.append(
            f'<span id="{attr(slug)}"><strong>{html_text(names[slug])}</strong></span> — {line}'
        )
    out = [
        f"# {esc(_group_title(uri))}",
        "",
        _group_intro(uri),
        "",
        fragment(html_div(PAPERS_CLASS, html_list(items))),
    ]
    return "\n".join(out) + "\n"


def render_author(slug: str, name: str, keys: list[str], garden: Garden) -> str:
    """The author's papers and topics. The lists are HTML (``markdown.html_link``), which
    Python-Markdown would only pass through: links were nearly all of an author page."""
    page, topics = routes.author(slug), garden.topics_by_paper
    papers = garden.library.papers
    count = len(keys)
    out = [
        f"# {esc(name)}",
        "",
        f"{count} paper{'s' * (count != 1)} in this garden.",
        "",
        "## Papers",
        "",
    ]
    items = []
    for key in keys:
        paper = papers[key]
        where = ", ".join(html_link(page, routes.topic(s), t) for s, t in topics.get(key, []))
        line = f"{html_link(page, routes.paper(key), paper.title)} · {html_text(paper.year)}"
        line += f" · {_venue(paper)}"
        items.append(line + (f" — in {where}" if where else ""))
    out.append(fragment(html_div(PAPERS_CLASS, html_list(items))))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for key in keys:
        for topic in topics.get(key, []):
            counts[topic] += 1
    if counts:
        out += ["", "## Topics", ""]
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1].casefold()))
        items = [f"{html_link(page, routes.topic(s), t)} ({n})" for (s, t), n in ranked]
        out.append(fragment(html_list(items)))
    return "\n".join(out) + "\n"


def _venue(paper) -> str:
    """Where to read it: a link to its arXiv abstract page, else its own link, else its venue
    as text."""
    if paper.eprint:
        return f'<a href="{safe_href(paper.abs_url)}">arXiv</a>'
    url = paper.url or paper.doi_url
    if url:
        host = (urlsplit(url).hostname or url).removeprefix("www.")
        return f'<a href="{safe_href(url)}">{html_text(host)}</a>'
    return html_text(paper.journal or "not on arXiv")


def render_authors_index(garden: Garden) -> str:
    """The authors with a page, by surname, each with their count of papers; the others (one
    paper each here) are counted: search finds them by name, on their paper's page."""
    page, by_author, names = routes.AUTHORS, garden.author_pages, garden.author_names
    order = sorted(
        by_author, key=lambda s: (names[s].split()[-1].casefold() if names[s].split() else s, s)
    )
    total, others = len(garden.papers_by_author), len(garden.papers_by_author) - len(order)
    out = ["# Authors", "", f"{_count(total, 'author')} of the papers in this garden."]
    if others:
        out[-1] += (
            f" Listed here: the {_count(len(order), 'author')} with more than one paper"
            f" in it. The other {others:,}, with one paper each, are listed by the first"
            " letters of their surname below."
        )
    out.append("")
    items = [f"{html_link(page, routes.author(s), names[s])} ({len(by_author[s])})" for s in order]
    out += [fragment(html_list(items))] if items else []
    groups = garden.author_groups
    if groups:
        links = [
            f"{html_link(page, uri, _group_letters(uri))} ({len(slugs)})"
            for uri, slugs in groups.items()
        ]
        out += ["", "## Authors of one paper", "", fragment(f"<p>{' · '.join(links)}</p>")]
    return "\n".join(out) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' * (n != 1)}"
