"""``papers/<key>.md``: what a paper is and every place the notes discuss it."""

from __future__ import annotations

from collections.abc import Iterator

from garden import routes
from garden.bibliography.library import Paper
from garden.join import Garden, Mention
from garden.pages.escape import esc
from garden.pages.items import Context, adds_to_title
from garden.pages.markdown import fence
from garden.pages.page import Env, Page
from garden.references.extract import clean_title
from garden.routes import link

CITE_ID = "cite"  # the id of the BibTeX section's heading, which search leaves out


def pages(env: Env) -> Iterator[Page]:
    for key, paper in env.garden.library.papers.items():
        uri = routes.paper(key)
        yield env.kept(uri) or Page(uri, render_paper(paper, env.garden, env.ctx(uri)), paper.title)


def render_paper(paper: Paper, garden: Garden, ctx: Context) -> str:
    out = _front_matter(paper)
    out += [f"# {esc(paper.title)}", "", _authors(paper, ctx.page), "", _facts(paper), ""]
    out += [_buttons(paper), ""]
    if paper.abstract:
        out += ["## Abstract", "", esc(paper.abstract), ""]
    out += _appears_in(paper, garden.mentions.get(paper.key, ()), ctx)
    out += [f"## Cite {{#{CITE_ID}}}", "", fence(paper.bibtex, "bibtex"), ""]
    return "\n".join(out).rstrip() + "\n"


def keep_cite_out_of_search(html: str) -> str:
    """A paper page's HTML with its BibTeX section marked for Material's search to skip.

    The BibTeX repeats the title, authors and abstract that the page's other sections already
    put in ``search_index.json``, where it was 40% of each paper's entries. Material's search
    skips a section whose heading carries ``data-search-exclude``, then drops the attribute
    (material/plugins/search/plugin.py, ``on_page_context``). Cite is the page's last heading;
    its id is set, not derived from its text, so renaming the heading keeps this working.
    """
    head, found, tail = html.rpartition(f'<h2 id="{CITE_ID}">')
    return f'{head}<h2 id="{CITE_ID}" data-search-exclude="bibtex">{tail}' if found else html


def _front_matter(paper: Paper) -> list[str]:
    if not paper.categories:
        return []
    tags = "\n".join(
        f"  - {c}" for c in paper.categories if c.replace(".", "").replace("-", "").isalnum()
    )
    return ["---", "tags:", tags, "---", ""]


def _authors(paper: Paper, page: str) -> str:
    names = [f"[{esc(name)}]({link(page, routes.author_of(name))})" for name in paper.authors]
    return '<div class="garden-authors" markdown>' + ", ".join(names) + "</div>"


def _facts(paper: Paper) -> str:
    facts = []
    if paper.published:
        facts.append(f"Published {esc(paper.published)}")
    if paper.version:
        updated = f", updated {esc(paper.updated)}" if paper.updated else ""
        facts.append(f"latest version {esc(paper.version)}{updated}")
    if paper.eprint:
        facts.append(f"arXiv:{esc(paper.eprint)}")
    if paper.primary_class:
        facts.append(f"primary category {esc(paper.primary_class)}")
    if paper.journal:
        facts.append(f"*{esc(paper.journal)}*")
    if paper.comment:
        facts.append(esc(paper.comment))
    return '<div class="garden-meta" markdown>' + " · ".join(facts) + "</div>"


def _buttons(paper: Paper) -> str:
    links = [
        (":material-file-document-outline: Abstract page", paper.abs_url),
        (":material-file-pdf-box: PDF", paper.pdf_url),
        (":material-link-variant: DOI", paper.doi_url),
    ]
    return " ".join(f"[{label}]({url}){{.md-button}}" for label, url in links if url)


def _appears_in(paper: Paper, mentions: tuple[Mention, ...], ctx: Context) -> list[str]:
    if not mentions:
        return ["## Appears in", "", "No note mentions this paper yet.", ""]
    out = ["## Appears in", ""]
    for mention in mentions:
        out += _mention(mention, paper, ctx)
    renamed: dict[str, list[str]] = {}
    for m in mentions:
        if adds_to_title(m.text, paper) and clean_title(m.text):
            renamed.setdefault(clean_title(m.text), []).append(f"{m.source.note}:{m.source.line}")
    if renamed:
        out += ["", '!!! note "As written in the notes"', ""]
        out += [f"    - “{esc(said)}” ({esc(', '.join(at))})" for said, at in renamed.items()]
        out += ["", f"    arXiv's title: “{esc(paper.title)}”.", ""]
    return out + [""]


def _mention(mention: Mention, paper: Paper, ctx: Context) -> list[str]:
    source = mention.source
    where = f"{source.note}:{source.line}"
    target = link(ctx.page, routes.line(routes.note(source.note_slug), source.line))
    note = f"[{esc(source.note_title)}]({target})"
    if mention.topic_slug:
        topic = link(ctx.page, routes.topic(mention.topic_slug))
        place = f"[{esc(mention.topic_title)}]({topic})"
        place += "".join(f" › {esc(part)}" for part in mention.section)
    else:
        place = "the note's opening lines"
    out = [f"- **{place}** — {note}, line {source.line}"]
    said = ctx.inline(mention.text, ctx.page, where)
    out.append(f'    - <span class="garden-said">{said} </span>')  # space: see items.wrap
    out += [f"        - {ctx.inline(c, ctx.page, where)}" for c in mention.comments]
    return out
