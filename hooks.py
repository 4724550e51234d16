"""MkDocs glue: load notes and ``bib/``, generate the garden's pages, sanitise what they render.

Everything here moves data between MkDocs and ``garden``'s pure functions. Hooks live on
across ``mkdocs serve`` rebuilds, so all per-build state is reset in ``on_config``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from garden import routes
from garden.bibliography.library import LibraryError
from garden.build import OptionsError, Project, build_pages, home_page
from garden.checks.inert import scan_site
from garden.notes import NoteError
from garden.pages.citations import cached_formatter
from garden.pages.escape import title
from garden.pages.home import TOPICS_MARKER
from garden.pages.paper_page import keep_cite_out_of_search
from garden.pages.sanitize import sanitize
from garden.pages.site import SiteFiles

log = logging.getLogger("mkdocs.plugins.garden")
_state: dict = {}


@event_priority(100)  # before mkdocs-bibtex, which dies with a traceback on a broken .bib
def on_config(config):
    _state.clear()
    root = Path(config.config_file_path).resolve().parent
    try:
        docs = Path(config.docs_dir).resolve().relative_to(root).as_posix()
        project = Project.from_options(root, config.extra.get("garden"), docs=docs)
        built = build_pages(project)
    except (NoteError, LibraryError, OptionsError) as exc:
        raise PluginError(str(exc)) from None
    _state["garden"], _state["site"], _state["warnings"] = built.garden, built.site, built.warnings
    return config


def on_pre_build(config) -> None:
    _format_citations_once(config, _state["garden"])


def _format_citations_once(config, garden) -> None:
    """Hand mkdocs-bibtex our cached, math-safe reference text (see garden/pages/citations.py).

    The plugin builds its registry in its own ``on_config``, so this runs later. Upstream
    formats each citation on every page: mkdocs_bibtex/registry.py,
    ``SimpleRegistry.reference_text``.
    """
    plugin = config.plugins.get("bibtex")
    registry = getattr(plugin, "registry", None)
    if registry is not None:
        registry.reference_text = cached_formatter(garden.library)


def on_files(files: Files, config) -> Files:
    site: SiteFiles = _state["site"]
    for warning in _state["warnings"]:  # one bad note costs that note; --strict fails on it
        log.warning("%s", warning)
    for uri, content in {**site.pages, **site.assets}.items():
        if files.get_file_from_path(uri) is not None:
            continue  # a page written by hand wins over a generated one
        file = File.generated(config, uri, content=content)
        if not routes.in_nav(uri):
            file.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(file)
    _state["generated"] = set(site.pages)
    return files


def on_nav(nav, config, files):
    """Home, topics, papers, authors, notes, graph: the reader's order, not the alphabet's."""
    nav.items.sort(key=lambda item: routes.nav_rank(_first_uri(item)))
    return nav


def _first_uri(item) -> str:
    while getattr(item, "children", None):
        item = item.children[0]
    return item.file.src_uri if getattr(item, "file", None) else ""


def on_page_markdown(markdown: str, page, config, files) -> str:
    written = _state["site"].titles.get(page.file.src_uri)
    if written is not None:  # the theme's slots get the title as escaped text, never markup
        page.meta["title"] = title(written)
    if page.file.src_uri == routes.HOME and TOPICS_MARKER in markdown:
        _state["generated"].add(routes.HOME)  # it now carries text from the notes
        return home_page(_state["garden"], markdown)
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri in _state.get("generated", ()):
        html = sanitize(html)
        if routes.is_paper_page(page.file.src_uri):
            html = keep_cite_out_of_search(html)
    return html


def on_post_build(config) -> None:
    """Fail the build if any page could run script it should not (garden/checks/inert.py)."""
    findings = scan_site(Path(config.site_dir))
    for finding in findings[:20]:
        log.error("unsafe output: %s", finding)
    if findings:
        raise PluginError(
            f"{len(findings)} unsafe element(s) in the built site (first above): a note's text "
            "got past the escaping boundary (garden/pages/escape.py); report it as a bug"
        )
