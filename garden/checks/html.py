"""Read built pages with lxml: the external links they hold and the note item each came from."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import lxml.etree
import lxml.html

_LINK_ATTRIBUTES = (("a", "href"), ("img", "src"))
_EXTERNAL_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class LinkUse:
    """One external link on one page, with the note item it was written in when the page says."""

    url: str  # without its #fragment: what is asked of the server
    page: str  # the page as a site path, "papers/x/" or "404.html"
    note: str = ""  # data-note of the nearest enclosing element, "notes/x.md"; "" if none
    line: int = 0  # data-line of that element
    text: str = ""  # the link's text, for the report


def parse_html(path: Path) -> lxml.html.HtmlElement | None:
    """The page's element tree, or None when the file holds no HTML at all."""
    try:
        return lxml.html.document_fromstring(path.read_bytes())
    except (lxml.etree.ParserError, ValueError):
        return None


def page_links(tree: lxml.html.HtmlElement, page: str) -> list[LinkUse]:
    """The http(s) links of one parsed page."""
    uses = []
    for tag, attribute in _LINK_ATTRIBUTES:
        for element in tree.iter(tag):
            url = (element.get(attribute) or "").strip()
            if urlsplit(url).scheme.lower() in _EXTERNAL_SCHEMES:
                note, line = _origin(element)
                text = " ".join(element.text_content().split()) or element.get("alt", "")
                uses.append(LinkUse(urldefrag(url).url, page, note, line, text))
    return uses


def page_name(relative: str) -> str:
    """``papers/x/index.html`` → ``papers/x/``: the address a reader sees."""
    if relative == "index.html":
        return "/"
    return relative.removesuffix("index.html")


def _origin(element: lxml.html.HtmlElement) -> tuple[str, int]:
    for ancestor in chain([element], element.iterancestors()):
        note = ancestor.get("data-note")
        if note:
            line = ancestor.get("data-line", "")
            return note, int(line) if line.isdigit() else 0
    return "", 0
