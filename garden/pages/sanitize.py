"""Strip anything that could run script from the HTML rendered out of notes and abstracts.

Notes and arXiv abstracts are untrusted text; Python-Markdown passes raw HTML through. What
Python-Markdown renders of a generated page goes through nh3 (the Rust ``ammonia`` sanitizer)
with an allowlist of what our Markdown extensions emit: math spans, footnotes, admonitions,
tables, code, icons. The page's HTML parts, which the garden writes itself with every note
string escaped (``garden.pages.escape``), are put in after (``sanitize_page``).
"""

from __future__ import annotations

import re

import nh3

from garden.pages.escape import URL_SCHEMES
from garden.pages.markdown import join_fragments

TAGS = set(nh3.ALLOWED_TAGS) | {
    "span",
    "div",
    "sup",
    "sub",
    "pre",
    "code",
    "p",
    "hr",
    "br",
    "details",
    "summary",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "svg",
    "path",
    "img",
    "figure",
    "figcaption",
    "mark",
    "kbd",
    "del",
    "ins",
}
_GENERIC = {"class", "id", "title", "name", "data-note", "data-line"}
ATTRIBUTES = {
    "*": _GENERIC,
    "a": _GENERIC | {"href"},
    "img": _GENERIC | {"src", "alt", "width", "height"},
    "svg": _GENERIC | {"xmlns", "viewbox", "viewBox", "width", "height", "aria-hidden"},
    "path": {"d", "fill"},
    "th": _GENERIC | {"style", "align"},
    "td": _GENERIC | {"style", "align"},
    "ol": _GENERIC | {"start"},
}


# Ids the theme owns ("__config", which Material reads its settings from, "__search",
# "__drawer", "__nav_2", ...) all start with "__": a page body may not shadow them.
_OWN_ID = re.compile(r"(?!__)[\w:.-]+")
# The theme's classes start "md-": in a page body they could dress a note's HTML as the
# theme's chrome (a fake dialog, a full-screen overlay). Only these few, which the garden's
# own pages use, are kept.
THEME_CLASSES = frozenset({"md-tags", "md-tag", "md-button", "md-button--primary"})
_IMG = re.compile(r"<img\b([^>]*)>")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_FOREIGN = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("id", "name") and not _OWN_ID.fullmatch(value):
        return None
    if attribute == "class":
        kept = [c for c in value.split() if not c.startswith("md-") or c in THEME_CLASSES]
        return " ".join(kept) or None
    return value


def _image_as_link(match: re.Match[str]) -> str:
    """An image from another site becomes a link to it: a page never makes the reader's
    browser ask a third party (a tracking pixel would learn who reads what)."""
    attributes = dict(_ATTR.findall(match.group(1)))
    src = attributes.get("src", "")
    if not _FOREIGN.match(src):
        return match.group(0)
    label = attributes.get("alt") or attributes.get("title") or "image"
    return f'<a class="garden-image-link" href="{src}">{label}</a>'


# Made once (nh3.clean builds its sanitizer anew from these sets on every call: a tenth of
# its time on a page)
_CLEANER = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    attribute_filter=_filter,
    url_schemes=set(URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
    filter_style_properties={"text-align"},
)


def sanitize(html: str) -> str:
    """Keep formatting, drop scripts, event handlers, ``javascript:`` URLs, frames, styles and
    ids and classes that are the theme's; images from other sites become links."""
    html = _CLEANER.clean(html)
    return _IMG.sub(_image_as_link, html) if "<img" in html else html


# A part that is a start or an end tag alone: an item's <span> around a note's words, whose
# two parts Markdown's HTML of those words comes between (garden.pages.items).
_LONE_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def sanitize_page(html: str, parts: list[str], token: str) -> str:
    """A generated page's body: ``html``, what Python-Markdown rendered of its Markdown (with
    ``token``'s words where its HTML ``parts`` go: garden.pages.markdown.split_fragments),
    sanitised, and the parts put in (``join_fragments``). The parts are the garden's own HTML,
    every note string in them escaped at the boundary; sanitising them too was two thirds of
    the sanitiser's time on a paper page. Where a part is a lone start or end tag, the parts
    go in first and the whole is sanitised, as it balances what they open and close."""
    if any(_LONE_TAG.fullmatch(part) for part in parts):
        return sanitize(join_fragments(html, parts, token))
    return join_fragments(sanitize(html), parts, token, sanitised=True)
