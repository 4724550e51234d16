"""Every generated file of the site, as a pure function of the garden: ``{src_uri: content}``.

Each page family is a module with ``pages(env) -> Iterable[Page | Asset]``, listed once in
``FAMILIES``; a new page type is one new module added there. Hand-written files in ``docs/``
win: the caller drops generated URIs that already exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
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
    files: dict[str, Page | Asset] = field(default_factory=dict)  # every file, by URI (packed)
    titles: dict[str, str] = field(default_factory=dict)  # see Page.title
    problems: list[str] = field(default_factory=list)  # "file:line: message" warnings
    problems_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # by the page found

    @property
    def pages(self) -> Mapping[str, str]:
        """The Markdown pages' texts by URI (each unpacked when read)."""
        return _Texts(self.files, Page)

    @property
    def assets(self) -> Mapping[str, str]:
        """The other files' texts (.bib, .json, .xml) by URI (each unpacked when read)."""
        return _Texts(self.files, Asset)


class _Texts(Mapping):
    def __init__(self, files: dict[str, Page | Asset], kind: type) -> None:
        self._files, self._kind = files, kind

    def __getitem__(self, uri: str) -> str:
        file = self._files[uri]
        if not isinstance(file, self._kind):
            raise KeyError(uri)
        return file.text

    def __contains__(self, uri: object) -> bool:
        return isinstance(self._files.get(uri), self._kind)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[str]:
        return (uri for uri, file in self._files.items() if isinstance(file, self._kind))

    def __len__(self) -> int:
        return sum(1 for _ in self)


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
            if isinstance(file, Page) and file.title is not None:
                site.titles[file.uri] = file.title
    site.problems = [problem for problems in site.problems_of.values() for problem in problems]
    return site


def _inline(garden: Garden, problems: list[str]) -> Inline:
    def topic_uri(name: str) -> str | None:
        slug = garden.topic_slug_for(name)
        return routes.topic(slug) if slug else None

    names = {topic.title: routes.topic(topic.slug) for topic in garden.topics}
    return Inline(topic_uri, problems, names, frozenset(garden.library.papers))
