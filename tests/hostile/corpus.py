"""The hostile corpus: a copy of the project with notes written by an attacker, and the
checks every page built from it must pass.

Shared by ``tests/site_build/test_hostile_build.py`` (static scan of the built HTML and JSON)
and ``tests/browser/test_hostile_browser.py`` (the same site in Chromium). The committed notes
are in ``tests/hostile/notes/`` (see README.md there); the files git would choke on (bad
encodings, megabytes, a symlink, a file name holding markup) are written by
``generated_notes()`` at test time. Every payload calls ``alert('xss-<file>-<n>')`` (or
``alert(/xss-<file>-<n>/)`` where quotes are taken), so a dialog names the payload that ran.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from garden.site_search import KINDS as PAGE_KINDS
from garden.site_search.run import EXCLUDE_SELECTORS, VOCABULARY, VOCABULARY_KIND
from tests.pagefind_index import read_fragment
from tests.projects import copy_project

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = Path(__file__).resolve().parent
OUTSIDE_TARGET = Path("/etc/os-release")  # what the symlinked note points at: never published
EVIL_FILENAME = "evil-<img src=x onerror=alert('xss-evil-filename-1')>.md"

# Bounds on what the corpus may cost (the alias bomb expands to 531,441 strings, the huge
# note is 2 MB on one line, another has 50,000 items).
MAX_PAGE_BYTES = 4_000_000
MAX_JSON_BYTES = 24_000_000
MAX_SITE_BYTES = 96_000_000
MAX_NAME_BYTES = 255
BUILD_TIMEOUT_S = 600

# Notes that must each be named in a warning "notes/<file>:<line>" by a loose build (and so
# fail a strict one). The symlink has no line to name: its file name is enough.
WARNED_WITH_LINE = {
    "zz-cp1252.md": 2,  # the first non-UTF-8 byte is on line 2
    "zz-binary.md": None,  # some line
    "invalid-front-matter.md": None,
    "alias-bomb.md": None,
    "zz-long-heading.md": 1,
}
WARNED_BY_NAME = ["zz-symlink.md"]


def _huge_line(size: int = 2_000_000) -> bytes:
    chunk = "lorem ipsum dolor sit amet " * 3700  # ~100 KB
    parts, n = [], 0
    while sum(map(len, parts)) < size:
        n += 1
        parts.append(f"{chunk}<img src=x onerror=alert('xss-zz-huge-line-{n}')> ")
    return ("## Hostile Huge Line Topic\n+ " + "".join(parts)[:size] + "\n").encode()


def _many_items(count: int = 50_000) -> bytes:
    lines = ["## Hostile Many Items Topic"]
    for i in range(count):
        payload = f" <img src=x onerror=alert('xss-zz-many-items-{i}')>" if i % 1000 == 0 else ""
        lines.append(f"+ item number {i} of many{payload}")
    return ("\n".join(lines) + "\n").encode()


def _deep_nesting(depth: int = 500) -> bytes:
    lines = ["## Hostile Deep Nesting Topic"]
    for i in range(depth):
        payload = f"<img src=x onerror=alert('xss-zz-deep-nesting-{i}')>"
        lines.append("    " * i + f"+ level {i} {payload}")
    return ("\n".join(lines) + "\n").encode()


def _long_heading(length: int = 10_000) -> bytes:
    unit = "Long heading <img src=x onerror=alert('xss-zz-long-heading-1')> "
    heading = (unit * (length // len(unit) + 1))[:length]
    return f"## {heading}\n+ an item under a 10,000-character heading\n".encode()


def _binary() -> bytes:
    noise = random.Random(13).randbytes(8192)
    return noise[:4000] + b"\n<script>alert('xss-zz-binary-1')</script>\n" + noise[4000:]


def generated_notes() -> dict[str, bytes]:
    """Notes written at test time: file name → bytes (the symlink is made separately)."""
    return {
        "zz-cp1252.md": (
            b"## Hostile Cp1252 Topic\n"
            b"+ caf\xe9 cr\xe8me br\xfbl\xe9e \x93quoted\x94 "
            b"<img src=x onerror=alert('xss-zz-cp1252-1')>\n"
        ),
        "zz-binary.md": _binary(),
        "zz-utf16.md": b"\xff\xfe"
        + ("## Hostile Utf16 Topic\n+ utf-16 <img src=x onerror=alert('xss-zz-utf16-1')>\n").encode(
            "utf-16-le"
        ),
        "zz-bom.md": b"\xef\xbb\xbf## Hostile Bom Topic\n+ after a BOM "
        b"<svg onload=alert('xss-zz-bom-1')>\n",
        "zz-empty.md": b"",
        "zz-controls.md": (
            "## Hostile Controls Topic\r\n"
            "+ bidi \u202eevil\u202c zero-width [x](java\u200bscript:alert('xss-zz-controls-1'))"
            " nul \x00 <img src=x onerror=alert('xss-zz-controls-2')>\r\n"
            "+ line\u2028separator <script>alert('xss-zz-controls-3')</script>\r"
            "+ after a lone CR\n"
        ).encode(),
        # STX/ETX mark a generated page's HTML parts (garden.pages.markdown.fragment): a note
        # holding them around markup must not pass it off as one. Long enough not to be
        # taken for binary (a control byte in more than 1% of a note).
        "zz-fragment-marks.md": (
            "## Hostile Fragment Marks Topic\n"
            "+ \x02<img src=x onerror=alert('xss-zz-fragment-marks-1')>\x03 marks around markup\n"
            "+ \x02<script>alert('xss-zz-fragment-marks-2')</script>\x03 and a script\n"
            + "+ an ordinary item, so that two control bytes are well under one in a hundred\n"
            * 4
        ).encode(),
        "zz-long-heading.md": _long_heading(),
        "zz-wide-heading.md": ("## " + "ж" * 200 + "\n+ a 400-byte slug\n").encode(),
        "zz-huge-line.md": _huge_line(),
        "zz-many-items.md": _many_items(),
        "zz-deep-nesting.md": _deep_nesting(),
        EVIL_FILENAME: b"## Evil Filename Topic\n+ an item in a note with a hostile file name\n",
    }


# A hand-kept paper whose every field is a payload, and the note title that resolves to it.
HOSTILE_BIB = HOSTILE / "hostile.bib"
HOSTILE_REFMAP = {"title:hostile manual paper title": "hostile2099evil"}


def make_project(dest: Path, generated: bool = True) -> Path:
    """A copy of the project in ``dest`` with the hostile corpus added to notes/ and bib/;
    without the notes made at test time (megabytes, a symlink...) unless ``generated``."""
    copy_project(dest)
    notes = dest / "notes"
    for note in sorted((HOSTILE / "notes").glob("*.md")):
        shutil.copy(note, notes / note.name)
    if generated:
        for name, content in generated_notes().items():
            (notes / name).write_bytes(content)
        (notes / "zz-symlink.md").symlink_to(OUTSIDE_TARGET)
    with (dest / "bib" / "manual.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n" + HOSTILE_BIB.read_text("utf-8"))
    refmap_path = dest / "bib" / "refmap.json"
    refmap = json.loads(refmap_path.read_text("utf-8"))
    refmap.update(HOSTILE_REFMAP)
    refmap_path.write_text(json.dumps(refmap, indent=2, sort_keys=True) + "\n", "utf-8")
    return dest


def build(project: Path, site: Path, *, strict: bool) -> subprocess.CompletedProcess:
    """``mkdocs build`` of ``project`` into ``site`` with this repository's ``garden``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-d", str(site)]
    if strict:
        cmd.insert(4, "--strict")
    return subprocess.run(
        cmd,
        cwd=project,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        env=env,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )


_LOOSE: dict[str, tuple[Path, subprocess.CompletedProcess, float]] = {}


def loose_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The project with the corpus and its loose build into ``project/site``, once per test
    session (the site_build and browser tests share it: the build takes most of a minute)."""
    project, result, _ = timed_loose_build(tmp_path_factory)
    return project, result


def timed_loose_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, float]:
    if "site" not in _LOOSE:
        project = make_project(tmp_path_factory.mktemp("hostile"))
        start = time.monotonic()
        result = build(project, project / "site", strict=False)
        _LOOSE["site"] = project, result, time.monotonic() - start
    return _LOOSE["site"]


# --------------------------------------------------------------------------- static checks

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "codebase",
    "cite",
    "ping",
    "lowsrc",
    "dynsrc",
    "manifest",
    "icon",
}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "livescript:", "mocha:")
FORBIDDEN_ANYWHERE = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
FORBIDDEN_IN_ARTICLE = {
    "script",
    "style",
    "link",
    "meta",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "noscript",
    "template",
    "title",
    "base",
    "math",
    "foreignobject",
    "animate",
    "set",
    "use",
}
# Theme chrome a note's class must not borrow (a fake dialog, a full-screen overlay).
CHROME_CLASS = re.compile(
    r"^md-(dialog|overlay|search|header|sidebar|top|banner|nav|footer|consent|container|main|"
    r"skip|tabs|progress)"
)
# What a browser's URL parser ignores: leading/trailing C0 controls and spaces, and ASCII
# tabs and newlines anywhere (WHATWG URL, "remove all ASCII tab or newline").
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TEXT_ALIGN = re.compile(r"\s*text-align\s*:\s*(left|right|center|justify)\s*;?\s*", re.I)
_PAYLOAD = re.compile(r"xss-[\w-]+")


def bad_url(value: str) -> bool:
    """True when a URL attribute would run script or carry a document (any spelling)."""
    squashed = _TAB_OR_NEWLINE.sub("", value).strip(_C0_OR_SPACE)
    return squashed.lower().startswith(BAD_SCHEMES)


def payload_in(element) -> str:
    """The payload ids around an element, to say which payload got through."""
    text = lxml.html.tostring(element, encoding="unicode", with_tail=False)[:4000]
    found = sorted(set(_PAYLOAD.findall(html.unescape(text))))
    return ",".join(found) if found else text[:160]


def _where(element) -> str:
    return f"<{element.tag}> [{payload_in(element)}]"


# Kinds of problem, one test each, so a report says which rule a page breaks.
KINDS = {
    "handler": "an on* event handler attribute",
    "url": "a javascript:/data:/vbscript: URL (or srcdoc)",
    "element": (
        "a frame/object/embed/base/meta refresh anywhere, or script/style/form... in content"
    ),
    "style": "a style attribute other than the tables' text-align",
    "theme-id": "an id the theme owns (__config, __search, ...) in content, or duplicated",
    "theme-class": "a class or data-md attribute of the theme's chrome in content",
    "script": "a script from elsewhere, or an inline script holding a payload",
}


def element_problems(root, *, in_article: bool) -> list[tuple[str, str]]:
    """What must never be in ``root`` (a page or an article), as (kind, description) pairs."""
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        tag = element.tag.lower().rpartition("}")[2]
        if tag in FORBIDDEN_ANYWHERE:
            problems.append(("element", f"forbidden element {_where(element)}"))
        if in_article and tag in FORBIDDEN_IN_ARTICLE:
            problems.append(("element", f"<{tag}> inside the page content {_where(element)}"))
        if tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            problems.append(("element", f"meta refresh {_where(element)}"))
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                problems.append(("handler", f"{name}= on {_where(element)}"))
            elif name in URL_ATTRIBUTES and bad_url(value):
                problems.append(("url", f"{name}={value[:60]!r} on {_where(element)}"))
            elif name == "srcset" and any(bad_url(part) for part in value.split(",")):
                problems.append(("url", f"srcset={value[:60]!r} on {_where(element)}"))
            elif name == "srcdoc":
                problems.append(("url", f"srcdoc on {_where(element)}"))
            elif name == "style" and _TEXT_ALIGN.sub("", value).strip():
                problems.append(("style", f"style={value[:80]!r} on {_where(element)}"))
            elif in_article and name in ("id", "name", "for", "form") and value.startswith("__"):
                problems.append(("theme-id", f"{name}={value!r} on {_where(element)}"))
            elif in_article and name == "class":
                chrome = [c for c in value.split() if CHROME_CLASS.match(c)]
                if chrome:
                    problems.append(("theme-class", f"class {chrome} on {_where(element)}"))
            elif in_article and name.startswith("data-md"):
                problems.append(("theme-class", f"{name}= on {_where(element)}"))
    return problems


_FOREIGN = re.compile(r"^\s*[a-z][a-z0-9+.-]*:|^\s*//", re.I)


def page_problems(text: str) -> list[tuple[str, str]]:
    """Everything wrong with one generated HTML page."""
    doc = lxml.html.document_fromstring(text)
    problems = element_problems(doc, in_article=False)
    for article in doc.xpath("//article"):
        problems += element_problems(article, in_article=True)
    configs = doc.xpath('//*[@id="__config"]')
    if len(configs) != 1:
        problems.append(("theme-id", f"{len(configs)} elements with id=__config, not 1"))
    ids: dict[str, int] = {}
    for element in doc.xpath("//*[@id]"):
        ids[element.get("id")] = ids.get(element.get("id"), 0) + 1
    twice = [(i, n) for i, n in ids.items() if n > 1 and i.startswith("__")]
    problems += [("theme-id", f"id={i!r} appears {n} times") for i, n in twice]
    for script in doc.xpath("//script[@src]"):
        if _FOREIGN.match(script.get("src")):
            problems.append(("script", f"script from elsewhere: {script.get('src')[:80]}"))
    for script in doc.xpath("//script[not(@src)]"):
        body = script.text or ""
        if script.get("id") != "__config" and _PAYLOAD.search(body):
            problems.append(("script", f"inline script holding a payload: {body[:120]!r}"))
    return dedupe(problems)


SEARCH_KINDS = frozenset({*PAGE_KINDS, "page"})  # garden.site_search.kind_of: "page" hand-written
SEARCH_META = frozenset({"title", "image", "image_alt"})  # what Pagefind takes from a page itself


def search_fragments(site: Path) -> dict[str, dict]:
    """Every page's record in the Pagefind index (what a search result is made of), by its
    file under ``site``, from every shard ``pagefind/shards.json`` lists."""
    manifest = json.loads((site / "pagefind" / "shards.json").read_text("utf-8"))
    fragments = {}
    for shard in manifest["shards"]:
        for path in sorted((site / "pagefind" / shard / "fragment").glob("*.pf_fragment")):
            fragments[str(path.relative_to(site))] = read_fragment(path)
    return fragments


def _indexed_heading(page: Path) -> str:
    """The text of the page's first heading as Pagefind reads it: without what it is told to
    skip (a formula's TeX, the permalink; the formula's text twin is there)."""
    heading = lxml.html.document_fromstring(page.read_text("utf-8")).find(".//article//h1")
    if heading is None:
        return ""
    skipped = {selector.removeprefix(".") for selector in EXCLUDE_SELECTORS}
    for element in list(heading.iter()):
        if element is not heading and skipped & set(element.get("class", "").split()):
            element.drop_tree()  # its tail (the text after it) stays
    return " ".join(heading.text_content().split())


def search_index_problems(site: Path, fragments: dict[str, dict]) -> list[tuple[str, str]]:
    """What a note could have written into the search index through Pagefind's own attributes
    (``data-pagefind-meta``, ``-filter``, ``-body``...): a result's URL that is no page of
    the site, its title other than the page's heading, an image off the site, a filter or
    kind the garden does not set. A shard's page of the garden's words (``VOCABULARY``) is
    Pagefind's alone."""
    problems = []
    vocabulary = "/" + VOCABULARY.removesuffix("index.html")  # in the shards, not in the site
    for where, fragment in fragments.items():
        url = str(fragment.get("url", ""))
        if url == vocabulary and fragment.get("filters") == {"kind": [VOCABULARY_KIND]}:
            continue
        page = site / url.lstrip("/") / ("" if url.endswith(".html") else "index.html")
        if not url.startswith("/") or _FOREIGN.match(url) or bad_url(url) or not page.is_file():
            problems.append(("url", f"{where}: the result's URL {url[:80]!r} is no page"))
            continue
        meta, filters = fragment.get("meta", {}), fragment.get("filters", {})
        for key in sorted(set(meta) - SEARCH_META):
            problems.append(("element", f"{where} ({url}): meta {key!r} = {str(meta[key])[:80]!r}"))
        if " ".join(str(meta.get("title", "")).split()) != _indexed_heading(page):
            problems.append(("element", f"{where} ({url}): title {meta.get('title', '')[:80]!r}"))
        image = str(meta.get("image", ""))
        if bad_url(image) or _FOREIGN.match(image):
            problems.append(("url", f"{where} ({url}): image {image[:80]!r}"))
        kinds = filters.get("kind", [])
        if set(filters) != {"kind"} or len(kinds) != 1 or kinds[0] not in SEARCH_KINDS:
            problems.append(("element", f"{where} ({url}): filters {json.dumps(filters)[:120]}"))
    return dedupe(problems)


def graph_problems(graph: dict) -> list[tuple[str, str]]:
    """graph.js sets labels as text (never HTML); it follows a node's URL on click."""
    problems = []
    for node in graph.get("nodes", []):
        url = str(node.get("url", ""))
        if bad_url(url) or _FOREIGN.match(url):
            problems.append(("url", f"node {node.get('id')!r} url {url[:80]!r}"))
    return problems


def dedupe(items: list) -> list:
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class Finding:
    page: str
    kind: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page}: {self.problem}"


def scan_site(site: Path) -> list[Finding]:
    """Static scan of every generated HTML page, the search index and the graph's JSON."""
    findings = []
    for path in sorted(site.rglob("*.html")):
        page = str(path.relative_to(site))
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError as error:
            findings.append(Finding(page, "element", f"not UTF-8: {error}"))
            continue
        findings += [Finding(page, k, p) for k, p in page_problems(text)]
    problems = search_index_problems(site, search_fragments(site))
    findings += [Finding("pagefind/", k, p) for k, p in problems]
    graph = json.loads((site / "assets" / "graph.json").read_text("utf-8"))  # there, or an error
    findings += [Finding("assets/graph.json", k, p) for k, p in graph_problems(graph)]
    return findings


def outside_secrets() -> list[str]:
    """Strings from the symlink's target that would prove it was published."""
    keys = ("PRETTY_NAME=", "VERSION_CODENAME=", "HOME_URL=", "BUG_REPORT_URL=", "ID_LIKE=")
    try:
        text = OUTSIDE_TARGET.read_text("utf-8", errors="replace")
    except OSError:
        return list(keys)
    return [key for key in keys if key in text] or list(keys)
