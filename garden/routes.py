"""Every page URI and slug of the site: the one place that knows where things live.

A URI here is a source path as MkDocs names it (``topics/rmt.md``); ``url`` turns it into the
directory URL a reader sees (``topics/rmt/``), ``link`` into a relative link between pages.
Nothing else in ``garden`` writes a page path.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

from garden.text import slugify

HOME = "index.md"
TOPICS = "topics/index.md"
NOTES = "notes/index.md"
PAPERS = "papers/index.md"  # the bibliography
AUTHORS = "authors/index.md"
GRAPH = "graph.md"
GRAPH_JSON = "assets/graph.json"
GARDEN_BIB = "downloads/garden.bib"
FEED = "feed.xml"  # Atom, the papers newly added (garden/pages/feed.py); its URL too
GARDEN_CSL = "downloads/garden.csl.json"  # CSL-JSON (Zotero, Mendeley, pandoc --citeproc)
GARDEN_RIS = "downloads/garden.ris"  # RIS (EndNote, Zotero, Mendeley)
GARDEN_DOWNLOADS = (GARDEN_BIB, GARDEN_CSL, GARDEN_RIS)  # the order of topic_downloads

# Slugs a topic may not take: they are pages of their own in topics/.
RESERVED_TOPIC_SLUGS = frozenset({"index"})
# Out of the navigation, but not their indexes: Material writes the navigation into every
# page, so a list of every topic, note, paper or author there grows each page with the garden
# (with navigation.prune, each page still carried its whole section: 1,008 topics at 10k
# papers). The sidebar holds the section indexes; pages are reached from those, from the
# pages that link them, from search and the graph.
NOT_IN_NAV = ("topics/", "notes/", "papers/", "authors/")
# Top-level navigation in the reader's order, by the URI (or URI prefix) of each entry.
NAV_ORDER = (HOME, "topics/", "papers/", "authors/", "notes/", GRAPH)


def topic(slug: str) -> str:
    return f"topics/{slug}.md"


def note(slug: str) -> str:
    return f"notes/{slug}.md"


def paper(key: str) -> str:
    return f"papers/{key}.md"


def author(slug: str) -> str:
    return f"authors/{slug}.md"


def topic_bib(slug: str) -> str:
    return f"downloads/topics/{slug}.bib"


def topic_csl(slug: str) -> str:
    return f"downloads/topics/{slug}.csl.json"


def topic_ris(slug: str) -> str:
    return f"downloads/topics/{slug}.ris"


def topic_downloads(slug: str) -> tuple[str, str, str]:
    """A topic's papers as BibTeX, CSL-JSON and RIS."""
    return topic_bib(slug), topic_csl(slug), topic_ris(slug)


def preview(key: str) -> str:
    """A paper's hover-card data, fetched by assets/javascripts/previews.js the first time a
    link to the paper is hovered: the script maps a link's ``papers/<key>/`` to this, so the
    two must keep the same key segment."""
    return f"previews/{key}.json"


def line(uri: str, number: int) -> str:
    """A line of a note page: ``notes/x.md#line-12``."""
    return f"{uri}#line-{number}"


@lru_cache(maxsize=1 << 16)  # every paper page links each author: ~25 calls per author
def author_slug(name: str) -> str:
    return slugify(name, fallback="anonymous")


def author_of(name: str) -> str:
    return author(author_slug(name))


ONE_PAPER = "authors/one-paper/"  # the shared pages of authors of one paper (author_group)


def author_group(name: str, letters: int = 2, given: int = 0) -> str:
    """The page shared by the authors of one paper here whose surname starts with the same
    ``letters`` letters as ``name``'s (``Leo Miolane`` → ``authors/one-paper/mi.md``; how many
    letters a garden's groups take: ``Garden.author_group_of``); with ``given``, and whose
    given names start with the same ``given`` letters (``Xi Wang`` → ``.../wang-x.md``: a
    surname has no ``-``). Their entry on it is at ``#<author_slug(name)>``. No author page
    can be there: an author slug has no ``/``."""
    surname = surname_letters(name, letters)
    if given:
        return f"{ONE_PAPER}{surname}-{_given_letters(name, given)}.md"
    return f"{ONE_PAPER}{surname}.md"


def author_group_letters(uri: str) -> tuple[str, str]:
    """What an ``author_group`` page's surnames and given names start with: ``("mi", "")``,
    ``("wang", "x")``."""
    surname, _, given = uri.removeprefix(ONE_PAPER).removesuffix(".md").partition("-")
    return surname, given


@lru_cache(maxsize=1 << 16)
def surname_letters(name: str, letters: int = 2) -> str:
    words = name.split()
    return _first_letters(words[-1] if words else "", letters)


@lru_cache(maxsize=1 << 16)
def _given_letters(name: str, letters: int) -> str:
    return _first_letters(" ".join(name.split()[:-1]), letters)


def _first_letters(text: str, letters: int) -> str:
    """The first ``letters`` letters or digits of ``text`` as a slug has them; "0" for none."""
    return slugify(text, fallback="0").replace("-", "")[:letters] or "0"


def bibliography_part(number: int) -> str:
    """The ``number``-th page (from 1) of a bibliography too long for one (garden.pages.
    bibliography): a folder below ``papers/``, where no paper's page can be (a key has no
    ``/``)."""
    return f"papers/list/{number}.md"


def category_part(category: str, number: int) -> str:
    """The ``number``-th page (from 1) of the papers of arXiv category ``category`` (its
    anchor's slug, ``cs-lg``) in such a bibliography."""
    return f"papers/category/{category}/{number}.md"


def is_paper(uri: str) -> bool:
    """Whether ``uri`` is a paper's page (``paper``), not the bibliography or a page of it."""
    return uri.startswith("papers/") and uri != PAPERS and "/" not in uri[len("papers/") :]


def in_nav(uri: str) -> bool:
    return not uri.startswith(NOT_IN_NAV) or uri.endswith("/index.md")


def nav_rank(uri: str) -> int:
    """Where a top-level nav entry (by its page or first page's URI) goes; others last."""
    return next((i for i, p in enumerate(NAV_ORDER) if uri.startswith(p)), len(NAV_ORDER))


def url(uri: str) -> str:
    """The directory URL of a page, from the site root: ``topics/rmt.md`` → ``topics/rmt/``."""
    path = uri.removesuffix(".md")
    if path == "index":
        return ""
    return (path.removesuffix("/index") if path.endswith("/index") else path) + "/"


def link(from_uri: str, to_uri: str) -> str:
    """A relative link between two source pages (``topics/a.md`` → ``../papers/b.md``)."""
    path, _, anchor = to_uri.partition("#")
    rel = _relpath(path, posixpath.dirname(from_uri) or ".")
    return f"{rel}#{anchor}" if anchor else rel


def href(from_uri: str, to_uri: str) -> str:
    """The relative URL MkDocs writes for ``link(from_uri, to_uri)`` (directory URLs:
    ``papers/a.md`` → ``papers/b.md`` is ``../b/``), for links in HTML written by a page
    family, which MkDocs does not rewrite."""
    path, _, anchor = to_uri.partition("#")
    here, there = url(from_uri), url(path)
    rel = _relpath(there.rstrip("/") or ".", here.rstrip("/") or ".") if there != here else "."
    rel = "./" if rel == "." else rel + "/"  # every page's URL is a folder's
    return f"{rel}#{anchor}" if anchor else rel


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for plain relative URIs, without its two ``os.getcwd()`` calls
    (most of the time link() took); anything unusual goes to the original."""
    parts, base = path.split("/"), [] if start == "." else start.split("/")
    if path.startswith("/") or start.startswith("/") or {"", ".", ".."} & {*parts, *base}:
        return posixpath.relpath(path, start)
    common = 0
    while common < min(len(parts), len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."
