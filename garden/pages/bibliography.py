"""``papers/index.md`` (every paper) and the downloads: the whole garden's BibTeX, CSL-JSON
and RIS (a topic's are written with its page, ``garden.pages.topic_page``).

A garden of more than ``LIST_PAPERS`` papers gets a bibliography of several pages instead
(``bibliography_pages``): ``papers/index.md`` lists its pages, each of up to ``LIST_PAPERS``
papers in the same order (by first author), and each arXiv category's pages, where a paper's
category chips lead. One page of every paper was 4 MB of HTML at 10,000 papers, and Chromium
took 7-8 s to show it (KaTeX rendering its titles' 2,178 formulas) and 12-14 s to load it.

Every BibTeX the site gives is to cite: its entries have no abstract (``Paper.bibtex``), which
no bibliography style prints (at 10,000 papers the abstracts were 10 of the whole garden's
15.5 MB ``.bib``). The whole garden's CSL-JSON and RIS are a library to import into a reference
manager, which shows abstracts: they carry them; a topic's are a list to cite, without."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import NamedTuple

from garden import routes
from garden.join import Garden
from garden.pages import exports
from garden.pages.escape import attr, esc, html_text, safe_href
from garden.pages.items import short_authors
from garden.pages.markdown import fragment, html_list
from garden.pages.page import Asset, Env, Page
from garden.routes import href, link
from garden.text import slugify

LIST_PAPERS = 500  # the most papers one page of the bibliography lists


def pages(env: Env) -> Iterator[Page | Asset]:
    """The bibliography's page (or pages) and the whole garden's downloads."""
    for uri, render in bibliography_pages(env.garden):
        yield env.kept(uri) or Page(uri, render())
    papers = env.garden.library.papers
    for uri, parts in zip(routes.GARDEN_DOWNLOADS, GARDEN_WRITERS, strict=True):
        yield env.kept(uri) or Asset.from_parts(uri, parts(papers, env.garden))


FORMATS = ("BibTeX", "CSL-JSON", "RIS")  # the downloads, in routes.topic_downloads order


def download_links(page: str, uris: Iterable[str]) -> str:
    """``[BibTeX](…), [CSL-JSON](…), [RIS](…)``: the three downloads of a set of papers."""
    return ", ".join(
        f"[{name}]({link(page, uri)})" for name, uri in zip(FORMATS, uris, strict=True)
    )


def split(garden: Garden) -> bool:
    """Whether the garden's bibliography is on several pages (``bibliography_pages``)."""
    return len(garden.library.papers) > LIST_PAPERS


def category_href(page: str, category: str, garden: Garden) -> str:
    """Where the chip of arXiv category ``category`` on ``page`` leads: the category's list."""
    if split(garden):
        return href(page, _category_uri(category, 1))
    return f"{href(page, routes.PAPERS)}#{category_anchor(category)}"


def bibliography_pages(garden: Garden) -> list[tuple[str, Callable[[], str]]]:
    """Each page of the bibliography, by URI, with what renders its Markdown: ``papers/index.md``
    listing every paper, or, past ``LIST_PAPERS`` papers (``split``), listing the pages of
    ``LIST_PAPERS`` papers each (``routes.bibliography_part``, by first author as on one page)
    and of each arXiv category (``routes.category_part``)."""
    if not split(garden):
        return [(routes.PAPERS, partial(render_bibliography, garden))]
    papers = _sorted_papers(garden)
    parts = _parts(papers, routes.bibliography_part)
    by_category = _categorised(papers)
    listed = {c: _parts(ps, partial(_category_uri, c)) for c, ps in by_category.items()}
    out = [(routes.PAPERS, partial(_render_index, len(papers), parts, listed))]
    for number in range(len(parts)):
        out.append((parts[number].uri, partial(_render_part, "Bibliography", parts, number, _item)))
    for category, its_parts in listed.items():
        title = f"arXiv category {category}"
        out += [  # titles only, as the one page lists a category's papers
            (its_parts[n].uri, partial(_render_part, title, its_parts, n, _paper_link))
            for n in range(len(its_parts))
        ]
    return out


def _category_uri(category: str, number: int) -> str:
    return routes.category_part(slugify(category), number)


def _categorised(papers: list) -> dict[str, list]:
    """Each arXiv category (in case-blind order) with its papers, in the order of ``papers``."""
    by: dict[str, list] = {}
    for paper in papers:
        for category in categories(paper):
            by.setdefault(category, []).append(paper)
    return {category: by[category] for category in sorted(by, key=str.casefold)}


class _Part(NamedTuple):
    """A page of a split bibliography."""

    uri: str
    label: str  # the first authors of its first and of its last paper
    papers: list


def _parts(papers: list, uri_of: Callable[[int], str]) -> list[_Part]:
    """``papers`` (sorted) in pages of ``LIST_PAPERS``, the ``number``-th (from 1) at
    ``uri_of(number)``."""
    chunks = [papers[at : at + LIST_PAPERS] for at in range(0, len(papers), LIST_PAPERS)]
    labels = [_label(chunk[0], chunk[-1]) for chunk in chunks]
    return [_Part(uri_of(n + 1), labels[n], chunks[n]) for n in range(len(chunks))]


def _label(first, last) -> str:  # noqa: ANN001 - Papers
    """``Akemann – Bengio``: the first authors' surnames of a page's first and last paper."""
    names = [_first_surname(first) or "(no author)", _first_surname(last) or "(no author)"]
    return names[0] if names[0] == names[1] else " – ".join(names)


def _first_surname(paper) -> str:  # noqa: ANN001 - a Paper
    """The last word of the paper's first author's name; "" without one."""
    words = paper.authors[0].split() if paper.authors else []
    return words[-1] if words else ""


def _render_index(count: int, parts: list[_Part], listed: dict) -> str:
    """``papers/index.md`` of a split bibliography: its pages, then each category's first."""
    page = routes.PAPERS
    out = [
        "# Bibliography",
        "",
        f"{_papers(count)}, {LIST_PAPERS} a page, by first author. Download all as "
        + download_links(page, routes.GARDEN_DOWNLOADS)
        + ".",
        "",
        fragment(
            html_list([f"{_a(page, p.uri, p.label)} ({_papers(len(p.papers))})" for p in parts])
        ),
        "",
    ]
    if listed:
        items = [
            f"{_a(page, its_parts[0].uri, category)} ({_papers(_count(its_parts))})"
            for category, its_parts in listed.items()
        ]
        out += ["## By arXiv category", "", fragment(html_list(items)), ""]
    return "\n".join(out) + "\n"


def _count(parts: list[_Part]) -> int:
    return sum(len(part.papers) for part in parts)


def _papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count:,} papers"


def _a(page: str, uri: str, text: str) -> str:
    """A link from ``page`` to the page ``uri`` (HTML), its text ``text``."""
    return f'<a href="{attr(href(page, uri))}">{html_text(text)}</a>'


def _render_part(
    title: str, parts: list[_Part], number: int, item: Callable[[str, object], str]
) -> str:
    """One page of a split list: its papers (each as ``item(page, paper)`` writes it), and
    links to the pages before and after it and to the bibliography's index."""
    uri, label, papers = parts[number]
    first, total = _count(parts[:number]) + 1, _count(parts)
    links = [_a(uri, routes.PAPERS, "All of the bibliography")]
    if number > 0:
        links.insert(0, "← " + _a(uri, parts[number - 1].uri, parts[number - 1].label))
    if number + 1 < len(parts):
        links.append(_a(uri, parts[number + 1].uri, parts[number + 1].label) + " →")
    pager = fragment(f'<p class="garden-pager">{" · ".join(links)}</p>')
    heading = f"Papers {first:,}–{first + len(papers) - 1:,} of {total:,}, by first author"
    return "\n".join(
        [
            f"# {esc(title)}: {esc(label)}",
            "",
            f"{heading} (page {number + 1} of {len(parts)}).",
            "",
            pager,
            "",
            fragment(html_list([item(uri, paper) for paper in papers])),
            "",
            pager,
            "",
        ]
    )


def _sorted_papers(garden: Garden) -> list:
    """By first author's surname (case-blind), year and key: the bibliography's order."""
    papers = garden.library.papers.values()
    return sorted(papers, key=lambda p: (_first_surname(p).casefold(), p.year, p.key))


def _item(page: str, paper) -> str:  # noqa: ANN001 - a Paper
    """A paper as the bibliography lists it: authors (year). Title. Where it is."""
    where = (
        f'<a href="{safe_href(paper.abs_url)}">arXiv:{html_text(paper.eprint)}</a>'
        if paper.eprint
        else html_text(paper.journal or "not on arXiv")
    )
    return (
        f"{html_text(short_authors(paper))} ({html_text(paper.year)}). "
        f"{_paper_link(page, paper)}. {where}."
    )


def render_bibliography(garden: Garden) -> str:
    page = routes.PAPERS
    papers = _sorted_papers(garden)
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
    items = [_item(page, paper) for paper in papers]
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
    by = _categorised(papers)
    if not by:
        return []
    out = ["", "## By arXiv category", ""]
    for category, its_papers in by.items():
        out += ["", f"### {esc(category)} {{#{category_anchor(category)}}}", ""]
        out += [fragment(html_list([_paper_link(page, p) for p in its_papers])), ""]
    return out


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
