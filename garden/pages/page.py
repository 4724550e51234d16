"""The common shape of every generated file: a page family is ``(Env) -> Iterable[Page | Asset]``.

``garden.pages.site.FAMILIES`` lists the families; a new page type is one module with a
``pages(env)`` function, added there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from garden.join import Garden
from garden.pages.items import Context
from garden.pages.markdown import Inline


@dataclass(frozen=True)
class Page:
    uri: str  # source path, e.g. "topics/rmt.md" (garden.routes)
    markdown: str
    # Plain text, when the title comes from a note or arXiv: the glue hands it to the theme's
    # slots through garden.pages.escape.title (MkDocs' own title is the <h1> read back as
    # unescaped text, and its templates do not escape it). None: a fixed title of ours.
    title: str | None = None


@dataclass(frozen=True)
class Asset:
    uri: str  # e.g. "downloads/garden.bib"
    content: str


@dataclass
class Env:
    """What every page family gets: the garden, and how to write a note's inline text."""

    garden: Garden
    inline: Inline
    problems: list[str] = field(default_factory=list)  # "file:line: message" warnings
    site_url: str = ""  # mkdocs.yml's site_url, for the feed's absolute links; "" if none
    # An incremental rebuild (garden.incremental): the files of the previous build, and which
    # of their URIs the edit cannot have changed. A family asks ``kept(uri)`` before rendering.
    previous: Mapping[str, Page | Asset] = field(default_factory=dict)
    unaffected: Callable[[str], bool] = lambda uri: False

    def kept(self, uri: str) -> Page | Asset | None:
        """The previous build's file at ``uri`` when this edit cannot have changed it."""
        return self.previous.get(uri) if self.unaffected(uri) else None

    def ctx(self, uri: str) -> Context:
        return Context(uri, self.garden.library, self.inline, self.garden.missing_at)
