"""``feed.xml``: an Atom feed (RFC 4287) of the papers newest in the garden.

An entry per paper, newest first (``Garden.newest``: the date the first note mentioning it
entered the garden, ``garden.notes.history``), at most ``MAX_ENTRIES``. Written with
``xml.etree.ElementTree``, which escapes every text and attribute; every string from
``bib/`` or a note goes in as element text (``type="text"``: a reader shows it as text, never
as markup), with the characters XML 1.0 cannot hold removed. No new dependency: the feed is
small and fixed, and ElementTree is the standard library's.

Links: with the site's ``site_url`` (``mkdocs.yml``, handed over by the glue as
``Env.site_url``) every link is absolute and each entry's id is its page's URL; without it,
links are relative to ``feed.xml`` at the site root (Atom resolves them against the feed's
own URL) and ids are ``urn:uuid:`` names derived from the bib key, stable wherever the site
is served.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime

from garden import routes
from garden.join import Garden
from garden.pages.page import Asset, Env

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50
SUMMARY_CHARS = 400  # "the first lines" of an abstract
TITLE = "Research garden: papers newly added"
EPOCH = "1970-01-01T00:00:00+00:00"  # the feed's updated when it has no entry
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def pages(env: Env) -> Iterator[Asset]:
    yield Asset(routes.FEED, render_feed(env.garden, env.site_url))


def render_feed(garden: Garden, site_url: str = "") -> str:
    base = site_url.rstrip("/") + "/" if site_url else ""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    newest = garden.newest[:MAX_ENTRIES]
    _text(feed, "id", base + routes.FEED if base else _urn("feed"))
    _text(feed, "title", TITLE)
    _text(feed, "updated", _stamp(newest[0][1]) if newest else EPOCH)
    _link(feed, base + routes.url(routes.HOME) or "./", "alternate", "text/html")
    if base:
        _link(feed, base + routes.FEED, "self", "application/atom+xml")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")  # for entries whose paper has none
    _text(author, "name", "Research garden")
    _text(feed, "generator", "research garden (garden/pages/feed.py)")
    for key, when, _mention in newest:
        paper = garden.library.papers[key]
        page = base + routes.url(routes.paper(key))
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", page if base else _urn(f"papers/{key}"))
        _text(entry, "title", paper.title)
        _link(entry, page, "alternate", "text/html")
        _text(entry, "updated", _stamp(when))
        for name in paper.authors:
            _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", name)
        if paper.abstract:
            _text(entry, "summary", summary(paper.abstract))
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def summary(abstract: str) -> str:
    """The abstract's first sentences, up to about ``SUMMARY_CHARS`` characters."""
    text = " ".join(abstract.split())
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text.rfind(". ", 0, SUMMARY_CHARS)
    if cut > SUMMARY_CHARS // 3:
        return text[: cut + 1]
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = _NOT_XML.sub("", text)
    if tag in ("title", "summary"):
        element.set("type", "text")
    return element


def _link(parent: ET.Element, href: str, rel: str, kind: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "type": kind, "href": href})


def _urn(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"research-garden:{name}").urn


def _stamp(when: datetime) -> str:
    """RFC 3339, as Atom wants: a time zone always (a date without one is taken as UTC)."""
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat()
