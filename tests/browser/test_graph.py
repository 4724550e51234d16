"""The graph view in Chromium: it draws offline, follows clicks and searches, filters, survives
instant navigation, follows the colour scheme, and copes with a few thousand nodes."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import Page, expect

from garden.pages.graph import graph_json, read_graph_json
from tests.hostile.corpus import build
from tests.projects import copy_project

from .harness import is_local, serve_directory

pytestmark = pytest.mark.browser

GRAPH = "graph/"
RMT = "t:random-matrix-theory"
READY_JS = "() => !!(window.gardenGraph && window.gardenGraph.ready)"
# Pixels the graph has painted: the canvas is transparent where nothing is drawn.
PAINTED_JS = """() => {
  const canvas = document.querySelector("#garden-graph canvas");
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  return painted;
}"""


def open_graph(page: Page, timeout: float = 10_000) -> None:
    page.goto(GRAPH)
    page.wait_for_function(READY_JS, timeout=timeout)


def test_graph_draws_with_local_files_only(
    page: Page, requested_urls: list[str], page_errors: list[str]
) -> None:
    open_graph(page)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(PAINTED_JS) > 2_000
    assert page.evaluate("window.gardenGraph.nodes") > 50
    assert any(
        url.endswith("/assets/vendor/force-graph/force-graph.min.js") for url in requested_urls
    )
    assert any(url.endswith("/assets/graph.json") for url in requested_urls)
    assert [url for url in requested_urls if not is_local(url)] == []
    assert page_errors == []


def test_library_loads_only_on_the_graph_page(page: Page, requested_urls: list[str]) -> None:
    page.goto("topics/random-matrix-theory/", wait_until="networkidle")
    assert not [url for url in requested_urls if "force-graph" in url or "graph.json" in url]
    assert page.evaluate("typeof window.ForceGraph") == "undefined"


def test_hover_then_click_a_topic_opens_it_by_instant_navigation(
    page: Page, page_errors: list[str]
) -> None:
    open_graph(page)
    page.evaluate("window.__gardenNoReload = true")
    at = page.evaluate("(id) => window.gardenGraph.position(id)", RMT)
    page.mouse.move(at["x"], at["y"])
    page.wait_for_function("(id) => window.gardenGraph.hovered() === id", arg=RMT)
    expect(page.locator(".float-tooltip-kap")).to_have_text("Random Matrix Theory")
    page.mouse.down()
    page.mouse.up()
    page.wait_for_url("**/topics/random-matrix-theory/")
    expect(page.locator("article h1")).to_have_id("random-matrix-theory")
    assert page.evaluate("window.__gardenNoReload === true"), "the click reloaded the page"
    assert page.evaluate("window.gardenGraph === undefined"), "the view was not torn down"

    page.go_back()  # the page comes back by instant navigation too: the view is rebuilt
    page.wait_for_function(READY_JS)
    assert page.evaluate("window.__gardenNoReload === true")
    assert page.locator("#garden-graph canvas").count() == 1
    assert page.evaluate(PAINTED_JS) > 2_000
    assert page_errors == []


def test_search_highlights_then_enter_opens_the_best_match(page: Page) -> None:
    open_graph(page)
    search = page.get_by_role("searchbox", name="Find a node in the graph")
    search.press_sequentially("random matrix")
    expect(page.locator(".garden-graph__status")).to_contain_text("Enter opens Random Matrix")
    search.press("Enter")
    page.wait_for_url("**/topics/random-matrix-theory/")


def test_kind_filters_apply_to_search(page: Page) -> None:
    open_graph(page)
    search = page.get_by_role("searchbox", name="Find a node in the graph")
    status = page.locator(".garden-graph__status")
    search.press_sequentially("couillet")
    expect(status).to_contain_text("1 match")
    page.get_by_role("checkbox", name="Authors").uncheck()
    expect(status).to_have_text("No match")
    page.get_by_role("checkbox", name="Authors").check()
    expect(status).to_contain_text("1 match")


def test_colours_follow_the_colour_scheme(page: Page) -> None:
    open_graph(page)
    light = page.evaluate("window.gardenGraph.colours()")
    page.get_by_title("Switch to dark mode").click()
    page.wait_for_function("(t) => window.gardenGraph.colours().halo !== t", arg=light["halo"])
    dark = page.evaluate("window.gardenGraph.colours()")
    assert dark["text"] != light["text"] and dark["topic"] != light["topic"]
    assert len({dark["topic"], dark["paper"], dark["author"]}) == 3
    page.get_by_title("Switch to light mode").click()  # the choice persists in localStorage


def synthetic_graph(topics: int = 100, papers: int = 2_400, authors: int = 500) -> dict:
    """About 3,000 nodes shaped like a big garden: 1-2 topics and 1-3 authors a paper."""
    rng = random.Random(4)
    nodes = [_node("t", i, "topic") for i in range(topics)]
    nodes += [_node("p", i, "paper") for i in range(papers)]
    nodes += [_node("a", i, "author") for i in range(authors)]
    links = []
    for i in range(papers):
        for t in rng.sample(range(topics), rng.choice((1, 1, 2))):
            links.append({"source": f"t:{t}", "target": f"p:{i}"})
        for a in rng.sample(range(authors), rng.choice((1, 2, 3))):
            links.append({"source": f"p:{i}", "target": f"a:{a}"})
    degree: dict[str, int] = {}
    for link in links:
        for end in (link["source"], link["target"]):
            degree[end] = degree.get(end, 0) + 1
    for node in nodes:
        node["degree"] = degree.get(node["id"], 0)
    return {"nodes": nodes, "links": links}


def _node(prefix: str, i: int, kind: str) -> dict:
    return {"id": f"{prefix}:{i}", "kind": kind, "label": f"{kind} {i}", "url": f"{kind}s/{i}/"}


def test_three_thousand_nodes_timing(page: Page, capsys: pytest.CaptureFixture) -> None:
    """Prints the time to the first frame; asserts only that it draws."""
    data = synthetic_graph()
    body = graph_json(data)
    page.route(
        "**/assets/graph.json",
        lambda route: route.fulfill(body=body, content_type="application/json"),
    )
    open_graph(page, timeout=60_000)
    t = page.evaluate("window.gardenGraph.timings")
    fps = t["frames"] * 1000 / (t["settled"] - t["firstFrame"])
    assert page.evaluate("window.gardenGraph.nodes") == len(data["nodes"])
    assert page.evaluate(PAINTED_JS) > 2_000
    with capsys.disabled():
        print(
            f"\ngraph view, {len(data['nodes'])} nodes / {len(data['links'])} links "
            f"({len(body) // 1024} KB JSON): first frame {t['firstFrame']:.0f} ms after "
            f"navigation start ({t['firstFrame'] - t['mount']:.0f} ms after graph.js began, "
            f"data and library in {t['loaded'] - t['mount']:.0f} ms); layout still after "
            f"{t['settled'] - t['mount']:.0f} ms, {fps:.0f} frames/s while it moved"
        )


@pytest.fixture(scope="module")
def cited_site_url(chromium_path: str, tmp_path_factory: pytest.TempPathFactory):
    """The seed garden with the fixture bib/citations/, built strict and served."""
    project = tmp_path_factory.mktemp("cited-project")
    copy_project(project, citations=True)
    result = build(project, project / "site", strict=True)
    assert result.returncode == 0, result.stderr
    with serve_directory(project / "site") as url:
        yield url


def test_graph_draws_the_cites_layer(browser, cited_site_url: str) -> None:
    context = browser.new_context(base_url=cited_site_url, viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        open_graph(page)
        data = read_graph_json(page.evaluate("fetch('../assets/graph.json').then(r => r.text())"))
        cites = [link for link in data["links"] if link.get("kind") == "cites"]
        assert len(cites) == 91
        assert page.evaluate("window.gardenGraph.links") == len(data["links"])
        assert page.evaluate(PAINTED_JS) > 2_000
        assert errors == []
    finally:
        context.close()
