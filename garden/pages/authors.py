"""``authors/<slug>.md`` and the authors index: each author's papers and their topics."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import urlsplit

from garden import routes
from garden.join import Garden
from garden.pages.escape import esc
from garden.pages.page import Env, Page
from garden.routes import link


def pages(env: Env) -> Iterator[Page]:
    """A page per author of a paper in the garden, and the index of authors."""
    garden = env.garden
    names = garden.author_names
    for slug, keys in garden.papers_by_author.items():
        uri = routes.author(slug)
        yield env.kept(uri) or Page(
            uri, render_author(slug, names[slug], keys, garden), names[slug]
        )
    yield Page(routes.AUTHORS, render_authors_index(garden))


def render_author(slug: str, name: str, keys: list[str], garden: Garden) -> str:
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
    for key in keys:
        paper = papers[key]
        where = ", ".join(
            f"[{esc(t)}]({link(page, routes.topic(s))})" for s, t in topics.get(key, [])
        )
        venue = _venue(paper)
        target = link(page, routes.paper(key))
        line = f"- [{esc(paper.title)}]({target}) · {esc(paper.year)} · {venue}"
        out.append(line + (f" — in {where}" if where else ""))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for key in keys:
        for topic in topics.get(key, []):
            counts[topic] += 1
    if counts:
        out += ["", "## Topics", ""]
        for (s, t), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1].casefold())):
            out.append(f"- [{esc(t)}]({link(page, routes.topic(s))}) ({n})")
    return "\n".join(out) + "\n"


def _venue(paper) -> str:
    """Where to read it: ``[arXiv](abs page)``, else its own link, else its venue as text."""
    if paper.eprint:
        return f"[arXiv]({paper.abs_url})"
    url = paper.url or paper.doi_url
    if url:
        return f"[{esc((urlsplit(url).hostname or url).removeprefix('www.'))}]({url})"
    return esc(paper.journal or "not on arXiv")


def render_authors_index(garden: Garden) -> str:
    page, by_author, names = routes.AUTHORS, garden.papers_by_author, garden.author_names
    order = sorted(
        by_author, key=lambda s: (names[s].split()[-1].casefold() if names[s].split() else s, s)
    )
    out = ["# Authors", "", f"{len(order)} authors of the papers in this garden.", ""]
    out += [
        f"- [{esc(names[s])}]({link(page, routes.author(s))}) ({len(by_author[s])})" for s in order
    ]
    return "\n".join(out) + "\n"
