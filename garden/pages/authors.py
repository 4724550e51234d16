"""``authors/<slug>.md`` and the authors index: each author's papers and their topics."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from garden.pages.escape import esc
from garden.pages.garden import Garden
from garden.pages.markdown import link
from garden.text import slugify


@lru_cache(maxsize=1 << 16)  # every paper page links each author: ~25 calls per author
def author_slug(name: str) -> str:
    return slugify(name, fallback="anonymous")


def author_uri(name: str) -> str:
    return f"authors/{author_slug(name)}.md"


def papers_by_author(garden: Garden) -> dict[str, list[str]]:
    """Author slug → paper keys (newest first); the displayed name is the first spelling seen."""
    found: dict[str, list[str]] = defaultdict(list)
    for key, paper in garden.library.papers.items():
        for name in paper.authors:
            found[author_slug(name)].append(key)
    year = lambda k: garden.library.papers[k].year  # noqa: E731
    return {
        slug: sorted(keys, key=lambda k: (year(k), k), reverse=True) for slug, keys in found.items()
    }


def author_names(garden: Garden) -> dict[str, str]:
    names: dict[str, str] = {}
    for paper in garden.library.papers.values():
        for name in paper.authors:
            names.setdefault(author_slug(name), name)
    return names


def topics_by_paper(garden: Garden) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for topic in garden.topics:
        for key in topic.paper_keys:
            found[key].append((topic.slug, topic.title))
    return found


def render_author(slug: str, name: str, keys: list[str], garden: Garden, topics: dict) -> str:
    page = f"authors/{slug}.md"
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
            f"[{esc(t)}]({link(page, f'topics/{s}.md')})" for s, t in topics.get(key, [])
        )
        venue = "arXiv" if paper.eprint else "not on arXiv"
        target = link(page, f"papers/{key}.md")
        line = f"- [{esc(paper.title)}]({target}) · {esc(paper.year)} · {venue}"
        out.append(line + (f" — in {where}" if where else ""))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for key in keys:
        for topic in topics.get(key, []):
            counts[topic] += 1
    if counts:
        out += ["", "## Topics", ""]
        for (s, t), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1].casefold())):
            out.append(f"- [{esc(t)}]({link(page, f'topics/{s}.md')}) ({n})")
    return "\n".join(out) + "\n"


def render_authors_index(garden: Garden, by_author: dict[str, list[str]]) -> str:
    page = "authors/index.md"
    names = author_names(garden)
    order = sorted(
        by_author, key=lambda s: (names[s].split()[-1].casefold() if names[s].split() else s, s)
    )
    out = ["# Authors", "", f"{len(order)} authors of the papers in this garden.", ""]
    out += [
        f"- [{esc(names[s])}]({link(page, f'authors/{s}.md')}) ({len(by_author[s])})" for s in order
    ]
    return "\n".join(out) + "\n"
