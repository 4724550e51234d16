"""``papers/index.md`` (every paper) and the downloads: the whole garden's BibTeX, CSL-JSON
and RIS (a topic's are written with its page, ``garden.pages.topic_page``).

Every BibTeX the site gives is to cite: its entries have no abstract (``Paper.bibtex``), which
no bibliography style prints (at 10,000 papers the abstracts were 10 of the whole garden's
15.5 MB ``.bib``). The whole garden's CSL-JSON and RIS are a library to import into a reference
manager, which shows abstracts: they carry them; a topic's are a list to cite, without."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial

from garden import routes
from garden.join import Garden
from garden.pages import exports
from garden.pages.escape import attr, esc, html_text, safe_href
from garden.pages.items import short_authors
from garden.pages.markdown import fragment, html_list
from garden.pages.page import Asset, Env, Page
from garden.routes import href, link
from garden.text import slugify


def pages(env: Env) -> Iterator[Page | Asset]:
    """The bibliography page and the whole garden's downloads."""
    yield env.kept(routes.PAPERS) or Page(routes.PAPERS, render_bibliography(env.garden))
    papers = env.garden.library.papers
    for uri, parts in zip(routes.GARDEN_DOWNLOADS, GARDEN_WRITERS, strict=True):
        yield env.kept(uri) or Asset.from_parts(uri, parts(papers, env.garden))


FORMATS = ("BibTeX", "CSL-JSON", "RIS")  # the downloads, in routes.topic_downloads order


def download_links(page: str, uris: Iterable[str]) -> str:
    """``[BibTeX](…), [CSL-JSON](…), [RIS](…)``: the three downloads of a set of papers."""
    return ", ".join(
        f"[{name}]({link(page, uri)})" for name, uri in zip(FORMATS, uris, strict=True)
    )


def render_bibliography(garden: Garden) -> str:
    page = routes.PAPERS
    papers = sorted(garden.library.papers.values(), key=lambda p: (_surname(p), p.year, p.key))
    out = [
        "# Bibliography",
        "",
        f"{len(papers)} papers. Download all as "
        + download_links(page, routes.GARDEN_DOWNLOADS)
        + ".",
        "",
    ]
    # The lists are HTML, which Python-Markdown passes through (escape.html_text): at 10,000
    # papers this one page was seconds of Markdown and tens of MB of element tree.
    items = []
    for paper in papers:
        where = (
            f'<a href="{safe_href(paper.abs_url)}">arXiv:{html_text(paper.eprint)}</a>'
            if paper.eprint
            else html_text(paper.journal or "not on arXiv")
        )
        items.append(
            f"{html_text(short_authors(paper))} ({html_text(paper.year)}). "
            f"{_paper_link(page, paper)}. {where}."
        )
    if items:
        out += [fragment(html_list(items)), ""]
    return "\n".join(out + _by_category(papers, page)) + "\n"


def _paper_link(page: str, paper) -> str:  # noqa: ANN001 - a Paper
    return f'<a href="{attr(href(page, routes.paper(paper.key)))}">{html_text(paper.title)}</a>'


def categories(paper) -> list[str]:
    """The paper's arXiv categories that can name an anchor (``cs.LG``, ``cond-mat.dis-nn``)."""
    return [c for c in paper.categories if c.replace(".", "").replace("-", "").isalnum()]


def category_anchor(category: str) -> str:
    return "category-" + slugify(category)


def _by_category(papers: list, page: str) -> list[str]:
    """Each arXiv category with its papers: where a paper page's category chips lead."""
    by: dict[str, list] = {}
    for paper in papers:
        for category in categories(paper):
            by.setdefault(category, []).append(paper)
    if not by:
        return []
    out = ["", "## By arXiv category", ""]
    for category in sorted(by, key=str.casefold):
        out += ["", f"### {esc(category)} {{#{category_anchor(category)}}}", ""]
        out += [fragment(html_list([_paper_link(page, p) for p in by[category]])), ""]
    return out


def _surname(paper) -> str:
    return (
        paper.authors[0].split()[-1].casefold()
        if paper.authors and paper.authors[0].split()
        else ""
    )


def bibtex_for(keys: Iterable[str], garden: Garden) -> str:
    """A ``.bib`` file holding ``keys``, sorted by key: each paper's entry as pybtex's writer
    wrote it when the library was read (``Paper.bibtex``), a blank line between entries, as
    the writer puts them."""
    return "".join(bibtex_parts(keys, garden))


def bibtex_parts(keys: Iterable[str], garden: Garden) -> Iterator[str]:
    """``bibtex_for``'s text in parts, an entry at a time."""
    papers = garden.library.papers
    found = False
    for key in sorted(keys):
        text = papers[key].bibtex if key in papers else ""
        if text:
            yield ("\n" if found else "") + text + "\n"
            found = True


# How a topic's files of FORMATS are written: (keys, garden) -> the file's text
TOPIC_WRITERS = (
    bibtex_for,
    partial(exports.csl_json, abstracts=False),
    partial(exports.ris, abstracts=False),
)
# How the whole garden's are, in parts: its files (5-15 MB each at 10,000 papers) are packed as
# they are written, never held whole (Asset.from_parts)
GARDEN_WRITERS = (bibtex_parts, exports.csl_json_parts, exports.ris_parts)
