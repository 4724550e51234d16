"""The hostile corpus's site in Chromium: no payload runs, whatever the theme's JS does.

The site built from tests/hostile/ (loose build: bad notes degrade) is served on 127.0.0.1 and
every generated page is loaded, in one browser context, one page after another. KaTeX's
auto-render, Material's instant navigation, search and search highlighting all turn text into
DOM at run time, so the live DOM is checked after they ran, not just the HTML files. Any
dialog (``alert('xss-<file>-<n>')``) is a failure naming the payload and the page; so is an
event handler, a script URL, a full-screen overlay, a second ``#__config`` or a request that
leaves 127.0.0.1. ``GARDEN_HOSTILE_SITE_DIR=path`` tests an already built hostile site.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.hostile.corpus import loose_build

from .conftest import TIMEOUT_MS, VIEWPORT
from .harness import is_local, serve_directory

pytestmark = pytest.mark.browser

LOAD_TIMEOUT_MS = 60_000  # the 50,000-item note is a 7 MB page
SETTLE_MS = 20  # after load and KaTeX: Material's own JS (instant nav, tooltips) gets a tick
MATH_WAIT_MS = 3_000
SEARCH_WORDS = ["onerror", "script", "alert", "xss", "Hostile", "img src", "javascript"]

# Wrap the dialog functions so a payload is recorded even if the dialog event were missed,
# and remember script-created scripts (a probe for anything that evals note text).
PROBE_JS = """(() => {
  window.__xss = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const original = window[name];
    window[name] = function (...args) {
      window.__xss.push(name + ": " + String(args[0]));
      return original.apply(this, args);
    };
  }
})();"""

SEARCH_DONE_JS = """() => /matching/i.test(
  (document.querySelector(".md-search-result__meta") || {}).textContent || "")"""

WAIT_FOR_MATH_JS = """() => [...document.querySelectorAll(".arithmatex")]
  .every(e => e.querySelector(".katex, .katex-error"))"""

# What must never be in the live DOM, as [kind, description] pairs.
SCAN_JS = r"""(scope) => {
  const root = scope ? document.querySelector(scope) : document;
  if (!root) return [];
  const out = [];
  const BAD = /^(javascript|data|vbscript):/i;
  const URLS = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster",
                        "background", "srcdoc"]);
  const describe = (el) => {
    const html = el.outerHTML.slice(0, 4000);
    const ids = html.match(/xss-[\w-]+/g);
    const what = ids ? [...new Set(ids)].join(",") : html.slice(0, 140);
    return `<${el.tagName.toLowerCase()}> [${what}]`;
  };
  const vw = window.innerWidth, vh = window.innerHeight;
  const article = document.querySelector("article");
  for (const el of root.querySelectorAll("*")) {
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) out.push(["handler", `${name}= on ${describe(el)}`]);
      else if (URLS.has(name)) {
        const value = attribute.value.replace(/[\t\n\r]/g, "").replace(/^[\x00-\x20]+/, "");
        if (name === "srcdoc" || BAD.test(value)) {
          out.push(["url", `${name}=${JSON.stringify(value.slice(0, 60))} on ${describe(el)}`]);
        }
      }
    }
    if ((el instanceof HTMLAnchorElement || el instanceof HTMLAreaElement)
        && BAD.test(el.protocol)) {
      out.push(["url", `resolved ${el.protocol} link ${describe(el)}`]);
    }
    const inContent = article && article.contains(el);
    if (!inContent && !el.hasAttribute("style")) continue;
    const style = getComputedStyle(el);
    if (style.position !== "fixed" || style.display === "none" || style.visibility === "hidden")
      continue;
    const r = el.getBoundingClientRect();
    const covered = Math.max(0, Math.min(r.right, vw) - Math.max(r.left, 0))
                  * Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0));
    if (covered > 0.25 * vw * vh) {
      const share = Math.round(100 * covered / (vw * vh));
      out.push(["overlay", `position:fixed over ${share}% of the viewport: ${describe(el)}`]);
    } else if (inContent && covered > 0) {
      out.push(["fixed", `position:fixed element in the content: ${describe(el)}`]);
    }
  }
  if (!scope) {
    const configs = document.querySelectorAll('[id="__config"]').length;
    if (configs !== 1) out.push(["config", `${configs} elements with id=__config`]);
    for (const el of document.querySelectorAll(
        "iframe, frame, frameset, object, embed, applet, base, portal, meta[http-equiv]")) {
      out.push(["element", `live ${describe(el)}`]);
    }
    if (article) {
      for (const el of article.querySelectorAll("script, style, link")) {
        out.push(["element", `${describe(el)} inside the content`]);
      }
    }
  }
  return out;
}"""

KINDS = {
    "handler": "an on* event handler",
    "url": "a javascript:/data:/vbscript: URL or srcdoc",
    "overlay": "a position:fixed element covering over a quarter of the viewport",
    "fixed": "a position:fixed element inside the page content",
    "config": "not exactly one #__config",
    "element": "a frame/object/embed/base/meta, or script/style/link inside the content",
}


@dataclass
class Visit:
    """What one crawl saw: dialogs, live-DOM problems and requests, each with its page."""

    where: str = ""
    dialogs: list[str] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # kind, page, problem
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0

    def note(self, kind: str, problem: str) -> None:
        self.problems.append((kind, self.where, problem))

    def since(self, mark: tuple[int, int], seen: set[str]) -> tuple[list[str], list[str]]:
        """Dialogs and problems after ``mark``, leaving out problems already in ``seen``."""
        dialogs = self.dialogs[mark[0] :]
        problems = [f"{w}: {p}" for _, w, p in self.problems[mark[1] :] if p not in seen]
        return dialogs, problems

    def mark(self) -> tuple[int, int]:
        return len(self.dialogs), len(self.problems)


def url_path(site: Path, html: Path) -> str:
    relative = html.relative_to(site).as_posix()
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return quote(relative)


@pytest.fixture(scope="module")
def hostile_site(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    prebuilt = os.environ.get("GARDEN_HOSTILE_SITE_DIR")
    if prebuilt:
        return Path(prebuilt).resolve()
    project, result = loose_build(tmp_path_factory)  # shared with test_hostile_build.py
    if result.returncode != 0:
        tail = "\n".join(result.stderr.splitlines()[-30:])
        pytest.fail(f"the loose build of the hostile corpus failed:\n{tail}", pytrace=False)
    return project / "site"


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    with serve_directory(hostile_site) as url:
        yield url


@pytest.fixture(scope="module")
def visit() -> Visit:
    return Visit()


@pytest.fixture(scope="module")
def context(browser, hostile_url: str, visit: Visit) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=hostile_url, viewport=VIEWPORT, color_scheme="light")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(PROBE_JS)

    def on_request(request) -> None:
        if not is_local(request.url):
            visit.foreign.append(f"{visit.where}: {request.url[:160]}")

    context.on("request", on_request)
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="module")
def tab(context: BrowserContext, visit: Visit) -> Page:
    page = context.new_page()

    def on_dialog(dialog) -> None:
        visit.dialogs.append(f"{visit.where}: {dialog.type} {dialog.message!r}")
        with contextlib.suppress(Exception):
            dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: visit.errors.append(f"{visit.where}: {error}"))
    return page


def settle(page: Page) -> None:
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(WAIT_FOR_MATH_JS, timeout=MATH_WAIT_MS)
    page.wait_for_timeout(SETTLE_MS)


def inspect(page: Page, visit: Visit, scope: str | None = None) -> None:
    for kind, problem in page.evaluate(SCAN_JS, scope):
        visit.note(kind, problem)
    for message in page.evaluate("window.__xss || []"):
        visit.dialogs.append(f"{visit.where}: probe {message}")
    page.evaluate("window.__xss = []")


@pytest.fixture(scope="module")
def crawl(tab: Page, hostile_site: Path, visit: Visit) -> Visit:
    """Every generated page, loaded in turn; then math, search and instant navigation."""
    start = time.monotonic()  # the search index loads only when the box is focused: not here
    for html in sorted(hostile_site.rglob("*.html")):
        path = url_path(hostile_site, html)
        visit.where = path or "/"
        try:
            tab.goto(path, wait_until="load", timeout=LOAD_TIMEOUT_MS)
            settle(tab)
            inspect(tab, visit)
        except Exception as error:  # noqa: BLE001 - a page that cannot load is a finding too
            visit.note("element", f"could not load and inspect: {str(error)[:200]}")
        visit.pages += 1
    visit.seconds = time.monotonic() - start
    return visit


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _report(items: list[str], limit: int = 60) -> str:
    items = _dedupe(items)
    more = f"\n... and {len(items) - limit} more" if len(items) > limit else ""
    return "\n".join(items[:limit]) + more


def test_crawl_saw_every_page(crawl: Visit, hostile_site: Path) -> None:
    print(f"{crawl.pages} pages in {crawl.seconds:.0f} s")
    assert crawl.pages == len(list(hostile_site.rglob("*.html")))
    assert crawl.pages > 150, "the hostile site is suspiciously small"


def test_no_payload_runs_on_any_page(crawl: Visit) -> None:
    assert not crawl.dialogs, f"{len(crawl.dialogs)} dialogs:\n{_report(crawl.dialogs)}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_live_dom_is_inert(crawl: Visit, kind: str) -> None:
    found = [f"{where}: {problem}" for k, where, problem in crawl.problems if k == kind]
    assert not found, f"{len(_dedupe(found))} × {KINDS[kind]}:\n{_report(found)}"


def _search(tab: Page, visit: Visit, word: str) -> int:
    """Type ``word`` into a freshly loaded search box; inspect what the results render.

    A fresh page per word: each query starts from a box that has shown nothing yet."""
    visit.where = f"search {word!r}"
    tab.goto("", wait_until="load")
    tab.keyboard.press("/")
    tab.locator("input.md-search__input").press_sequentially(word, delay=15)
    with contextlib.suppress(PlaywrightTimeoutError):  # "N matching documents" or "No ..."
        tab.wait_for_function(SEARCH_DONE_JS, timeout=20_000)
    tab.wait_for_timeout(100)
    inspect(tab, visit, ".md-search-result")
    inspect(tab, visit, ".md-search__suggest")
    return tab.locator(".md-search-result__item").count()


def _crawl_problems(visit: Visit) -> set[str]:
    return {problem for _, _, problem in visit.problems}


def test_search_results_render_inert(crawl: Visit, tab: Page) -> None:
    """The box renders Pagefind's results (titles, excerpts with <mark>s) from the index,
    which holds the notes' text as it is: only text and <mark>s may come of it."""
    seen, mark = _crawl_problems(crawl), crawl.mark()
    shown = sum(_search(tab, crawl, word) for word in SEARCH_WORDS)
    assert shown > 0, "search showed no results at all: the test did not exercise it"
    # Follow a hit: search.highlight marks the words in the target page.
    if _search(tab, crawl, "Hostile"):
        crawl.where = "search hit for 'Hostile' (highlighted)"
        tab.locator(".md-search-result__link").first.click()
        tab.wait_for_load_state("load")
        settle(tab)
        inspect(tab, crawl)
    dialogs, problems = crawl.since(mark, seen)
    assert not dialogs, _report(dialogs)
    assert not problems, _report(problems)


def test_highlighted_pages_stay_inert(crawl: Visit, tab: Page, hostile_site: Path) -> None:
    """``?h=`` is how search.highlight marks the words in a page: text becomes <mark>s.
    Only what highlighting adds is reported here; the crawl reports the rest."""
    seen, mark = _crawl_problems(crawl), crawl.mark()
    topics = sorted(hostile_site.glob("topics/*hostile*/index.html"))[:12]
    assert topics
    for html in topics:
        path = url_path(hostile_site, html) + "?h=script+onerror+img+alert+lt+gt"
        crawl.where = path
        tab.goto(path, wait_until="load", timeout=LOAD_TIMEOUT_MS)
        settle(tab)
        inspect(tab, crawl)
    dialogs, problems = crawl.since(mark, seen)
    assert not dialogs, _report(dialogs)
    assert not problems, _report(problems)


def test_instant_navigation_stays_inert(crawl: Visit, tab: Page) -> None:
    """Material's instant navigation swaps pages in by fetch + DOM, not by loading them.
    Only what it adds is reported here; the crawl reports the rest."""
    seen, mark = _crawl_problems(crawl), crawl.mark()
    tab.goto("topics/", wait_until="load")
    hrefs = tab.eval_on_selector_all(
        "article a[href*='hostile'], article a[href*='xss']", "as => as.map(a => a.href)"
    )
    hrefs = [h for h in _dedupe(hrefs) if "many-items" not in h][:15]
    assert hrefs, "the topics index links to no hostile topic"
    instant = 0
    for href in hrefs:
        crawl.where = f"instant nav to {href}"
        tab.goto("topics/", wait_until="load")
        tab.evaluate("window.__same_document = true")
        tab.evaluate(_CLICK_JS, href)  # a click event Material's instant navigation intercepts
        with contextlib.suppress(PlaywrightTimeoutError):
            tab.wait_for_url(href, timeout=5_000)
        settle(tab)
        inspect(tab, crawl)
        instant += bool(tab.evaluate("window.__same_document === true"))
    assert instant, "instant navigation never engaged: every click was a full page load"
    dialogs, problems = crawl.since(mark, seen)
    assert not dialogs, _report(dialogs)
    assert not problems, _report(problems)


_CLICK_JS = """(href) => {
  const a = [...document.querySelectorAll("article a[href]")].find(a => a.href === href);
  if (a) a.click();
}"""


def test_no_request_leaves_localhost(crawl: Visit) -> None:
    assert not crawl.foreign, f"requests off 127.0.0.1:\n{_report(crawl.foreign)}"
