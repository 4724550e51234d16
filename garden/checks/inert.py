"""The safety net after every build: no page of the site can run script it should not.

``garden.pages.escape`` is the boundary every note string crosses and the sanitiser cleans
every generated body; this scan checks the result, the theme's slots included, page by page:

* no attribute is an event handler (``onerror``, ``onfocus``, ...);
* no URL attribute uses ``javascript:``, ``vbscript:`` or ``data:`` (``data:`` images aside);
* no ``<script>`` but the theme's: external ones from the site's own ``.js`` files, inline ones
  exactly as Material writes them (compared with the site's 404 page, which no note reaches,
  and with Material's content-tab scripts, written only into a page with tabs);
* no ``<iframe>``, ``<object>``, ``<embed>``, ``<base>`` or ``<form>`` in the page content
  (the theme's search and palette forms are outside it), no ``<meta http-equiv>`` anywhere;
* no ``style`` attribute in the page content but ``text-align`` (tables), none elsewhere;
* one element with each id the theme owns (``__config`` is where Material reads its settings).

The hook fails the build on any finding, naming the page, so a hole in escaping never ships.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.etree

from garden import theme
from garden.pages.escape import url_as_read

URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background"}
)
FORBIDDEN_TAGS = frozenset({"iframe", "frame", "object", "embed", "base", "form", "applet"})
_BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.I)
# A character a browser's URL parser drops before it reads the scheme (escape.url_as_read)
_HIDDEN = re.compile(r"[\x00-\x1f]")
_TEXT_ALIGN = re.compile(r"\s*text-align\s*:\s*(?:left|right|center|justify)\s*;?\s*", re.I)
# The site root as Material's head script names it ("../..", "/"), which is all that differs
# between pages (the site ships it as a file, garden.theme.scope_js; a theme without the
# garden's templates writes it inline).
_RELATIVE = re.compile(r'new URL\("[^"]*",location\)')


@dataclass(frozen=True)
class Finding:
    page: str  # path inside the site, e.g. "topics/x/index.html"
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message}"


@dataclass
class _Scan:
    findings: list[tuple[int, str]] = field(default_factory=list)
    scripts: list[tuple[int, dict[str, str], str]] = field(default_factory=list)
    ids: Counter[str] = field(default_factory=Counter)


# libxml2's HTML parser with lxml's plain elements: lxml.html's element classes (looked up for
# each element the scan touches) were a seventh of the scan's time, for methods it never calls.
_PARSER = lxml.etree.HTMLParser()
# The elements the scan looks at besides attributes: found by one walk of the tree (lxml's
# iter; an XPath query per kind walked the page's article eight times, a fifth of the scan)
_WATCHED = ("script", "meta", *sorted(FORBIDDEN_TAGS))


def _scan(html: str) -> _Scan:
    """One page parsed with lxml (libxml2's HTML parser: the scan was a quarter of the build
    with Python's html.parser): every attribute read in one pass, the elements by XPath."""
    scan = _Scan()
    if not html.strip():
        return scan
    root = lxml.etree.fromstring(html, _PARSER)

    def found(element, message: str) -> None:
        scan.findings.append((element.sourceline or 0, message))

    ids = []
    for value in root.xpath("//@*"):  # one pass: a query per kind of attribute took 40% more
        name = value.attrname
        if name.startswith("on"):
            found(value.getparent(), f"event handler {name}= on <{_tag(value)}>")
        elif name in URL_ATTRIBUTES:
            tag = _tag(value) if _bad_url(value) else ""
            image = tag == "img" and name == "src" and value.lstrip().startswith("data:image/")
            if tag and not image:
                found(value.getparent(), f"{name}={value[:40]!r} on <{tag}>")
        elif name == "style":
            inside = value.getparent().xpath("boolean(ancestor::article)")
            if not (inside and _TEXT_ALIGN.fullmatch(value)):
                found(value.getparent(), f"style={value[:40]!r} on <{_tag(value)}>")
        elif name == "id":
            ids.append(value)
    for element in root.iter(*_WATCHED):  # one walk, in document order
        tag = element.tag
        if tag == "meta":
            if element.get("http-equiv") is not None:
                found(element, f"<meta http-equiv={element.get('http-equiv')!r}>")
            continue
        if next(element.iterancestors("article"), None) is not None:
            if tag == "script":
                found(element, "<script> inside the page content")
            else:
                found(element, f"<{tag}> element in the page content")
        if tag == "script":
            attributes = {name.lower(): value for name, value in element.attrib.items()}
            scan.scripts.append((element.sourceline or 0, attributes, element.text or ""))
    scan.ids.update(ids)
    scan.findings.sort()
    return scan


def _bad_url(value: str) -> bool:
    """Whether a browser would read ``value`` as a ``javascript:``, ``vbscript:`` or ``data:``
    URL."""
    if _BAD_SCHEME.match(value):
        return True
    if _HIDDEN.search(value) is None:
        return False
    return _BAD_SCHEME.match(url_as_read(value)) is not None


def _tag(attribute) -> str:  # noqa: ANN001 - an lxml attribute value (a str with its element)
    return str(attribute.getparent().tag).lower()


def theme_scripts(reference_page: str) -> frozenset[str]:
    """The inline scripts the theme writes, path-normalised, as they are on a page no note
    reaches (the 404 page)."""
    return frozenset(
        _normalised(text) for _, attrs, text in _scan(reference_page).scripts if "src" not in attrs
    )


def _normalised(script: str) -> str:
    return _RELATIVE.sub("new URL(ROOT,location)", script.strip())


def scan_page(
    html: str,
    page: str,
    site: Path,
    allowed_inline: frozenset[str],
    written: frozenset[str] | None = None,
    ids_before: Counter[str] | None = None,
) -> list[Finding]:
    """Everything on one built page that could run script it should not. ``written``: the
    paths the site will have, for a scan made before MkDocs has written them (else the files
    are looked for in ``site``). ``ids_before``: the ids of a part of the page not in ``html``
    (``ChromeScan``)."""
    scanner = _scan(html)
    found = [Finding(page, line, message) for line, message in scanner.findings]
    for line, attrs, text in scanner.scripts:
        if "src" in attrs:
            problem = _external_script_problem(attrs["src"], page, site, written)
        elif attrs.get("type") == "application/json" and attrs.get("id") == "__config":
            problem = ""  # data, not code; its uniqueness is checked below
        else:
            known = _normalised(text) in allowed_inline
            problem = "" if known else "an inline <script> the theme did not write"
        if problem:
            found.append(Finding(page, line, problem))
    ids = scanner.ids + ids_before if ids_before else scanner.ids
    for ident, count in ids.items():
        if ident.startswith("__") and count > 1:
            found.append(Finding(page, 1, f"{count} elements with the theme's id {ident!r}"))
    return found


def _external_script_problem(
    src: str, page: str, site: Path, written: frozenset[str] | None = None
) -> str:
    depth = page.count("/")
    if written is not None and src.startswith("../" * depth):  # the same from every such page
        return _script_from_root_problem(src, depth, written)
    return _script_problem(src, page, site, written)


@lru_cache(maxsize=1024)
def _script_from_root_problem(src: str, depth: int, written: frozenset[str]) -> str:
    """``_script_problem`` of a script whose path climbs to the site's root from a page
    ``depth`` folders down (the theme's, from every page of a kind: ~10 a page)."""
    return _script_problem(src, "x/" * depth + "index.html", Path(), written)


def _script_problem(src: str, page: str, site: Path, written: frozenset[str] | None) -> str:
    url = urlsplit(src)
    if url.scheme or url.netloc:
        return f"a script from elsewhere: {src!r}"
    target = urljoin("/" + page, url.path).lstrip("/")
    present = (site / target).is_file() if written is None else target in written
    if not target.endswith(".js") or not present:
        return f"a script that is not one of the site's .js files: {src!r}"
    return ""


class SiteScan:
    """The scan of a site page by page: each page as it is written (``page``, its HTML in
    hand, no second read), the rest from disk after (``rest``). The theme's own scripts are
    read from the site's 404 page when the first page is scanned: MkDocs writes it first."""

    def __init__(self, site: Path) -> None:
        self.site = Path(site)
        self.findings: list[Finding] = []
        self.scanned: set[str] = set()  # pages, as paths inside the site
        self._allowed: frozenset[str] | None = None
        self._written: frozenset[str] | None = None

    def before_written(self, reference_page: str, written: frozenset[str]) -> None:
        """For a scan that starts before MkDocs writes the site (a build's workers): the theme's
        own inline scripts from ``reference_page`` (the 404 page's HTML), and the paths the site
        will have (its scripts among them), instead of the files on disk."""
        self._use_reference(reference_page)
        self._written = written

    def _use_reference(self, reference_page: str) -> None:
        tabs = {_normalised(script) for script in theme.tab_scripts()}
        self._allowed = theme_scripts(reference_page) | tabs

    def page(self, html: str, page: str) -> None:
        self.findings += self.found(html, page)
        self.scanned.add(page)

    def found(self, html: str, page: str, ids_before: Counter[str] | None = None) -> list[Finding]:
        """What ``page`` would be found to hold (``scan_page``), not recorded."""
        if self._allowed is None:
            reference = self.site / "404.html"
            self._use_reference(reference.read_text("utf-8") if reference.exists() else "")
        return scan_page(html, page, self.site, self._allowed, self._written, ids_before)

    def filled(self, plan: ChromeScan, values: tuple[str, str, str, str], page: str) -> bool:
        """Scan a page filled into ``plan``'s chrome (its title, URL, content and anchor:
        ``values``) by its content and what follows it (``ChromeScan``); ``False``, and nothing
        recorded, where that finds anything or the slots before the content hold a character
        that could end the text or the attribute they are in: then scan the page whole
        (``page``), which says where."""
        title, url, content, anchor = values
        # each on its own: the title is a markupsafe.Markup, and adding to it escapes the rest
        if any(_SLOT_BREAKERS.search(value) for value in (title, url, anchor)) or _bad_url(url):
            return False
        part = plan.opening + content + plan.chrome.after_content(title, url, anchor)
        if self.found(part, page, plan.ids_before):
            return False
        self.scanned.add(page)
        return True

    def file(self, path: Path) -> None:
        self.page(path.read_text("utf-8", errors="replace"), path.relative_to(self.site).as_posix())

    def rest(self) -> list[Finding]:
        """Scan every HTML page of the site not scanned yet; all the findings, by page."""
        for path in sorted(self.site.rglob("*.html")):
            if path.relative_to(self.site).as_posix() not in self.scanned:
                self.file(path)
        return sorted(self.findings, key=lambda f: (f.page, f.line))


# What could take a slot's value out of the text or the double-quoted attribute it is written
# into (escape.title writes them as entities)
_SLOT_BREAKERS = re.compile("[<>\"']")
_SLOT_MARK = "garden-scan-slot"


@dataclass(frozen=True)
class ChromeScan:
    """How to scan a page filled into a chrome (``garden.theme.Chrome``, hooks._FilledChrome)
    by what differs from page to page: its content, in the elements open where it goes
    (``opening``, their start tags: the parser then reads it as it would in the page), and
    the chrome after it, with the slots filled; the theme's ids before the content counted
    in (``ids_before``). The chrome before the content (its head, header and navigation, 40%
    of a paper page) is the same on every page of the kind; it is scanned with the pages the
    templates render (the first of the kind and one in 97) and when this plan is made. The
    title, URL and anchor slots there hold escaped text (``SiteScan.filled`` checks)."""

    chrome: theme.Chrome
    opening: str
    ids_before: Counter[str]

    @classmethod
    def of(cls, chrome: theme.Chrome, scan: SiteScan, page: str) -> ChromeScan | None:
        """The plan for ``chrome`` (``page``: where it is from), or ``None`` where the chrome,
        filled with plain stand-ins, has a finding of its own, or a slot outside the content
        that is inside a script or a style (where text is code)."""
        title, url, anchor = "gardenslottitle", "https://garden.invalid/gardenslot/", "gardenslot"
        content = f'<p id="{_SLOT_MARK}"></p>'
        whole = chrome.fill(title, url, content, anchor)
        if scan.found(whole, page):
            return None
        root = lxml.etree.fromstring(whole, _PARSER)
        if any("gardenslot" in (code.text or "") for code in root.iter("script", "style")):
            return None
        slot = root.xpath(f'//p[@id="{_SLOT_MARK}"]')
        if len(slot) != 1:
            return None
        opening = "".join(f"<{el.tag}>" for el in reversed(list(slot[0].iterancestors())))
        part = opening + content + chrome.after_content(title, url, anchor)
        return cls(chrome, opening, _scan(whole).ids - _scan(part).ids)
