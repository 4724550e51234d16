"""Strip anything that could run script from the HTML rendered out of notes and abstracts.

Notes and arXiv abstracts are untrusted text; Python-Markdown passes raw HTML through. The
rendered page body goes through nh3 (the Rust ``ammonia`` sanitizer) with an allowlist of
what our Markdown extensions emit: math spans, footnotes, admonitions, tables, code, icons.
"""

from __future__ import annotations

import re

import nh3

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
# "__drawer", "__nav_2", ...) all start with "__": a page body may not shadow them. "/" is
# in the ids of the tags plugin's listing placeholder ("papers/index.md:80-99/slug"), which
# it replaces after this runs (material/plugins/tags/structure/listing/manager).
_OWN_ID = re.compile(r"(?!__)[\w:./-]+")


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("id", "name") and not _OWN_ID.fullmatch(value):
        return None
    return value


def sanitize(html: str) -> str:
    """Keep formatting, drop scripts, event handlers, ``javascript:`` URLs, frames, styles and
    ids that are the theme's."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
    )
