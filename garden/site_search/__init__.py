"""Site search with Pagefind: what is indexed, how, and the run over the built site.

Material's own search (lunr) sends the browser one JSON index of every page (41.7 MB at
10,000 papers). Pagefind instead writes a chunked index next to the site once the build is
done; the browser fetches only the chunks a query needs. This package owns the three pieces:

* **What a page is.** ``kind_of`` names each page's kind (topic, paper, author, note, page)
  or ``None`` for pages kept out of search: the home page and the section indexes, which list
  everything and would match every query (the bibliography at ``papers/`` above all). The
  templates in ``templates/`` (registered as a theme directory by ``use_templates``) mark the
  article of an indexed page ``data-pagefind-body`` with a ``kind`` filter; a page without it
  is not indexed at all.
* **What text is indexed.** A page is found by its own words. A paper page's last three
  sections are kept out (``unindexed_tail``): its related papers and "Citations in your
  garden" (other papers' titles, or the same sentence on every page while no citation data is
  fetched) and Cite (its BibTeX and styles repeat the title, authors and abstract).
  ``run.EXCLUDE_SELECTORS`` keep out the tags line, the related papers of a topic and an
  author's list of papers (other pages' titles), a paper's "Abstract page"/"PDF" buttons, the
  permalink signs and every formula's TeX source; ``math_as_text`` puts a hidden plain-text
  rendering of each formula next to it (``garden.site_search.tex``), so results read
  "λ_max", never ``\\(\\lambda_{\\max}\\)``.
* **The run.** ``start_index`` runs the ``pagefind`` binary from the ``pagefind-bin`` package
  over the built site, in shards of about ``SHARD_PAGES`` pages that the browser merges
  (``garden.site_search.run`` says why), in a process of its own: ``hooks.on_post_build``
  scans the pages while it runs and then waits with ``IndexRun.finish``; ``mkdocs serve``
  starts it in the background after each rebuild instead (``background=True``, not waited
  for, at the lowest priority), so a rebuild is not held up, and a run still going is
  stopped when the next one starts.

The browser side is ``docs/assets/javascripts/search.js`` (loads ``pagefind/shards.json`` and the
bundles it lists only when the search box is first used) and ``docs/assets/stylesheets/search.css``.
"""

from __future__ import annotations

import contextlib
import html as html_lib
import json
import re
import threading
from functools import lru_cache
from pathlib import Path

from garden import routes
from garden.pages.names import CITATIONS_ID, CITE_ID, RELATED_ID
from garden.site_search.run import BUNDLE as BUNDLE  # the index's folder in the site
from garden.site_search.run import SHARD_PAGES, IndexRun, SearchIndexError
from garden.site_search.tex import tex_to_text

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The search box's texts, in the theme's language: a generated part of the site's script
# bundle (mkdocs.yml lists it before search.js), read by search.js. Written into every page
# (Material's __config script, the box's data attributes) they were 0.2 KB of each.
TEXTS_JS = "assets/javascripts/search-texts.js"
TEXT_KEYS = (
    "search.placeholder",
    "search.reset",
    "search.result.placeholder",
    "search.result.none",
    "search.result.one",
    "search.result.other",
)
KINDS = ("topic", "paper", "author", "note")
META_KEY = "garden_search_kind"  # page.meta key the templates read
MATH_TEXT_CLASS = "garden-math-text"

_SECTIONS = {
    "topics/": ("topic", routes.TOPICS),
    "papers/": ("paper", routes.PAPERS),
    "authors/": ("author", routes.AUTHORS),
    "notes/": ("note", routes.NOTES),
}
# Where a paper page's unindexed tail starts: the first of these headings it has, in the
# page's order. Their ids are set by garden.pages.paper_page, never derived from note text (a
# note's heading of the same words gets another: Python-Markdown's toc keeps set ids).
_UNINDEXED = '<div class="garden-unindexed" data-pagefind-ignore="all">'
_TAIL_STARTS = tuple(f'<h2 id="{i}">' for i in (RELATED_ID, CITATIONS_ID, CITE_ID))
_NOT_INDEXED = frozenset({routes.HOME, routes.GRAPH})
_MATH = re.compile(
    r'(<(span|div) class="arithmatex">)(.*?)(</\2>)',
    re.S,
)
_DELIMITERS = re.compile(r"^\s*(?:\\\(|\\\[|\$\$?)(.*?)(?:\\\)|\\\]|\$\$?)\s*$", re.S)


def kind_of(uri: str) -> str | None:
    """The search kind of the page at source URI ``uri``; ``None``: not indexed."""
    if uri in _NOT_INDEXED:
        return None
    for prefix, (kind, index) in _SECTIONS.items():
        if uri.startswith(prefix):
            listing = uri == index or (kind == "paper" and not routes.is_paper(uri))
            return None if listing else kind  # the bibliography's pages: lists too
    return "page"  # a hand-written page


@lru_cache(maxsize=4)
def texts_js(language: str) -> str:
    """``TEXTS_JS``: ``TEXT_KEYS`` in ``language``, as Material says them (once per language:
    rendering Material's language templates took 11 ms of each serve rebuild)."""
    from garden import theme  # jinja2: not for the index run's process (garden.pages.names)

    texts = json.dumps(theme.translations(language, TEXT_KEYS), ensure_ascii=False)
    return f"window.__gardenSearchTexts = {texts};\n"


def use_templates(config) -> None:
    """Put ``templates/`` before the theme's own (header with the search box, main.html)."""
    folder = str(TEMPLATES)
    if folder not in config.theme.dirs:
        config.theme.dirs.insert(0, folder)


def prepare_page(html: str, page) -> str:
    """A page's content HTML for search: its kind in ``page.meta``, math with a text twin, a
    paper's Cite section out of the index."""
    kind = page.meta[META_KEY] = kind_of(page.file.src_uri)
    if kind == "paper":
        html = unindexed_tail(html)
    return math_as_text(html) if kind else html


def unindexed_tail(html: str) -> str:
    """A paper page from its first heading of ``_TAIL_STARTS`` (its last sections: the heading
    and all after it) wrapped in ``data-pagefind-ignore="all"``."""
    for start in _TAIL_STARTS:
        head, found, tail = html.rpartition(start)
        if found:
            return f"{head}{_UNINDEXED}{start}{tail}</div>"
    return html


def math_as_text(html: str) -> str:
    """Each arithmatex formula followed by a hidden plain-text rendering of it, for the index
    (Pagefind indexes hidden text; ``.arithmatex`` itself is excluded). KaTeX renders only
    inside ``.arithmatex``, and the text has no backslashes, so it never becomes math."""
    if 'class="arithmatex"' not in html:
        return html
    return _MATH.sub(lambda match: match.group(0) + _text_twin(match.group(3)), html)


@lru_cache(maxsize=8192)  # a formula recurs: in an abstract's page, in a note's every page
def _text_twin(source: str) -> str:
    """The hidden text after a formula whose HTML source (escaped TeX, with its delimiters)
    is ``source``; "" when the formula has no text."""
    tex = html_lib.unescape(source)
    inner = _DELIMITERS.match(tex)
    text = tex_to_text(inner.group(1) if inner else tex)
    return f'<span class="{MATH_TEXT_CLASS}" hidden>{html_lib.escape(text)}</span>' if text else ""


def start_index(
    site: Path, *, background: bool = False, shard_pages: int = SHARD_PAGES
) -> IndexRun:
    """Start indexing ``site`` (in shards of about ``shard_pages`` pages) and return at once.
    ``background`` (``mkdocs serve``): after ``SERVE_DELAY`` seconds, at the lowest CPU
    priority, not waited for. A run started before and still going (or waiting) is stopped
    first: it indexes pages a rebuild replaced."""
    with _lock:
        running = _background.pop("run", None)
        if running is not None:
            running.stop()
        run = IndexRun(Path(site), shard_pages, low=background, after=SERVE_DELAY * background)
        if background:
            _background["run"] = run
    return run


# In serve, a run waits this long before it starts, and a rebuild stops it (stop_background):
# edits in quick succession (an editor's autosave) cost one index, and a rebuild does not share
# the cores with it.
SERVE_DELAY = 3.0
_background: dict[str, IndexRun] = {}
_lock = threading.Lock()


def stop_background() -> None:
    """Stop a background run still waiting or going (``mkdocs serve``, when a rebuild starts:
    its index would be replaced, and the rebuild should not share the cores with it)."""
    with _lock:
        running = _background.pop("run", None)
    if running is not None:
        running.stop()


def wait_for_background(timeout: float = 600) -> None:
    """Until a background run (``start_index(..., background=True)``) has finished; for tests
    and scripts. A failed background run is not raised: serve goes on without the index."""
    with _lock:
        running = _background.get("run")
    if running is not None:
        with contextlib.suppress(SearchIndexError):
            running.finish(timeout)
