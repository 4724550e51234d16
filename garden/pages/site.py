"""Every generated file of the site, as a pure function of the garden: ``{src_uri: content}``.

Hand-written files in ``docs/`` win: the caller drops generated URIs that already exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from garden.pages.authors import (
    author_names,
    papers_by_author,
    render_author,
    render_authors_index,
    topics_by_paper,
)
from garden.pages.bibliography import bibtex_for, render_bibliography, topic_bibtex
from garden.pages.garden import Garden
from garden.pages.graph import GRAPH_JSON, GRAPH_PAGE, graph_files
from garden.pages.home import render_home, render_notes_index, render_topics_index
from garden.pages.items import Context
from garden.pages.markdown import Inline
from garden.pages.note_page import render_note
from garden.pages.paper_page import render_paper
from garden.pages.related import related_index
from garden.pages.topic_page import render_topic

NOT_IN_NAV = ("papers/", "authors/")  # thousands of pages: out of the nav, but not their indexes


NAV_ORDER = ("index.md", "topics/", "papers/", "authors/", "notes/", "graph.md")


def nav_rank(uri: str) -> int:
    """Where a top-level nav entry (by its page or first page's URI) goes; others last."""
    return next((i for i, p in enumerate(NAV_ORDER) if uri.startswith(p)), len(NAV_ORDER))


def in_nav(uri: str) -> bool:
    return not uri.startswith(NOT_IN_NAV) or uri.endswith("/index.md")


@dataclass
class SiteFiles:
    pages: dict[str, str] = field(default_factory=dict)  # Markdown pages
    # Plain-text titles of the pages whose title comes from a note or arXiv; the glue hands
    # them to the theme through garden.pages.escape.title (MkDocs' own title, read back from
    # the rendered <h1>, is unescaped text, and its templates do not escape it).
    titles: dict[str, str] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)  # other files (.bib, .json)
    problems: list[str] = field(default_factory=list)  # "file:line: message" warnings


def generate_site(garden: Garden) -> SiteFiles:
    site = SiteFiles()
    names = {topic.title: f"topics/{topic.slug}.md" for topic in garden.topics}
    keys = frozenset(garden.library.papers)
    inline = Inline(lambda name: _topic_uri(garden, name), site.problems, names, keys)
    ctx = lambda page: Context(page, garden.library, inline)  # noqa: E731
    related = related_index(garden)
    site.pages["index.md"] = render_home(garden)
    site.pages["topics/index.md"] = render_topics_index(garden)
    site.pages["notes/index.md"] = render_notes_index(garden)
    for topic in garden.topics:
        uri = f"topics/{topic.slug}.md"
        site.pages[uri] = render_topic(topic, garden, ctx(uri), related)
        site.titles[uri] = topic.title
        if topic.paper_keys:
            site.assets[f"downloads/topics/{topic.slug}.bib"] = topic_bibtex(topic, garden)
    for note in garden.notes:
        uri = f"notes/{note.slug}.md"
        site.pages[uri] = render_note(note, garden, ctx(uri))
        site.titles[uri] = note.title
    _papers_and_authors(garden, site, ctx)
    site.pages[GRAPH_PAGE], site.assets[GRAPH_JSON] = graph_files(garden)
    return site


def _papers_and_authors(garden: Garden, site: SiteFiles, ctx) -> None:
    for key, paper in garden.library.papers.items():
        site.pages[f"papers/{key}.md"] = render_paper(paper, garden, ctx(f"papers/{key}.md"))
        site.titles[f"papers/{key}.md"] = paper.title
    site.pages["papers/index.md"] = render_bibliography(garden)
    site.assets["downloads/garden.bib"] = bibtex_for(list(garden.library.papers), garden)
    by_author, names, topics = (
        papers_by_author(garden),
        author_names(garden),
        topics_by_paper(garden),
    )
    for slug, keys in by_author.items():
        site.pages[f"authors/{slug}.md"] = render_author(slug, names[slug], keys, garden, topics)
        site.titles[f"authors/{slug}.md"] = names[slug]
    site.pages["authors/index.md"] = render_authors_index(garden, by_author)


def _topic_uri(garden: Garden, name: str) -> str | None:
    slug = garden.topic_slug_for(name)
    return f"topics/{slug}.md" if slug else None
