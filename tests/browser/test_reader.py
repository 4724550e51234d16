"""What a reader sees, in Chromium, light, dark and on a 390 px phone (issue 9): no raw markup
(``\\(``, ``++``), no entry whose comment repeats its title, graph labels that neither overlap
nor leave the canvas, no page wider than the screen, KaTeX only where there is math."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import TIMEOUT_MS
from .harness import serve_directory

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "topics/",
    "topics/random-matrix-theory/",
    "topics/physics-lens/",
    "topics/transformers-are-x-papers-from-lens-of-category-theory/",
    "topics/untagged-llm/",
    "topics/inner-work/",
    "topics/mlp/",
    "notes/llm-internals/",
    "notes/research-map/",
    "papers/",
    "papers/wen2023transformers/",
    "papers/kammoun2023covariance/",
    "papers/khromov2023fundamental/",
    "authors/romain-couillet/",
    "authors/",
]
MODES = {
    "light": ({"width": 1280, "height": 900}, "light"),
    "dark": ({"width": 1280, "height": 900}, "dark"),
    "mobile": ({"width": 390, "height": 844}, "light"),
}
MATH_DONE = """() => [...document.querySelectorAll("article .arithmatex")]
  .every(e => e.querySelector(".katex, .katex-error"))"""
# Text a reader sees in the article, outside code and rendered math.
VISIBLE_TEXT = """() => {
  const article = document.querySelector("article");
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent.closest(".katex, pre, code, script, style")) continue;
    if (!parent.checkVisibility()) continue;
    out.push(node.textContent);
  }
  return out.join(" ");
}"""
COMMENTS = """() => [...document.querySelectorAll(".garden-item")].flatMap(item => {
  const title = item.querySelector("a.garden-paper");
  const comment = [...item.children].find(e => e.classList.contains("garden-comment"));
  return title && comment ? [[title.textContent.trim(), comment.textContent.trim()]] : [];
})"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def fold(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


@pytest.fixture(params=list(MODES))
def reader(request, browser, site_url: str):
    viewport, scheme = MODES[request.param]
    context = browser.new_context(base_url=site_url, viewport=viewport, color_scheme=scheme)
    context.set_default_timeout(TIMEOUT_MS)
    context.route(lambda url: "127.0.0.1" not in url, lambda route: route.abort())
    page = context.new_page()
    yield request.param, page
    context.close()


def open_page(page: Page, path: str) -> None:
    page.goto(path, wait_until="networkidle")
    page.wait_for_function(MATH_DONE)


def test_pages_read_clean(reader) -> None:
    mode, page = reader
    problems = []
    for path in PAGES:
        open_page(page, path)
        text = page.evaluate(VISIBLE_TEXT)
        for raw in ("\\(", "\\[", "++", "[@", "{.garden", "](http"):
            if raw in text:
                at = text.index(raw)
                problems.append(f"{path}: raw {raw!r} in “…{text[max(0, at - 40) : at + 40]}…”")
        for title, comment in page.evaluate(COMMENTS):
            if fold(comment).startswith(fold(title)[:25]) or "http" in comment:
                problems.append(f"{path}: comment repeats its title: {title!r} — {comment!r}")
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            problems.append(f"{path}: {overflow}px wider than the {mode} screen")
    assert problems == []


def test_home_page_key_hint_is_a_key(page: Page) -> None:
    page.goto("")
    assert page.locator("article kbd").first.inner_text() == "/"
    assert "++slash++" not in page.locator("article").inner_text()


def test_home_table_shows_every_column_on_a_phone(browser, site_url: str) -> None:
    context = browser.new_context(base_url=site_url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("")
    screen = page.viewport_size["width"]
    heads = page.locator("article table th")
    assert heads.count() == 4
    for i in range(heads.count()):
        box = heads.nth(i).bounding_box()
        assert box["x"] + box["width"] <= screen, heads.nth(i).inner_text()
    context.close()


def test_katex_only_on_pages_with_math(page: Page) -> None:
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto("topics/random-matrix-theory/", wait_until="networkidle")
    assert not [url for url in asked if "/assets/katex/" in url]
    page.goto("topics/mlp/", wait_until="networkidle")
    page.wait_for_function(MATH_DONE)
    assert page.locator("article .katex").count() > 0
    assert any(url.endswith("/katex.min.js") for url in asked)


def test_katex_loads_after_instant_navigation(page: Page) -> None:
    page.goto("topics/", wait_until="networkidle")
    page.evaluate("window.__noReload = true")
    page.locator("article a[href$='mlp/']").first.click()
    page.wait_for_url("**/topics/mlp/")
    expect(page.locator("article .katex").first).to_be_visible()
    page.wait_for_function(MATH_DONE)
    assert page.evaluate("window.__noReload === true"), "the click reloaded the page"


def test_bibtex_is_not_cut_off(reader) -> None:
    _, page = reader
    page.goto("papers/louart2020concentration/")
    blocks = page.locator("#cite ~ .garden-citations .highlight pre > code")
    expect(blocks).to_have_count(4)  # APA, IEEE, ACM, BibTeX
    for code in blocks.all():
        assert code.evaluate("e => e.scrollWidth - e.clientWidth") <= 1
    # each comes with the theme's copy button, aimed at the text as written
    buttons = page.locator("#cite ~ .garden-citations [data-clipboard-target]")
    expect(buttons).to_have_count(4)
    target = buttons.last.get_attribute("data-clipboard-target")
    copied = page.locator(target).text_content()
    assert copied.startswith("@misc{louart2020concentration,") and "<" not in copied, copied


def test_category_chips_link_to_their_listing(page: Page) -> None:
    page.goto("papers/jagannath2018statistical/")
    chip = page.locator(".md-tags a.md-tag").first
    chip.click()
    page.wait_for_url("**/papers/#category-*")
    anchor = page.url.split("#", 1)[1]
    expect(page.locator(f"article [id='{anchor}']")).to_have_count(1)


@pytest.mark.parametrize("width", [390, 1280])
def test_graph_labels_do_not_overlap_or_leave_the_canvas(browser, site_url: str, width) -> None:
    context = browser.new_context(base_url=site_url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto("graph/")
    page.wait_for_function("() => !!(window.gardenGraph && window.gardenGraph.ready)")
    labels = page.evaluate("window.gardenGraph.labels()")
    canvas = page.evaluate("window.gardenGraph.canvas()")
    assert len(labels) >= 5
    for label in labels:
        assert canvas["x"] <= label["x"] and label["x"] + label["w"] <= canvas["x"] + canvas["w"]
        assert canvas["y"] <= label["y"] and label["y"] + label["h"] <= canvas["y"] + canvas["h"]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            apart = (
                a["x"] + a["w"] <= b["x"]
                or b["x"] + b["w"] <= a["x"]
                or a["y"] + a["h"] <= b["y"]
                or b["y"] + b["h"] <= a["y"]
            )
            assert apart, (a["text"], b["text"])
    assert {label["id"] for label in labels} & {"n:research-map", "n:llm-internals"}
    context.close()


def test_every_graph_node_is_connected(page: Page) -> None:
    page.goto("graph/")
    data = page.evaluate("fetch('../assets/graph.json').then(r => r.json())")
    assert [n["id"] for n in data["nodes"] if n["degree"] == 0] == []


def test_local_storage_is_scoped_to_the_sites_root(browser, site_dir: Path, tmp_path) -> None:
    """Material's storage helpers come from assets/javascripts/scope.js, which reads the site's
    root from its own URL. Served under a folder (as a project site on GitHub Pages is), on a
    page two folders down as on the home page, the scope is that folder, and what one page
    stores another reads."""
    (tmp_path / "garden").symlink_to(site_dir, target_is_directory=True)
    with serve_directory(tmp_path) as url:
        context = browser.new_context(base_url=url + "garden/")
        context.route(lambda u: "127.0.0.1" not in u, lambda route: route.abort())
        page = context.new_page()
        try:
            open_page(page, "papers/jagannath2018statistical/")
            assert page.evaluate("__md_scope.href") == url + "garden/"
            page.evaluate("__md_set('__garden_test', {x: 1})")
            open_page(page, "topics/")
            assert page.evaluate("__md_scope.href") == url + "garden/"
            assert page.evaluate("__md_get('__garden_test')") == {"x": 1}
            key = page.evaluate("Object.keys(localStorage).find(k => k.endsWith('__garden_test'))")
            assert key == "/garden/.__garden_test"
        finally:
            context.close()
