"""``previews/<key>.json``: what a paper's hover card shows (assets/javascripts/previews.js).

One small file per paper, fetched the first time a link to that paper is hovered or
focused. Not one file per page listing the papers it links: a paper linked from 30 pages
would be written 30 times (a topic page links hundreds), and each page's file would be
fetched again on every page. One per paper writes each paper once (about 400 bytes, so
~4 MB at 10,000 papers, none of it loaded until asked), and the browser's cache keeps a
card it has fetched for every page that links the paper. It depends on ``bib/`` alone, so
an edit to a note never rewrites one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from garden import routes
from garden.bibliography.library import Paper
from garden.pages.page import Asset, Env
from garden.site_search.tex import tex_to_text

NAMED_AUTHORS = 3  # then "et al."
ABSTRACT_CHARS = 240  # the card shows two lines of it; the rest is never read
# A formula in a title or abstract: the card shows text (no KaTeX in it), "sin Θ" for $\sin
# \Theta$, as the search results do (garden.site_search.tex).
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)", re.S)


def pages(env: Env) -> Iterator[Asset]:
    for key, paper in env.garden.library.papers.items():
        uri = routes.preview(key)
        yield env.kept(uri) or Asset(uri, preview_json(paper))


def preview_json(paper: Paper) -> str:
    card = {
        "title": math_as_text(paper.title),
        "authors": _authors(paper),
        "year": paper.year,
        "abstract": _opening(math_as_text(paper.abstract)),
    }
    return json.dumps(card, ensure_ascii=False, separators=(",", ":")) + "\n"


def math_as_text(text: str) -> str:
    return _MATH.sub(lambda m: tex_to_text(next(g for g in m.groups() if g is not None)), text)


def _authors(paper: Paper) -> str:
    names = list(paper.authors)
    if len(names) > NAMED_AUTHORS or (paper.more_authors and names):
        return ", ".join(names[:NAMED_AUTHORS]) + " et al."
    return ", ".join(names)


def _opening(abstract: str) -> str:
    """The abstract's first ``ABSTRACT_CHARS`` characters, cut at a word, with "…"."""
    if len(abstract) <= ABSTRACT_CHARS:
        return abstract
    cut = abstract[:ABSTRACT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
