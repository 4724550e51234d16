"""MkDocs glue: load notes and ``bib/``, generate the garden's pages, sanitise what they render.

Everything here moves data between MkDocs and ``garden``'s pure functions. Hooks live on
across ``mkdocs serve`` rebuilds, so all per-build state is reset in ``on_config``.
"""

from __future__ import annotations

import functools
import gc
import logging
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path

import jinja2
import jinja2.bccache
from mkdocs import utils as mkdocs_utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs_bibtex.registry import SimpleRegistry

from garden import incremental, routes, site_search, theme, workers
from garden.bibliography.library import LibraryError
from garden.build import OptionsError, Project, build_pages, home_page
from garden.checks.inert import ChromeScan, SiteScan
from garden.notes import NoteError
from garden.pages import paper_page
from garden.pages.citations import CitableKeys, cached_formatter, citable
from garden.pages.escape import title
from garden.pages.home import TOPICS_MARKER
from garden.pages.markdown import (
    FragmentTokens,
    Triggers,
    fragment_ids,
    offline_emoji,
    split_fragments,
)
from garden.pages.page import pack_bytes, unpack
from garden.pages.sanitize import sanitize_page
from garden.pages.site import SiteFiles

log = logging.getLogger("mkdocs.plugins.garden")
_state: dict = {}
# What stands for a generated page's HTML part while Markdown runs (split_fragments): a word
# no note can know in advance, drawn anew each process.
_PART_TOKEN = "gardenpart" + secrets.token_hex(8)
# Python's collector runs a young-generation pass every 700 allocations by default: a build
# allocates and frees millions of short-lived objects (Markdown's trees, the templates'
# contexts), and at 10,000 papers its ~17,000 passes took 5.3 s over the build's processes.
# Every 20,000 allocations, and the older generations as rarely in turn: 2.3 s, the peak
# memory of each process the same (almost everything is freed by reference counting).
GC_THRESHOLDS = (20_000, 20, 20)


def on_startup(command: str, dirty: bool) -> None:
    """``mkdocs serve`` keeps the garden between rebuilds (see ``on_config``)."""
    if command == "serve":
        _SERVE.clear()
        _SERVE["serving"] = True


@event_priority(100)  # before mkdocs-bibtex, which dies with a traceback on a broken .bib
def on_config(config):
    _state.clear()
    gc.set_threshold(*GC_THRESHOLDS)  # the workers forked from this process inherit it
    if _SERVE:  # a rebuild: the last one's search index would be replaced; it yields the cores
        site_search.stop_background()
        _cancel_collection()  # not idle: the collection would hold this rebuild up
    root = Path(config.config_file_path).resolve().parent
    try:
        docs = Path(config.docs_dir).resolve().relative_to(root).as_posix()
        project = Project.from_options(
            root, config.extra.get("garden"), docs=docs, site_url=config.site_url or ""
        )
        built = _incremental(project).build() if _SERVE else build_pages(project)
    except (NoteError, LibraryError, OptionsError, workers.WorkerError) as exc:
        raise PluginError(str(exc)) from None
    _state["garden"], _state["site"], _state["warnings"] = built.garden, built.site, built.warnings
    _state["scan"] = SiteScan(Path(config.site_dir))
    _state["unchanged"] = _unchanged(built.site, config.site_dir) if _SERVE else frozenset()
    _patch_mkdocs_build()
    _bibtex_registry(config, built.garden)
    # The garden and the generated files live through the build (in serve, to the next one):
    # Python's collector need not walk them again. Its full passes over them took up to a
    # second each at 10,000 papers, at random points of a build or a serve rebuild. Refcounting
    # still frees them; in serve, cycles among them go in the collection made once a rebuild is
    # done (_collect_when_idle).
    gc.freeze()
    _BUILD["state"] = _state  # this build's: the patched MkDocs functions read it
    site_search.use_templates(config)  # the header's Pagefind search box, the indexed article
    theme.use_templates(config)  # the chrome every page repeats, made small (garden/theme)
    try:
        # the theme's, and a paper's buttons' (a note's paper chips draw the first of them)
        icons = theme.icons_css(theme.icon_names(config.theme) + [*paper_page.BUTTON_ICONS])
        palette = theme.palette_js(config.theme)
        scope = theme.scope_js(config.extra.get("scope"))
        texts = site_search.texts_js(config.theme.get("language") or "en")
    except theme.ThemeError as exc:
        raise PluginError(str(exc)) from None
    # mkdocs.yml's stylesheets (the icons' among them) and scripts, one file each
    assets = theme.bundle(
        config.extra_css,
        config.extra_javascript,
        Path(config.docs_dir),
        {theme.ICONS_CSS: icons, site_search.TEXTS_JS: texts},
    )
    config.extra_css, config.extra_javascript = assets.css, assets.javascript
    _state["chrome"] = {**assets.files, theme.PALETTE_JS: palette, theme.SCOPE_JS: scope}
    _state["bundled"] = assets.parts
    if "pymdownx.emoji" in config.mdx_configs:  # emoji as characters: no images from a CDN
        config.mdx_configs["pymdownx.emoji"]["emoji_generator"] = offline_emoji
    config.markdown_extensions.append(FragmentTokens(_PART_TOKEN))  # see on_page_markdown
    config.markdown_extensions.append(Triggers())  # the same HTML, in less time
    return config


# --- one page at a time; in mkdocs serve, only what an edit changed -------------------------
#
# MkDocs renders every page's Markdown first and writes the HTML of all of them after, so at
# the peak it holds every page's HTML (hundreds of MB at 10,000 papers). The generated pages
# outside the navigation (papers, topics, authors, notes: nearly all) are rendered one at a
# time instead, each just before it is written, and let go after (on_post_page). Nothing
# renders them sooner: the navigation does not list them, and anchors are checked after all.
#
# In `mkdocs serve`, each rebuild, garden.incremental says which generated pages differ from
# the previous build; MkDocs is then kept from reading and rendering the others (its own
# `--dirty` mode cannot tell, as generated files have no source file to compare). Serve builds
# into the same folder every time: the previous build's HTML of each page that did not change,
# and each generated asset (downloads, previews, graph data) that did not, is left where it is
# when MkDocs empties the folder (`garden.incremental.remove_written_but`: of what the previous
# build wrote, the rest goes), and so is the last search index, until the next one replaces
# it. A full build (`mkdocs build`), and the rebuild after one that failed, empties it all.
#
# MkDocs reloads this file for every serve rebuild, so what the patched MkDocs functions read
# lives in a module that stays imported.

_SERVE: dict = incremental.SERVE_STATE
_BUILD: dict = incremental.BUILD_STATE


def _incremental(project: Project) -> incremental.Incremental:
    session = _SERVE.get("session")
    if session is None or session.project != project:
        session = _SERVE["session"] = incremental.Incremental(project)
        _SERVE["site_dir"] = None
        _patch_mkdocs_build()
    return session


def _unchanged(site: SiteFiles, site_dir: str) -> frozenset[str]:
    """Generated pages and assets whose output from the previous build is in ``site_dir``
    (the previous build wrote every file there: ``_SERVE["written"]``) and can stay."""
    session, before = _SERVE["session"], _SERVE.get("site_dir")
    _SERVE["site_dir"] = None  # until this build has written everything (on_post_build)
    if session.changed is None or before != site_dir:
        return frozenset()
    return frozenset(uri for uri in site.files if uri not in session.changed)


def _output(uri: str, site: SiteFiles) -> str:
    """Where a generated file's output is, relative to the site folder."""
    return _dest(uri) if uri in site.pages else uri


def _patch_mkdocs_build() -> None:
    if getattr(mkdocs_build._build_page, "garden_patched", False):
        return
    populate, render = mkdocs_build._populate_page, mkdocs_build._build_page

    def populate_page(page, config, files, dirty=False):
        uri, now = page.file.src_uri, _current()
        if uri not in now.get("unchanged", ()) and uri not in now.get("one_at_a_time", ()):
            populate(page, config, files, dirty)

    def build_page(page, config, doc_files, nav, env, dirty=False, excluded=False):
        uri, now = page.file.src_uri, _current()
        if uri in now.get("unchanged", ()):
            return None  # the previous build's HTML is in place
        one_at_a_time = uri in now.get("one_at_a_time", ())
        build_one = _one_page_builder(config, doc_files, nav, env, dirty) if one_at_a_time else None
        if one_at_a_time and "split" not in now:  # in serve's first build (on_env in a build)
            now["split"] = _split_rendering(now, doc_files, build_one)
        split = now.get("split")
        if build_one is None:
            render(page, config, doc_files, nav, env, dirty, excluded)
        elif split is None:
            build_one(page)
        else:  # the next few pages no process has taken yet, this one or others
            split.render_next(build_one)
        if split is not None and page.file is doc_files[-1]:
            split.render_rest(build_one or _one_page_builder(config, doc_files, nav, env, dirty))
            split.finish(now["files"])  # before MkDocs checks the links to anchors
        return None

    copy_static = Files.copy_static_files

    def copy_static_files(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        split_with = _current().pop("split_with", None)
        if split_with is None:
            return copy_static(self, *args, **kwargs)
        # The workers start now (_start_split), the first of them writing the generated files
        # (13,000 at 10,000 papers: written here, they kept the other cores idle for seconds);
        # this process writes the files from docs/ and goes on to the pages. It lets go of the
        # generated files' texts unwritten, as the worker does once it has written them.
        generated, others = [], []
        for file in self:
            (generated if _is_generated(file) else others).append(file)
        copy_static(Files(others), *args, **kwargs)
        write = functools.partial(copy_static, Files(generated), *args, **kwargs)
        _start_split(*split_with, self, write)
        if _current().get("split") is None:
            return write()  # no worker after all: written here
        for file in generated:
            file.packed = None
        return None

    copy = File.copy_file

    def copy_file(self, dirty=False):
        generated = _is_generated(self)  # not a file from docs/
        if not generated or self.src_uri not in _current().get("unchanged", ()):
            copy(self, dirty)
            if generated and getattr(self, "packed", None) is not None:
                self.packed = None  # written: nothing reads it again (memory)
        return None  # else a generated asset the previous build wrote, unchanged

    clean = mkdocs_utils.clean_directory

    def clean_directory(directory: str) -> None:
        now = _current()
        if not now.get("unchanged"):
            return clean(directory)
        kept = {_output(uri, now["site"]) for uri in now["unchanged"]}
        # not the last search index, which the build did not write: the reader searches it
        # until the next one is in place
        incremental.remove_written_but(Path(directory), _SERVE["written"], kept)
        return None

    mkdocs_pages.markdown = _OneMarkdown(mkdocs_pages.markdown)
    build_page.garden_patched = True
    _BUILD["populate_render"] = (populate, render)
    mkdocs_build._populate_page, mkdocs_build._build_page = populate_page, build_page
    File.copy_file = copy_file
    Files.copy_static_files = copy_static_files
    mkdocs_utils.clean_directory = clean_directory


def _one_page_builder(config, doc_files, nav, env, dirty: bool = False):  # noqa: ANN001, ANN202
    """A function that reads and writes one page outside the navigation, as MkDocs would."""
    populate, render = _BUILD["populate_render"]  # MkDocs' own (_patch_mkdocs_build)
    files = _current()["files"]

    def build_one(page) -> None:  # noqa: ANN001
        populate(page, config, files, dirty)
        excluded = page.file.inclusion.is_excluded()
        kind = _chrome_kind(page.file.src_uri)
        if kind and not (dirty or excluded):
            chrome = _state.setdefault("chrome:" + kind, _FilledChrome())
            chrome.build(page, config, doc_files, nav, env)
        else:
            render(page, config, doc_files, nav, env, dirty, excluded)

    return build_one


# The sections whose pages are filled into a chrome, by their folder (routes' section indexes)
_CHROME_SECTIONS = tuple(
    index.removesuffix("/index.md") for index in (routes.PAPERS, routes.AUTHORS, routes.TOPICS)
)


def _chrome_kind(uri: str) -> str:
    """The kind of generated page filled into a chrome (``_FilledChrome``): a paper's, an
    author's or a topic's page ("" for any other, the section indexes among them)."""
    folder, _, name = uri.partition("/")
    if folder in _CHROME_SECTIONS and "/" not in name and name != "index.md":
        return folder
    return ""


_UNSET = object()


class _FilledChrome:
    """The HTML of one kind of page (a paper's, an author's, a topic's: ``_chrome_kind``)
    around its title, canonical URL, content and first heading's id, made once by the theme's
    templates and filled in for each (``garden.theme.Chrome``), in each process that renders
    pages: the template's render was ~0.5 ms of a paper page's ~3, 10,000 times.

    The first page of the kind is rendered by the templates as MkDocs renders it, and again
    with the chrome's stand-ins; the second is rendered by the templates too and the chrome is
    used only if it gives that page byte for byte (a part of the first page's own left in the
    chrome would show there); after that one page in ``CHECK_EVERY`` is rendered and compared
    again. A mismatch, a plugin that changes a page's template context, or a page unlike the
    first (its content, its metadata, its table of contents but its first heading's id) gets
    the templates, as before."""

    CHECK_EVERY = 97

    def __init__(self) -> None:
        self.chrome: theme.Chrome | None = None
        self.state = "first"  # then "check", then "on"; "off" for good
        self.like: tuple | None = None  # what the first page's chrome depends on
        self.count = 0
        self._plan: ChromeScan | None | object = _UNSET

    def build(self, page, config, doc_files, nav, env) -> None:  # noqa: ANN001
        self.count += 1
        config._current_page = page  # as mkdocs.commands.build._build_page does
        page.active = True
        try:
            if self.state == "off" or not self._fits(page, config):
                output = self._render(page, config, doc_files, nav, env)
            elif self.state == "on" and self.count % self.CHECK_EVERY:
                output = self._fill(page)
                page.garden_filled = (self, self._values(page), output)  # on_post_page's scan
            else:
                first = self.state == "first"
                output = self._render(page, config, doc_files, nav, env, first=first)
                if not first:  # checked against another page than the one it was made from
                    same = self.chrome is not None and self._fill(page) == output
                    self.state = "on" if same else "off"
                    if not same:
                        log.debug("garden: the chrome differs on %s; templates used", page.url)
            output = config.plugins.on_post_page(output, page=page, config=config)
            if output.strip():
                mkdocs_utils.write_file(
                    output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path
                )
        except Exception as exc:
            log.error("Error building page '%s': %s", page.file.src_uri, exc)
            raise
        finally:
            page.active = False
            config._current_page = None

    def _render(self, page, config, doc_files, nav, env, first: bool = False) -> str:  # noqa: ANN001
        """The page's HTML from the templates (MkDocs' _build_page, without the writing); for
        the ``first`` page, the chrome too, from a second render with the stand-ins."""
        context = mkdocs_build.get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = template.render(context)
        if first:
            self.state, self.like = "check", self._facts(page, config)
            first_heading = page.toc.items[0] if page.toc.items else None
            saved = page.meta.get("title"), page.canonical_url, page.content
            anchor = first_heading.id if first_heading is not None else None
            page.meta["title"], page.content = theme.Chrome.TITLE, theme.Chrome.CONTENT
            page.canonical_url = theme.Chrome.URL if saved[1] is not None else None
            if first_heading is not None:
                first_heading.id = theme.Chrome.ANCHOR
            try:
                self.chrome = theme.Chrome.split(template.render(context))
            finally:
                page.meta["title"], page.canonical_url, page.content = saved
                if first_heading is not None:
                    first_heading.id = anchor
            if self.chrome is None:
                self.state = "off"
        return output

    def _fill(self, page) -> str:  # noqa: ANN001
        return self.chrome.fill(*self._values(page))

    @staticmethod
    def _values(page) -> tuple[str, str, str, str]:  # noqa: ANN001
        """The page's title, canonical URL, content and first heading's id."""
        anchor = page.toc.items[0].id if page.toc.items else ""
        return page.meta["title"], page.canonical_url or "", page.content, anchor

    def scan_plan(self, page: str) -> ChromeScan | None:
        """How the safety scan reads a page filled into this chrome (made once, from ``page``)."""
        if self._plan is _UNSET:
            self._plan = ChromeScan.of(self.chrome, _state["scan"], page) if self.chrome else None
        return self._plan

    def _fits(self, page, config) -> bool:  # noqa: ANN001
        """A page whose chrome can be the first page's: its content tested by the templates as
        the stand-in is, all else they read of it the same."""
        if config.plugins.events["page_context"]:  # a plugin's say in the context: the templates
            return False
        if not isinstance(page.meta.get("title"), str) or not theme.Chrome.fits(page.content or ""):
            return False
        return self.like is None or self._facts(page, config) == self.like

    @staticmethod
    def _facts(page, config) -> tuple:  # noqa: ANN001
        meta = sorted((k, repr(v)) for k, v in page.meta.items() if k != "title")
        toc = _toc_shape(page.toc.items, first=True)
        around = (page.previous_page, page.next_page, page.edit_url, page.canonical_url is None)
        return meta, toc, around, page.url.count("/")


def _toc_shape(items, first: bool = False) -> tuple:  # noqa: ANN001 - MkDocs' AnchorLinks
    """A table of contents as the templates may show it: each item's level, id and title, and
    its children's; the first item's id and title left out (the id is a slot of the chrome,
    the skip link's target; Material shows a first heading's children, not itself)."""
    return tuple(
        (
            item.level,
            *(() if first and n == 0 else (item.id, item.title)),
            _toc_shape(item.children),
        )
        for n, item in enumerate(items)
    )


def _is_generated(file: File) -> bool:
    """A file the garden generated (not one of docs/ or the theme's) that is not a page."""
    return getattr(file, "generated_by", None) is not None and not file.is_documentation_page()


def _start_split(env, config, files, first: Callable[[], None]) -> None:  # noqa: ANN001
    """``mkdocs build``: the workers start on their pages once every plugin's ``on_env`` has run,
    when MkDocs writes the static files: the first of them writes the generated ones
    (``first``), this process the others. MkDocs then writes the theme's templates and the
    pages of the navigation while they work, where they used to wait for it. The
    safety scan each worker runs reads the site as it will be (SiteScan.before_written), not
    from disk: the theme's 404 page, rendered here as MkDocs will write it, and the files
    MkDocs writes."""
    nav = _state.get("nav")
    try:
        template = env.get_template("404.html")
    except jinja2.TemplateNotFound:
        return  # another theme: the pages are split when MkDocs reaches the first of them
    reference = mkdocs_build._build_template("404.html", template, files, config, nav)
    _state["scan"].before_written(reference, frozenset(file.dest_uri for file in files))
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    _state["split"] = _split_rendering(
        _state, doc_files, _one_page_builder(config, doc_files, nav, env), first
    )


class _Split:
    """The generated pages outside the navigation, rendered by forked copies of this process
    (``garden.workers``) beside this one, in ``mkdocs build`` and the first build of
    ``mkdocs serve``: the pages are independent, and their rendering (Markdown, the theme's
    template, the sanitiser, the safety scan) was three quarters of a 10,000-paper build, on
    one core.

    Each process takes the next few pages from a shared ``workers.Queue`` until none is left. Each
    child renders and writes the pages it took and sends back what MkDocs and this glue would
    have kept of them in this process: the anchors each page has and links to (MkDocs checks
    them after the last page), the warnings and errors it logged (which ``--strict`` counts;
    the child has printed them) and its pages' safety scan. ``finish`` takes them in, at the
    last page of the build."""

    def __init__(self, queue: workers.Queue, forked: workers.Forked) -> None:
        self._queue, self._forked = queue, forked

    def render_next(self, build_one) -> None:  # noqa: ANN001
        """Render the next few pages no process has taken yet (MkDocs calls this process's
        build_page for each page; which pages it renders is whichever are left)."""
        for _, page in self._queue.take():
            build_one(page)

    def render_rest(self, build_one) -> None:  # noqa: ANN001
        self._queue.drain(lambda _, page: build_one(page))

    def finish(self, files: Files) -> None:
        try:
            done = self._forked.join()
        except workers.WorkerError as exc:
            raise PluginError(f"rendering the garden's pages: {exc}") from None
        counters = _log_counters()
        for result in done:
            for uri, (present, links) in result["anchors"].items():
                page = files.get_file_from_path(uri).page
                page.present_anchor_ids = present
                page.links_to_anchors = {
                    files.get_file_from_path(target): found for target, found in links.items()
                }
            for level, count in result["logged"].items():
                for counter in counters:
                    counter.counts[level] += count
            _state["scan"].findings += result["findings"]
            _state["scan"].scanned.update(result["scanned"])

    def stop(self) -> None:
        self._forked.stop()


def on_build_error(error) -> None:  # noqa: ANN001
    """A build that failed while workers rendered (garden.workers) ends them: they would go
    on writing pages into a site that is not being built any more."""
    split = _state.get("split")
    if split is not None:
        split.stop()


def _split_rendering(  # noqa: ANN001
    now: dict, doc_files, build_one, first: Callable[[], None] | None = None
) -> _Split | None:
    """Fork the children that render some of the pages outside the navigation, or None: with
    one worker (always in a serve rebuild, which renders few), or too few pages. ``first``:
    what the first child does before its pages."""
    try:
        count = workers.workers()
    except workers.WorkerError as exc:
        raise PluginError(str(exc)) from None
    pages = [f.page for f in doc_files if f.src_uri in now["one_at_a_time"]]
    if count < 2 or len(pages) < 4 * count:
        return None
    now["scan_as_written"] = True  # each process scans its pages: in the forks, on every core
    queue = workers.Queue(pages, count)
    shares = [(queue, first)] + [(queue, None)] * (count - 2)
    forked = workers.fork_each(shares, lambda share: _render_share(*share, build_one))
    return _Split(queue, forked)


def _render_share(queue: workers.Queue, first, build_one) -> dict:  # noqa: ANN001 - in a child
    counters = _log_counters()
    for counter in counters:  # what the parent counted before the fork is its own
        counter.counts.clear()
    scan: SiteScan = _state["scan"]
    scan.findings, scan.scanned = [], set()
    if first is not None:
        first()

    def render(_: int, page):  # noqa: ANN001, ANN202
        build_one(page)
        return page

    pages = queue.drain(render)
    logged: dict[int, int] = {}
    for counter in counters[:1]:
        logged = dict(counter.counts)
    return {
        "anchors": {
            page.file.src_uri: (
                page.present_anchor_ids,
                {f.src_uri: dict(found) for f, found in (page.links_to_anchors or {}).items()},
            )
            for page in pages
        },
        "logged": logged,
        "findings": scan.findings,
        "scanned": scan.scanned,
    }


def _log_counters() -> list[mkdocs_utils.CountHandler]:
    """What ``--strict`` counts warnings with: MkDocs' handler on its logger."""
    handlers = logging.getLogger("mkdocs").handlers
    return [h for h in handlers if isinstance(h, mkdocs_utils.CountHandler)]


def _collect_when_idle(delay: float = 2.0) -> None:
    """In serve, a moment after a rebuild (the browser has reloaded): one full collection of
    what is no longer used, the frozen objects included, then the survivors frozen again.
    A rebuild starting first cancels it (``_cancel_collection``): at 10,000 papers the first
    one took about 1.5 s, holding the interpreter, and an edit right after the first build
    waited for it; the rebuild's end asks for the next."""

    def collect() -> None:
        started = time.perf_counter()
        gc.unfreeze()
        found = gc.collect()
        gc.freeze()
        log.debug("garden: %d objects collected in %.2f s", found, time.perf_counter() - started)

    _cancel_collection()
    timer = threading.Timer(delay, collect)
    timer.daemon = True
    _SERVE["collection"] = timer
    timer.start()


def _cancel_collection() -> None:
    timer = _SERVE.pop("collection", None)
    if timer is not None:
        timer.cancel()


class _OneMarkdown:
    """``markdown`` as ``mkdocs.structure.pages`` sees it: ``Markdown(...)`` returns the
    instance made before for the same configuration, reset (Python-Markdown's documented way to
    convert several documents with one instance), instead of loading every extension again for
    each page (0.5 ms a page: 6 s at 10,000 papers). MkDocs registers its per-page processors
    on it by name, which replaces the previous page's."""

    def __init__(self, module) -> None:  # noqa: ANN001 - the markdown module
        self._module = module
        self._made: tuple | None = None  # (extensions, configs, instance)

    def Markdown(self, *, extensions, extension_configs):  # noqa: N802, ANN001, ANN201
        made = self._made
        if made is None or made[0] is not extensions or made[1] is not extension_configs:
            md = self._module.Markdown(extensions=extensions, extension_configs=extension_configs)
            self._made = made = (extensions, extension_configs, md)
        return made[2].reset()

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._module, name)


def _current() -> dict:
    return _BUILD.get("state", {})


def _dest(uri: str) -> str:
    return routes.url(uri) + "index.html" if uri != routes.HOME else "index.html"


def _bibtex_registry(config, garden) -> None:
    """Give mkdocs-bibtex a registry over the garden's own reading of ``bib/``.

    Left alone, the plugin parses every ``.bib`` file again with pybtex in its ``on_config``
    (at 10,000 papers: 2.7 s and 92 MB held for the whole build) and formats each citation on
    every page with pybtex's plain style, whose LaTeX→Markdown step mangles math in titles
    (``$\\mathrm{SU}(N)$`` → ``mathrmSU(N)``). Its registry needs the keys (to check a
    citation) and the reference text (garden/pages/citations.py, formatted once per paper). This
    runs before the plugin's ``on_config``, which keeps a registry it has when no ``.bib`` file
    is newer than its ``last_configured`` (mkdocs_bibtex/plugin.py, 4.4.0)."""
    plugin = config.plugins.get("bibtex")
    if plugin is None or not hasattr(plugin, "last_configured") or plugin.config.csl_file:
        return  # not there, another version, or set to format with Pandoc and a CSL file
    registry, library = getattr(plugin, "registry", None), garden.library
    fmt = plugin.config.footnote_format
    # mkdocs serve: bib/ unchanged, the same library: the registry (and the reference texts
    # it has formatted) stays. Only serve keeps the library it was made from: in mkdocs build
    # that would hold the whole library (abstracts, BibTeX: ~80 MB at 10,000 papers) through
    # the rendering, in this process and in each worker's copy of it.
    if not (isinstance(registry, _GardenRegistry) and registry.made_from == (library, fmt)):
        plugin.registry = _GardenRegistry(citable(library), fmt)
        plugin.registry.made_from = (library, fmt) if _SERVE else ()
    plugin.last_configured = float("inf")  # the plugin's own "bib files unchanged" path


class _GardenRegistry(SimpleRegistry):
    """mkdocs-bibtex's simple registry, over the garden's papers instead of a second parse."""

    made_from: tuple = ()  # (library, footnote format), set by _bibtex_registry

    def __init__(self, papers: CitableKeys, footnote_format: str) -> None:
        self.bib_data = _Entries(papers)  # what the plugin reads: ``.entries`` keys
        self.footnote_format = footnote_format
        self._reference_text = cached_formatter(papers)

    def reference_text(self, citation) -> str:  # noqa: ANN001
        return self._reference_text(citation)


class _Entries:
    """``bib_data`` as the registry uses it: ``entries``, keys matched without case."""

    def __init__(self, papers: CitableKeys) -> None:
        self.entries = papers


def on_files(files: Files, config) -> Files:
    site: SiteFiles = _state["site"]
    for warning in _state["warnings"]:  # one bad note costs that note; --strict fails on it
        log.warning("%s", warning)
    one_at_a_time = set()  # generated pages outside the nav (see _patch_mkdocs_build)
    before, made = _SERVE.get("files", {}), {}
    by_uri = files.src_uris  # the URIs are MkDocs' already: no get_file_from_path (25,000)
    for uri, generated in site.files.items():
        if uri in by_uri:
            continue  # a page written by hand wins over a generated one
        file = before.get(uri) if uri in _state["unchanged"] else None
        if file is None:
            file = _PackedFile.generated(config, uri, content=b"")
            file.packed = generated.packed  # the text stays packed until MkDocs reads it
            if not routes.in_nav(uri):
                file.inclusion = InclusionLevel.NOT_IN_NAV
        elif file.page is not None:  # the previous build's, neither read nor rendered again
            file.page.links_to_anchors = None  # checked when it was rendered
        if not routes.in_nav(uri):
            made[uri] = file
            if uri in site.pages:
                one_at_a_time.add(uri)
        files.append(file)
    if _SERVE:
        # Outside the navigation, a file (and its page) that this build leaves unchanged is
        # taken as it is by the next: making them again (MkDocs' File and Page, 25,000 at
        # 10,000 papers) was a second of each rebuild.
        _SERVE["files"] = made
    for uri in _state["bundled"]:  # served inside the bundles (garden.theme.bundle)
        bundled = files.get_file_from_path(uri)
        if bundled is not None:
            files.remove(bundled)
    for file in [f for f in files if theme.unused_material_file(f.src_uri, f.abs_src_path)]:
        files.remove(file)
    for uri, text in _state["chrome"].items():  # the bundles, the palette script
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, content=text))
    _state["generated"] = set(site.pages)
    _state["files"] = files  # every file, for the pages rendered one at a time
    _state["one_at_a_time"] = one_at_a_time
    if not _SERVE:  # MkDocs' files hold the texts now; serve compares them with the next build
        _state["site"] = SiteFiles(titles=site.titles)
    return files


class _PackedFile(File):
    """A generated file whose text MkDocs holds as ``garden.pages.page`` packs it
    (compressed: about a fifth of the memory at 10,000 papers), unpacked each time MkDocs
    reads it (once: ``read_source`` for a page, ``copy_file`` for an asset). MkDocs 1.6 keeps
    a generated file's text in ``File._content``, which this makes a property."""

    packed: bytes | None = None

    @property
    def _content(self) -> bytes | None:
        return None if self.packed is None else unpack(self.packed)

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        if isinstance(value, str):
            value = value.encode("utf-8")
        self.packed = None if value is None else pack_bytes(value)


def on_nav(nav, config, files):
    """Home, topics, papers, authors, notes, graph: the reader's order, not the alphabet's."""
    nav.items.sort(key=lambda item: routes.nav_rank(_first_uri(item)))
    # what the chrome rendered once for many pages needs to know (garden.theme.Repeated)
    listed = {page.file.src_uri for page in nav.pages}
    _state["outside_nav"] = frozenset(_state.get("one_at_a_time", ())) - listed
    _state["chrome_targets"] = [page.url for page in nav.pages] + ["assets/"]
    _state["nav"] = nav  # for the workers _start_split starts
    return nav


def _first_uri(item) -> str:
    while getattr(item, "children", None):
        item = item.children[0]
    return item.file.src_uri if getattr(item, "file", None) else ""


def on_env(env, config, files):
    """Lines holding only a template tag are dropped, as Jinja's ``trim_blocks``/
    ``lstrip_blocks`` do (the indentation left is taken out by ``garden.theme.compact`` in
    ``on_post_page``); the text of every page, scripts included, is word for word the same
    (tests/site_build/test_one_markdown.py). The header's icons: ``garden.theme``.

    In ``mkdocs build`` the garden itself is let go here: the pages were generated from it in
    ``on_config``, and the only page that reads it again (the home page, in the navigation) has
    been rendered; the bibliography stays, for the citations of the pages still to render."""
    env.trim_blocks = env.lstrip_blocks = True
    if _SERVE:  # each rebuild has a new environment: the templates compiled once, not each time
        env.bytecode_cache = _SERVE.setdefault("templates", _TemplateCache())
    env.loader = jinja2.ChoiceLoader([env.loader, theme.material_loader()])
    env.globals["garden_repeated"] = theme.Repeated(
        _state.get("outside_nav", frozenset()), _state.get("chrome_targets", [""])
    )
    env.globals["garden_icons"] = theme.icon_roles(config.theme)
    env.globals["garden_icon_class"] = theme.icon_class
    if not _SERVE:
        _state.pop("garden", None)
        # the workers start once every plugin has set up the environment and MkDocs has
        # written the static files (_patch_mkdocs_build, _start_split)
        _state["split_with"] = (env, config)
    return env


class _TemplateCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory between ``mkdocs serve`` rebuilds (Jinja compiles a
    template again when its source changed: each entry carries the source's checksum).
    Compiling the theme's templates again was 0.25 s of each rebuild."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def on_page_markdown(markdown: str, page, config, files) -> str:
    written = _state["site"].titles.get(page.file.src_uri)
    if written is not None:  # the theme's slots get the title as escaped text, never markup
        page.meta["title"] = title(written)
    if page.file.src_uri == routes.HOME and TOPICS_MARKER in markdown:
        _state["generated"].add(routes.HOME)  # it now carries text from the notes
        markdown = home_page(_state["garden"], markdown)
    if page.file.src_uri in _state["generated"]:
        # the page's HTML parts wait beside its Markdown (garden.pages.markdown.fragment)
        markdown, page.garden_parts = split_fragments(markdown, _PART_TOKEN)
        if routes.is_paper(page.file.src_uri):
            page.meta["hide"] = [*paper_page.HIDE]
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri in _state.get("generated", ()):
        parts = getattr(page, "garden_parts", [])
        ids = fragment_ids(parts)
        if ids:  # anchors in the HTML parts, which MkDocs' own collector did not see
            page.present_anchor_ids = (page.present_anchor_ids or set()) | ids
        html = sanitize_page(html, parts, _PART_TOKEN)
        page.garden_parts = []
        page.markdown = ""  # rendered (not None: MkDocs then gives the page no title)
        page.file.content_string = ""
    return site_search.prepare_page(html, page)  # its search kind; math as text for the index


@event_priority(-100)  # after every other plugin's: the scan sees the page as it is written
def on_post_page(output: str, page, config) -> str:
    """MkDocs keeps every page's Markdown and HTML until the build ends (hundreds of MB at
    10,000 papers); once a page is written nothing reads them, so a generated page lets go."""
    filled, page.garden_filled = getattr(page, "garden_filled", None), None
    written = theme.compact(output)  # without the templates' indentation (garden/theme)
    if page.file.src_uri in _state.get("generated", ()):
        page.content = None
        if _SERVE or _state.get("scan_as_written"):  # the safety scan (see on_post_build)
            _scan_written(
                written, page.file.dest_uri, filled if filled and filled[2] is output else None
            )
    return written


def _scan_written(html: str, dest: str, filled: tuple | None) -> None:
    """The safety scan of a page as written; of a page filled into a chrome that no plugin
    changed after (``filled``: the chrome, its slots' values, the page), by its content and
    what follows (garden.checks.inert.ChromeScan), where that finds nothing."""
    scan: SiteScan = _state["scan"]
    plan = filled[0].scan_plan(dest) if filled else None
    if plan is None or not scan.filled(plan, filled[1], dest):
        scan.page(html, dest)


def on_post_template(output: str, template_name: str, config) -> str:
    """The theme's own pages (404.html) lose the indentation too; sitemap.xml stays as is."""
    return theme.compact(output) if template_name.endswith(".html") else output


def on_post_build(config) -> None:
    """Fail the build if any page could run script it should not (garden/checks/inert.py).
    In serve, the generated pages this rebuild rendered were scanned as they were written
    (on_post_page; the others were before). A build whose pages were rendered by workers
    (_Split) scanned them as written too, in each worker; the rest of the site is scanned
    here, beside Pagefind, which has the other cores (all of it with one worker)."""
    # the search index while the pages are scanned (Pagefind writes no HTML); in serve, in
    # the background, not waited for
    run = site_search.start_index(Path(config.site_dir), background=bool(_SERVE))
    scan: SiteScan = _state["scan"]
    findings = scan.findings if _SERVE else scan.rest()
    if not _SERVE:
        try:
            run.finish()
        except site_search.SearchIndexError as exc:
            raise PluginError(str(exc)) from None
    for finding in findings[:20]:
        log.error("unsafe output: %s", finding)
    if findings:
        raise PluginError(
            f"{len(findings)} unsafe element(s) in the built site (first above): a note's text "
            "got past the escaping boundary (garden/pages/escape.py); report it as a bug"
        )
    if _SERVE:  # all written and safe: the next rebuild may keep what it does not change
        _SERVE["site_dir"] = config.site_dir
        _SERVE["written"] = frozenset(file.dest_uri for file in _state["files"])
        _collect_when_idle()
        pages, kept = len(_state["site"].pages), len(_state["unchanged"] & _state["generated"])
        log.info("garden: %d of %d generated pages rendered, %d kept", pages - kept, pages, kept)
