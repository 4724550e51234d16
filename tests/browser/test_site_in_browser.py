"""The built site in a real browser: offline, math, search, colour scheme."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .harness import is_local

pytestmark = pytest.mark.browser

NOTE_WITH_MATH = "notes/llm-internals/"
TOPIC_RMT = "topics/random-matrix-theory/"
# One page of each kind the garden generates; kinds not built yet are skipped.
SECTIONS = ["", "notes", "topics", "papers", "authors", "graph"]

# Count formulas KaTeX has not rendered: raw \( \[ left in text outside KaTeX's output, and
# arithmatex wrappers with no .katex inside.
UNRENDERED_MATH_JS = """() => {
  const article = document.querySelector("article") || document.body;
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(".katex, pre, code")) continue;
    if (/\\\\[(\\[]/.test(node.textContent)) raw.push(node.textContent.trim().slice(0, 80));
  }
  const bare = [...article.querySelectorAll(".arithmatex")].filter(e => !e.querySelector(".katex"));
  return {raw, bare: bare.map(e => e.textContent.slice(0, 80))};
}"""


# The href of the first visible link in the left navigation that leads to another page.
OTHER_NAV_LINK_JS = """() => {
  const here = location.href.split("#")[0];
  const links = document.querySelectorAll(".md-sidebar--primary a.md-nav__link[href]");
  const other = [...links].find(a => a.checkVisibility() && a.href.split("#")[0] !== here);
  return other ? other.getAttribute("href") : null;
}"""


ALL_MATH_RENDERED_JS = """() => [...document.querySelectorAll(".arithmatex")]
  .every(e => e.querySelector(".katex"))"""


def first_page(site_dir: Path, section: str) -> str | None:
    """The URL path of the first page inside ``section``, else of its index, if any."""
    folder = site_dir / section
    if section:
        pages = sorted(p.parent.name for p in folder.glob("*/index.html"))
        if pages:
            return f"{section}/{pages[0]}/"
    if (folder / "index.html").is_file():
        return f"{section}/" if section else ""
    return None


def assert_math_rendered(page: Page) -> None:
    with contextlib.suppress(PlaywrightTimeoutError):  # the assert shows what is left
        page.wait_for_function(ALL_MATH_RENDERED_JS)
    assert page.evaluate(UNRENDERED_MATH_JS) == {"raw": [], "bare": []}
    assert page.locator("article .katex").count() > 0, "no KaTeX output on the page"
    expect(page.locator(".katex-error")).to_have_count(0)


@pytest.mark.parametrize("section", SECTIONS)
def test_page_requests_stay_on_localhost(
    page: Page, site_dir: Path, requested_urls: list[str], page_errors: list[str], section: str
) -> None:
    path = first_page(site_dir, section)
    if path is None:
        pytest.skip(f"the site has no {section}/ pages yet")
    page.goto(path, wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    assert requested_urls, "the page fixture recorded no requests at all"
    assert [url for url in requested_urls if not is_local(url)] == []
    assert page_errors == []


def test_search_index_and_fonts_load_locally(page: Page, requested_urls: list[str]) -> None:
    page.goto(NOTE_WITH_MATH)
    assert_math_rendered(page)
    page.keyboard.press("/")
    page.keyboard.type("x")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    local = [url for url in requested_urls if is_local(url)]
    assert any(url.endswith("/pagefind/0/pagefind.js") for url in local), local  # Pagefind's
    assert any("/pagefind/0/index/" in url for url in local), local
    assert any("/assets/katex/fonts/" in url and url.endswith(".woff2") for url in local), local
    assert [url for url in requested_urls if not is_local(url)] == []


def test_math_renders_with_vendored_katex(page: Page, page_errors: list[str]) -> None:
    page.goto(NOTE_WITH_MATH)
    assert_math_rendered(page)
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('1em KaTeX_Main')"), "KaTeX_Main font not loaded"
    assert page_errors == []


def test_math_survives_instant_navigation(page: Page, page_errors: list[str]) -> None:
    page.goto(NOTE_WITH_MATH)
    assert_math_rendered(page)
    # Instant navigation swaps the page without reloading; a full reload would drop this.
    page.evaluate("window.__gardenNoReload = true")

    note_url = page.url
    href = page.evaluate(OTHER_NAV_LINK_JS)
    assert href, "no visible navigation link to another page"
    link = page.locator(f'.md-sidebar--primary a.md-nav__link[href="{href}"]')
    link.filter(visible=True).first.click()
    page.wait_for_url(lambda url: url.split("#")[0] != note_url)

    page.go_back()
    page.wait_for_url(note_url)
    expect(page.locator("article .arithmatex").first).to_be_attached()
    assert_math_rendered(page)
    assert page.evaluate("window.__gardenNoReload === true"), (
        "navigation reloaded the page: instant navigation is off "
        "(Material needs site_url in mkdocs.yml to list pages in sitemap.xml)"
    )
    assert page_errors == []


def test_search_finds_topic_page(page: Page) -> None:
    page.goto("")
    page.keyboard.press("/")
    search = page.locator("input.md-search__input")
    expect(search).to_be_focused()
    search.press_sequentially("Tensor PCA")
    hit = page.locator(f'.md-search-result__list a[href*="{TOPIC_RMT}"]')
    expect(hit.first).to_be_visible()


def test_palette_toggle_switches_color_scheme(page: Page) -> None:
    page.goto(TOPIC_RMT)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light_bg = body.evaluate("(b) => getComputedStyle(b).backgroundColor")

    page.get_by_title("Switch to dark mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.wait_for_function(
        "(light) => getComputedStyle(document.body).backgroundColor !== light", arg=light_bg
    )

    page.reload()  # Material keeps the choice in localStorage
    expect(body).to_have_attribute("data-md-color-scheme", "slate")

    page.get_by_title("Switch to light mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")


# Each visible header icon (garden/theme: a span painted through a CSS mask): its size, and the
# mask's image, which is one of Material's SVGs as a data: URL.
HEADER_ICONS_JS = """() => [...document.querySelectorAll(".md-header .garden-icon")]
  .filter(e => e.checkVisibility())
  .map(e => {
    const box = e.getBoundingClientRect(), style = getComputedStyle(e);
    return {cls: e.className, w: box.width, h: box.height, color: style.backgroundColor,
            mask: style.maskImage || style.webkitMaskImage};
  })"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_header_icons_are_drawn_from_the_shipped_stylesheet(page: Page, width: int) -> None:
    """Logo (wide), menu (narrow), palette toggle and search: each a painted icon-sized box,
    light and dark; the search box's own icon is the header's."""
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(TOPIC_RMT)
    for scheme in ("light", "dark"):
        icons = page.evaluate(HEADER_ICONS_JS)
        classes = " ".join(icon["cls"] for icon in icons)
        expected = ["material-weather-" + ("night" if scheme == "light" else "sunny")]
        expected += ["material-library"] if width > 1200 else ["material-menu", "material-magnify"]
        for name in expected:
            assert f"garden-icon--{name}" in classes, (scheme, classes)
        for icon in icons:
            assert 16 <= icon["w"] <= 32 and 16 <= icon["h"] <= 32, icon
            assert icon["mask"].startswith('url("data:image/svg+xml'), icon
            assert icon["color"] not in ("rgba(0, 0, 0, 0)", "transparent"), icon
        if scheme == "light":
            page.get_by_title("Switch to dark mode").click()
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.keyboard.press("/") if width > 1200 else page.locator("label[for=__search]").first.click()
    box_icon = page.locator(".md-search__icon[for=__search] > :visible").first
    expect(box_icon).to_be_visible()
    kind = box_icon.evaluate("(e) => e.tagName + ' ' + e.getAttribute('class')")
    wide = "SPAN garden-icon garden-icon--material-magnify"
    assert kind == (wide if width > 1200 else "svg null")
