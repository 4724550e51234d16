"""The garden as a library: a project folder in, every generated page and asset out.

``build_pages`` runs the pipeline (notes → references → bibliography → join → pages) with no
MkDocs in it; ``hooks.py`` merely calls it, and ``python -m garden build-pages DIR`` writes the
same files as plain Markdown plus assets, for another engine (ProperDocs, Zensical) or to read.
A page's Markdown still carries the note's raw HTML: an engine that renders it must sanitise
the HTML it gets (``garden.pages.sanitize.sanitize``), as the MkDocs glue does. Many generated
parts (a paper page's head, facts, abstract, the places it appears in, related papers, the Cite
section; a topic page's paper lines) are HTML whose links are the directory URLs MkDocs writes
(``routes.href``), for an engine that serves pages the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from garden import routes
from garden.bibliography.library import load_library
from garden.bibliography.storage import write_atomic
from garden.join import Garden, build_garden
from garden.join.similar import seed_when_read, vectorize_beside
from garden.notes import NoteError
from garden.notes.history import note_dates
from garden.notes.read import load_notes_beside
from garden.pages.home import TOPICS_MARKER, render_home
from garden.pages.page import Page
from garden.pages.site import SiteFiles, generate_site


class OptionsError(ValueError):
    """A garden option in ``mkdocs.yml`` (``extra: garden:``) that is unknown or mistyped."""


@dataclass(frozen=True)
class Project:
    """Where a garden's inputs are, relative to its root (the folder of ``mkdocs.yml``)."""

    root: Path
    notes: str = "notes"
    bib: str = "bib"
    docs: str = "docs"
    site_url: str = ""  # mkdocs.yml's site_url: the feed's links are absolute with it

    @classmethod
    def from_options(
        cls, root: Path, options: object, docs: str = "docs", site_url: str = ""
    ) -> Project:
        """The project as ``mkdocs.yml`` sets it under ``extra: garden:`` (``notes``, ``bib``:
        folders relative to the root); an unknown key or a wrong type is an ``OptionsError``."""
        if options is None:
            options = {}
        if not isinstance(options, dict):
            raise OptionsError("extra.garden must be a mapping, e.g. {notes: notes, bib: bib}")
        known = {"notes", "bib"}
        for key, value in options.items():
            if key not in known:
                raise OptionsError(
                    f"extra.garden.{key}: unknown option; known: {', '.join(sorted(known))}"
                )
            if not isinstance(value, str) or not value.strip():
                raise OptionsError(f"extra.garden.{key}: must be a folder name, not {value!r}")
            if Path(value).is_absolute() or ".." in Path(value).parts:
                raise OptionsError(
                    f"extra.garden.{key}: {value!r} must be a folder inside the project"
                )
        return cls(root, docs=docs, site_url=site_url or "", **options)


@dataclass
class Built:
    garden: Garden
    site: SiteFiles
    warnings: list[str] = field(default_factory=list)  # "file:line: message", each once


def build_pages(project: Project) -> Built:
    """Every generated file of the garden at ``project``.

    A bad note is a warning (in ``warnings``) and costs only that note; a broken ``bib/`` is
    fatal (``garden.bibliography.library.LibraryError``, naming file and line). Call it from
    a process of one thread: at 1,000 papers or more, with more than one worker
    (``garden.workers``), it forks a process for the notes (while this one reads ``bib/``),
    one for the related papers and one for some of the pages, each while this one does other
    work.
    """
    root = project.root.resolve()
    problems: list[NoteError] = []
    read_notes = load_notes_beside(root / project.notes, root, problems)  # beside bib/
    try:
        library = load_library(root / project.bib)
    except BaseException:
        read_notes.stop()
        raise
    seed_similar = vectorize_beside(library)  # related papers, beside the notes' reading
    notes = read_notes.join()
    added = note_dates(root, [note.path for note in notes])
    similar_cache: dict = {}
    seed_when_read(similar_cache, seed_similar)  # the fork joined when the pages need them
    garden = build_garden(notes, library, added, similar_cache)  # its related papers: lazy
    site = generate_site(garden, site_url=project.site_url, fork=True)  # some pages forked
    return assemble(project, garden, site, problems)


def assemble(project: Project, garden: Garden, site: SiteFiles, problems: list) -> Built:
    """The garden's files as published: the home page with the hand-written intro, if there is
    one, and every warning once (notes, bibliography, pages)."""
    intro = project.root.resolve() / project.docs / routes.HOME
    if intro.is_file():
        text = intro.read_text("utf-8")
        if TOPICS_MARKER in text:
            site.files[routes.HOME] = Page(routes.HOME, home_page(garden, text))
    warnings = [str(p) for p in problems] + list(garden.library.warnings) + site.problems
    return Built(garden, site, list(dict.fromkeys(warnings)))


def home_page(garden: Garden, intro: str) -> str:
    """The home page: a hand-written intro with the garden's topics where it has the marker."""
    return render_home(garden, intro=intro)


def write_pages(site: SiteFiles, out: Path) -> list[Path]:
    """Write every page (Markdown) and asset of ``site`` under ``out``; unchanged files are
    left alone, each changed one replaced atomically. Returns the paths written."""
    written = []
    for uri, file in site.files.items():
        content = file.text
        path = out / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        if write_atomic(path, content):
            written.append(path)
    return written
