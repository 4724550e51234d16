"""``papers/<key>.md``: what a paper is and every place the notes discuss it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from garden import routes
from garden.bibliography.csl import citations
from garden.bibliography.library import Paper
from garden.join import Garden, Mention
from garden.join import topic_title as section_title
from garden.pages.bibliography import categories, category_href
from garden.pages.escape import attr, code_block, esc, html_text, plain_html, safe_href
from garden.pages.items import Context, comment_span, resource_link, said_about
from garden.pages.markdown import fragment, html_div, html_link, html_list
from garden.pages.names import BUTTONS_CLASS, CITATIONS_ID, CITE_ID, RELATED_CLASS, RELATED_ID
from garden.pages.page import Env, Page
from garden.references.comment import FUZZY
from garden.routes import author_slug, href, link
from garden.theme import inline_icon

# The ids of the page's headings: fixed, the title's too, so that no title takes a section's.
TITLE_ID = "title"
ABSTRACT_ID = "abstract"
APPEARS_ID = "appears-in"


def pages(env: Env) -> Iterator[Page]:
    for key in env.garden.library.papers:
        yield page(env, key)


def page(env: Env, key: str) -> Page:
    """The page of the paper ``key`` (the garden's pages are shared out by key between
    processes: garden.pages.site)."""
    paper = env.garden.library.papers[key]
    uri = routes.paper(key)
    return env.kept(uri) or Page(uri, render_paper(paper, env.garden, env.ctx(uri)), paper.title)


def render_paper(paper: Paper, garden: Garden, ctx: Context) -> str:
    out = _categories(paper, ctx.page, garden)
    authors = _authors(paper, ctx.page, garden)
    out += [f"# {esc(paper.title)} {{#{TITLE_ID}}}", "", authors, "", _facts(paper), ""]
    out += [_buttons(paper), ""]
    if paper.abstract:
        plain = plain_html(paper.abstract)
        abstract = fragment(f"<p>{plain}</p>") if plain is not None else esc(paper.abstract)
        out += [section_heading("Abstract", ABSTRACT_ID), "", abstract, ""]
    out += _appears_in(paper, garden.mentions.get(paper.key, ()), ctx)
    neighbours = garden.similar.papers.get(paper.key, ())
    heading = section_heading("Related papers", RELATED_ID)
    out += related_papers(neighbours, garden, ctx.page, heading)
    out += _citations(paper, garden, ctx.page)
    out += _cite(paper, garden.library.styled.get(paper.key))
    return "\n".join(out).rstrip() + "\n"


def section_heading(text: str, anchor: str) -> str:
    """A section heading of a paper page (``text``: plain text of ours), as HTML: the page has
    no table of contents (``HIDE``), so Python-Markdown's toc has nothing to do with it, and
    it carries no permalink sign (5 headings, 0.4 KB of every paper page)."""
    return fragment(f'<h2 id="{anchor}">{text}</h2>')


def related_papers(
    neighbours, garden: Garden, page: str, heading: str = f"## Related papers {{#{RELATED_ID}}}"
) -> list[str]:
    """The "Related papers" section (``garden.join.similar``): each a link and the terms it
    shares most with this page's paper or topic; nothing when none is close enough. Its
    heading is Markdown (in a topic page's table of contents) unless another is given.

    Written as HTML (``escape.html_text``), which Python-Markdown passes through: ten links a
    page were a quarter of a paper page's Markdown time, and the titles are on many pages."""
    if not neighbours:
        return []
    # Out of the search index (garden.site_search.run.EXCLUDE_SELECTORS): the titles are other
    # pages', and would make this page a hit for them.
    items = []
    for n in neighbours:
        other = garden.library.papers[n.key]
        why = ", ".join(f"<em>{html_text(term)}</em>" for term in n.terms)
        items.append(
            f'<a href="{attr(href(page, routes.paper(n.key)))}">{html_text(other.title)}</a>'
            + (f" — shared terms: {why}" if why else "")
        )
    return [heading, "", fragment(html_div(RELATED_CLASS, html_list(items))), ""]


def _cite(paper: Paper, stored: Mapping | None) -> list[str]:
    """The paper formatted in each style (garden.bibliography.csl.STYLES; ``stored``: its
    entry in bib/styled.json) and as BibTeX (``Paper.bibtex``: an entry to paste into a paper's
    .bib, without the abstract), each a code block Material gives a copy button.
    Written as HTML (escape.code_block), not as fences: Pygments' pass over four blocks a
    page was a third of a paper page's Markdown time, for colours no one copying needs.
    The whole section is one HTML block (the labels are ours), which Python-Markdown passes
    through."""
    parts = [*citations(paper, stored), ("BibTeX", paper.bibtex)]
    body = "\n".join(
        f"<p><strong>{html_text(label)}</strong></p>\n{code_block(text)}" for label, text in parts
    )
    return [section_heading("Cite", CITE_ID), "", fragment(html_div("garden-citations", body)), ""]


def _categories(paper: Paper, page: str, garden: Garden) -> list[str]:
    """The arXiv categories as chips above the title, each linking to its list in the
    bibliography (``bibliography.category_href``).

    Written here rather than as ``tags:`` for Material's tags plugin: its chips link only to
    a listing the plugin rendered in the same build, and ``mkdocs serve`` renders only the
    pages an edit changed (hooks.py), so the chips of a re-rendered page would link nowhere.

    The head of the page (chips, authors, buttons) is HTML, which Python-Markdown passes
    through (``escape.html_text``, ``routes.href``): the same page, in a third of the time.
    """
    chips = [
        f'<a class="md-tag" href="{attr(category_href(page, c, garden))}">{html_text(c)}</a>'
        for c in categories(paper)
    ]
    if not chips:
        return []
    return [fragment(html_div("md-tags garden-categories", f"<p>{' '.join(chips)}</p>")), ""]


def _authors(paper: Paper, page: str, garden: Garden) -> str:
    """The authors' names, each a link to the author's page, or, for an author of no other
    paper here (who has none: ``Garden.author_pages``), to their entry on a page shared with
    others (``Garden.author_group_of``)."""
    names = [
        f'<a href="{attr(href(page, _author_uri(name, garden)))}">{html_text(name)}</a>'
        for name in paper.authors
    ]
    more = " and others" if paper.more_authors else ""
    names_html = ", ".join(names) + more
    return fragment(html_div("garden-authors", f"<p>{names_html}</p>" if names_html else ""))


def _author_uri(name: str, garden: Garden) -> str:
    slug = author_slug(name)
    group = garden.author_group_of.get(slug)
    return f"{group}#{slug}" if group else routes.author(slug)


def _facts(paper: Paper) -> str:
    """Dates, version, arXiv ID and link, category, journal, arXiv's comment: HTML when every
    part is plain text (``escape.plain_html``), else Markdown (a comment may hold math or a
    URL to link)."""
    fields = {
        "published": paper.published,
        "version": paper.version,
        "updated": paper.updated,
        "eprint": paper.eprint,
        "primary": paper.primary_class,
        "journal": paper.journal,
        "comment": paper.comment,
    }
    given = {name: value for name, value in fields.items() if value}
    shown = {name: plain_html(value, inline=True) for name, value in given.items()}
    as_html = None not in shown.values()
    if not as_html:
        shown = {name: esc(value) for name, value in given.items()}
    facts = [f"Published {shown['published']}"] if "published" in shown else []
    if "version" in shown:
        updated = f", updated {shown['updated']}" if "updated" in shown else ""
        facts.append(f"latest version {shown['version']}{updated}")
    if "eprint" in shown:
        arxiv = f"arXiv:{shown['eprint']}"
        url = paper.abs_url
        facts.append(f'<a href="{safe_href(url)}">{arxiv}</a>' if as_html else f"[{arxiv}]({url})")
    if "primary" in shown:
        facts.append(f"primary category {shown['primary']}")
    if "journal" in shown:
        journal = shown["journal"]
        facts.append(f"<em>{journal}</em>" if as_html else f"*{journal}*")
    facts += [shown["comment"]] if "comment" in shown else []
    line = " · ".join(facts)
    if as_html:
        return fragment(html_div("garden-meta", f"<p>{line}</p>"))
    return f'<div class="garden-meta" markdown>{line}</div>'


# The buttons' icons, drawn by the site's icon stylesheet (garden.theme.icons_css): Material's
# inline SVG was 0.7 KB of every paper page (7 MB at 10,000 papers).
PAPER_ICON = "material/file-document-outline"  # a paper: its abstract page, a note's chip
LINK_ICONS = (PAPER_ICON, "material/file-pdf-box", "material/link-variant")  # arXiv, PDF, DOI
CITE_ICON = "material/format-quote-close"  # to the page's Cite section
BUTTON_ICONS = (*LINK_ICONS, CITE_ICON)

# What Material leaves out of a paper page (page.meta["hide"], set by the MkDocs glue; the
# site's main.html then writes no sidebar for it at all): the table of contents, the same five
# sections on every paper page and 1.3 KB of it (12 MB at 10,000 papers). The one a reader
# jumps to, Cite, is a button beside Abstract page and PDF.
HIDE = ("toc",)


def _buttons(paper: Paper) -> str:
    urls = [paper.abs_url, paper.pdf_url, paper.doi_url]
    links = zip(LINK_ICONS, ["Abstract page", "PDF", "DOI"], urls, strict=True)
    buttons = [
        f'<a class="md-button" href="{safe_href(url)}">{inline_icon(icon)} {label}</a>'
        for icon, label, url in links
        if url
    ]
    buttons.append(f'<a class="md-button" href="#{CITE_ID}">{inline_icon(CITE_ICON)} Cite</a>')
    # out of the search index (garden.site_search.run.EXCLUDE_SELECTORS): every paper has them
    return fragment(f'<p class="{BUTTONS_CLASS}">{" ".join(buttons)}</p>')


def _appears_in(paper: Paper, mentions: tuple[Mention, ...], ctx: Context) -> list[str]:
    heading = section_heading("Appears in", APPEARS_ID)
    if not mentions:
        return [heading, "", "No note mentions this paper yet.", ""]
    out = [heading, ""]
    for group in _by_place(mentions):
        out += _place(group, paper, ctx)
    return out + [""] + _as_written(paper, mentions)


# Read by the site's readers, not only its author: what is known, then how it gets known.
# (HTML, as Markdown would write it: on nearly every paper page, it need not be Markdown)
_FETCH = "from Semantic Scholar (<code>scripts/fetch_citations.py</code>)"
# No citation data in the garden yet (bib/citations/ empty): on every paper page
NO_CITATION_DATA = f"<p>Not known yet: no citation data has been fetched {_FETCH}.</p>"
# Data for others, not this paper (added since the last fetch): who cites it is known above
NOT_ASKED = f"<p>What it cites is not known yet: its references have not been fetched {_FETCH}.</p>"


def _citations(paper: Paper, garden: Garden, page: str) -> list[str]:
    """Which papers of the garden cite this one and which it cites, from ``bib/citations/``
    (Semantic Scholar); where that data is missing, a line saying so, never a guess."""
    index = garden.citations
    out = [section_heading("Citations in your garden", CITATIONS_ID), ""]
    if not paper.eprint:
        return out + [
            "No citation data: citations are asked of Semantic Scholar by arXiv ID, and this "
            "paper has none.",
            "",
        ]
    cited_by = index.cited_by.get(paper.key, ())
    if cited_by:
        out += [f"**Cited here by {_papers(len(cited_by))} in your garden**", ""]
        out += _paper_list(cited_by, garden, page)
    elif index.has_data:
        known = len(index.asked) - (paper.key in index.asked)
        out += [
            f"Cited here by none of the {known} other papers whose references are known.",
            "",
        ]
    if paper.key in index.asked:
        cites = index.cites.get(paper.key, ())
        record = garden.library.citations[paper.key]
        listed = len(record.references) + record.without_arxiv
        source = (
            f"Semantic Scholar lists {listed} reference{'s' * (listed != 1)}, asked "
            f"{esc(index.asked[paper.key])}"
        )
        if cites:
            out += [f"**Cites {_papers(len(cites))} in your garden** ({source})", ""]
            out += _paper_list(cites, garden, page)
        else:
            out += [f"Cites none of the other papers in your garden ({source}).", ""]
    elif paper.key in index.unknown:
        out += [
            f"Semantic Scholar has no record of arXiv:{esc(paper.eprint)} (asked "
            f"{esc(index.unknown[paper.key])}): what it cites is not known.",
            "",
        ]
    else:
        known = index.has_data or cited_by
        out += [fragment(NOT_ASKED if known else NO_CITATION_DATA), ""]
    return out


def _papers(count: int) -> str:
    return f"{count} paper{'s' * (count != 1)}"


def _paper_list(keys: tuple[str, ...], garden: Garden, page: str) -> list[str]:
    papers = garden.library.papers
    out = []
    for key in keys:
        year = f" ({esc(papers[key].year)})" if papers[key].year else ""
        out.append(f"- [{esc(papers[key].title or key)}]({link(page, routes.paper(key))}){year}")
    return out + [""]


def _by_place(mentions: tuple[Mention, ...]) -> list[list[Mention]]:
    """Mentions in one section of one note, together: "Research map, lines 28, 34"."""
    groups: dict[tuple, list[Mention]] = {}
    for m in mentions:
        groups.setdefault((m.topic_slug, m.section, m.source.note), []).append(m)
    return list(groups.values())


def _place(group: list[Mention], paper: Paper, ctx: Context) -> list[str]:
    """Where the notes mention the paper: the topic (and the sections under it), the note and
    its lines, written as HTML (ours, every text through ``escape.html_text``); then what they
    say there, the notes' own Markdown."""
    first, page = group[0], ctx.page
    if first.topic_slug:
        place = html_link(page, routes.topic(first.topic_slug), first.topic_title)
        place += "".join(f" › {html_text(section_title(part))}" for part in first.section)
    else:
        place = "the note's opening lines"
    source = first.source
    note = routes.note(source.note_slug)
    lines = sorted({m.source.line for m in group})
    at = [f'<a href="{attr(href(page, routes.line(note, n)))}">{n}</a>' for n in lines]
    where = f"line {at[0]}" if len(at) == 1 else f"lines {', '.join(at)}"
    in_note = html_link(page, note, source.note_title)
    out = ["- " + fragment(f"<strong>{place}</strong> — {in_note}, {where}")]
    for mention in group:
        out += _said(mention, paper, ctx)
    return out


def _as_written(paper: Paper, mentions: tuple[Mention, ...]) -> list[str]:
    """Titles the notes spell differently from the bibliography (an older version, typos)."""
    renamed: dict[str, list[str]] = {}
    for m in mentions:
        said = said_about(m.text, paper)
        if said.how == FUZZY and said.written_title:
            renamed.setdefault(said.written_title, []).append(f"{m.source.note}:{m.source.line}")
    if not renamed:
        return []
    whose = "arXiv's title" if paper.eprint else f"The title in {paper.source or 'bib/'}"
    out = ['!!! note "As written in the notes"', ""]
    out += [f"    - “{esc(said)}” ({esc(', '.join(at))})" for said, at in renamed.items()]
    return out + ["", f"    {esc(whose)}: “{esc(paper.title)}”.", ""]


def _said(mention: Mention, paper: Paper, ctx: Context) -> list[str]:
    """What the note says there besides the title: the comment, other links, the lines
    written under it (not a bare link's title, which is the paper's title again)."""
    where = f"{mention.source.note}:{mention.source.line}"
    said = said_about(mention.text, paper)
    parts = [comment_span(said.comment, ctx, where)] if said.comment else []
    parts += [resource_link(lk) for lk in said.links]
    remarks = [c for c in mention.comments if _adds_to(c, paper)]
    out = ["    - " + " ".join(parts)] if parts else []
    pad = "        " if parts else "    "
    return out + [f"{pad}- {ctx.inline(c, ctx.page, where)}" for c in remarks]


def _adds_to(text: str, paper: Paper) -> bool:
    """A line under a mention that is not the paper's title again (a bare link's title)."""
    said = said_about(text, paper)
    return bool(said.comment or said.links)
