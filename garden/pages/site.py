"""Every generated file of the site, as a pure function of the garden: ``{src_uri: content}``.

Each page family is a module with ``pages(env) -> Iterable[Page | Asset]``, listed once in
``FAMILIES``; a new page type is one new module added there. Hand-written files in ``docs/``
win: the caller drops generated URIs that already exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from garden import routes
from garden.join import Garden
from garden.pages import (
    authors,
    bibliography,
    feed,
    graph,
    home,
    note_page,
    paper_page,
    previews,
    topic_page,
)
from garden.pages.markdown import Inline
from garden.pages.page import Asset, Env, Page

# The order files reach MkDocs, which keeps it inside each navigation section.
FAMILIES = (
    home.pages,
    topic_page.pages,
    note_page.pages,
    paper_page.pages,
    bibliography.pages,
    authors.pages,
    graph.pages,
    feed.pages,
    previews.pages,
)


@dataclass
class SiteFiles:
    pages: dict[str, str] = field(default_factory=dict)  # Markdown pages
    assets: dict[str, str] = field(default_factory=dict)  # other files (.bib, .json)
    titles: dict[str, str] = field(default_factory=dict)  # see Page.title
    problems: list[str] = field(default_factory=list)  # "file:line: message" warnings
    files: dict[str, Page | Asset] = field(default_factory=dict)  # all of the above, by URI
    problems_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # by the page found


def generate_site(
    garden: Garden,
    previous: SiteFiles | None = None,
    unaffected: Callable[[str], bool] | None = None,
    site_url: str = "",
) -> SiteFiles:
    """Every generated file. With ``previous`` and ``unaffected`` (an incremental rebuild,
    garden.incremental), files at unaffected URIs are taken from ``previous`` unrendered.
    ``site_url``: the site's address, for the feed's absolute links."""
    found: list[str] = []
    env = Env(garden, _inline(garden, found), found, site_url=site_url)
    if previous is not None and unaffected is not None:
        env.previous, env.unaffected = previous.files, unaffected
    site = SiteFiles()
    for family in FAMILIES:
        for file in family(env):
            site.files[file.uri] = file
            if previous is not None and file is previous.files.get(file.uri):
                site.problems_of[file.uri] = previous.problems_of.get(file.uri, ())
            else:
                site.problems_of[file.uri] = tuple(found)
            found.clear()
            if isinstance(file, Asset):
                site.assets[file.uri] = file.content
                continue
            site.pages[file.uri] = file.markdown
            if file.title is not None:
                site.titles[file.uri] = file.title
    site.problems = [problem for problems in site.problems_of.values() for problem in problems]
    return site


def _inline(garden: Garden, problems: list[str]) -> Inline:
    def topic_uri(name: str) -> str | None:
        slug = garden.topic_slug_for(name)
        return routes.topic(slug) if slug else None

    names = {topic.title: routes.topic(topic.slug) for topic in garden.topics}
    return Inline(topic_uri, problems, names, frozenset(garden.library.papers))
