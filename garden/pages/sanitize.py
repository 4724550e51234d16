"""Strip anything that could run script from the HTML rendered out of notes and abstracts.

Notes and arXiv abstracts are untrusted text; Python-Markdown passes raw HTML through. The
rendered page body goes through nh3 (the Rust ``ammonia`` sanitizer) with an allowlist of
what our Markdown extensions emit: math spans, footnotes, admonitions, tables, code, icons.
"""

from __future__ import annotations

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
_GENERIC = {"class", "id", "title", "name"}
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


def sanitize(html: str) -> str:
    """Keep formatting, drop scripts, event handlers, ``javascript:`` URLs, frames and styles."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        generic_attribute_prefixes={"data-"},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
    )
