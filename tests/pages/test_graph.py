"""The graph view's data and page: ``graph_data`` on a hand-built garden and on the seeds."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from garden import routes
from garden.bibliography.library import Library, Paper, load_library
from garden.join import build_garden
from garden.notes import load_notes, parse_note
from garden.pages.graph import (
    MIN_AUTHOR_PAPERS,
    graph_data,
    graph_json,
    read_graph_json,
    render_graph_page,
)
from garden.pages.sanitize import sanitize
from garden.pages.site import generate_site
from garden.routes import in_nav

ROOT = Path(__file__).resolve().parents[2]

# Two topics, three papers; author A wrote two of them, B, C and D one each.
NOTE = """## Random Matrix Theory
+ https://arxiv.org/abs/2001.00001 | One
+ https://arxiv.org/abs/2001.00002 | Two

## Optimal Transport
+ https://arxiv.org/abs/2001.00001 | One again
+ https://arxiv.org/abs/2001.00003 | Three
"""
PAPERS = {
    "one2020": Paper("one2020", "One:  a   title", ("A", "B"), year="2020"),
    "two2020": Paper("two2020", "Two", ("A", "C"), year="2020"),
    "three2020": Paper("three2020", "Three", ("D",), year="2020"),
}
REFMAP = {f"arxiv:2001.0000{i}": key for i, key in enumerate(PAPERS, start=1)}


@pytest.fixture(scope="module")
def small():
    note = parse_note(NOTE, "notes/n.md", stem="n")
    return build_garden([note], Library(PAPERS, REFMAP))


@pytest.fixture(scope="module")
def seeds():
    garden = build_garden(load_notes(ROOT / "notes", ROOT), load_library(ROOT / "bib"))
    return garden, generate_site(garden)


def pairs(data: dict) -> set[tuple[str, str]]:
    return {(link["source"], link["target"]) for link in data["links"]}


def test_small_garden_nodes_links_and_degrees(small) -> None:
    data = graph_data(small)
    by_id = {node["id"]: node for node in data["nodes"]}
    assert list(by_id) == [
        "n:n",
        "t:optimal-transport",
        "t:random-matrix-theory",
        "p:one2020",
        "p:two2020",
        "p:three2020",
        "a:a",  # the only author with two papers
    ]
    assert pairs(data) == {
        ("n:n", "t:optimal-transport"),
        ("n:n", "t:random-matrix-theory"),
        ("t:random-matrix-theory", "p:one2020"),
        ("t:random-matrix-theory", "p:two2020"),
        ("t:optimal-transport", "p:one2020"),
        ("t:optimal-transport", "p:three2020"),
        ("p:one2020", "a:a"),
        ("p:two2020", "a:a"),
    }
    assert {i: n["degree"] for i, n in by_id.items()} == {
        "n:n": 2,
        "t:optimal-transport": 3,
        "t:random-matrix-theory": 3,
        "p:one2020": 3,
        "p:two2020": 2,
        "p:three2020": 1,
        "a:a": 2,
    }
    assert by_id["p:one2020"] == {
        "id": "p:one2020",
        "kind": "paper",
        "label": "One: a title",  # whitespace folded
        "url": "papers/one2020/",
        "degree": 3,
    }
    assert by_id["a:a"]["url"] == "authors/a/"
    assert by_id["t:optimal-transport"]["url"] == "topics/optimal-transport/"


def test_the_authors_are_those_with_a_page(small) -> None:
    """An author node per author with a page (``Garden.author_pages``: more than one paper
    here), linked to each of their papers; the three authors of one paper are left out."""
    data = graph_data(small)
    authors = [n for n in data["nodes"] if n["kind"] == "author"]
    assert [n["id"] for n in authors] == [f"a:{slug}" for slug in small.author_pages] == ["a:a"]
    assert len(small.papers_by_author) == 4
    assert len(data["links"]) == 8


def test_seed_counts(seeds) -> None:
    garden, _ = seeds
    data = graph_data(garden)
    kinds = Counter(node["kind"] for node in data["nodes"])
    prolific = {s: k for s, k in garden.papers_by_author.items() if len(set(k)) >= 2}
    assert prolific == garden.author_pages
    assert kinds == {
        "note": len(garden.notes),
        "topic": len(garden.topics),
        "paper": len(garden.library.papers),
        "author": len(prolific),
    }
    topic_links = sum(len(topic.paper_keys) for topic in garden.topics)
    author_links = sum(len(set(keys)) for keys in prolific.values())
    note_links = sum(len(topic.notes) for topic in garden.topics)
    opening = {
        (m.source.note, k) for k, ms in garden.mentions.items() for m in ms if not m.topic_slug
    }
    assert len(data["links"]) == note_links + topic_links + author_links + len(opening)
    assert "a:romain-couillet" in {node["id"] for node in data["nodes"]}


def test_no_seed_node_floats_unconnected(seeds) -> None:
    """Topics with no papers hang on their note; so does kaddour2023challenges, named only
    on research-map.md's first line, before any heading (issue 9, item 9)."""
    data = graph_data(seeds[0])
    assert [node["id"] for node in data["nodes"] if node["degree"] == 0] == []
    assert ("n:research-map", "p:kaddour2023challenges") in pairs(data)
    assert ("n:research-map", "t:equaivariant-nns") in pairs(data)


def test_seed_ids_unique_and_links_join_nodes(seeds) -> None:
    data = graph_data(seeds[0])
    ids = [node["id"] for node in data["nodes"]]
    assert len(ids) == len(set(ids))
    assert {end for pair in pairs(data) for end in pair} <= set(ids)
    assert len(pairs(data)) == len(data["links"])  # no duplicate links
    degree = Counter(end for pair in pairs(data) for end in pair)
    assert all(node["degree"] == degree[node["id"]] for node in data["nodes"])


def test_every_node_url_is_a_generated_page(seeds) -> None:
    _, site = seeds
    data = graph_data(seeds[0])
    for node in data["nodes"]:
        url = node["url"]
        assert url.endswith("/") and not url.startswith("/"), url
        assert f"{url[:-1]}.md" in site.pages, url


def test_json_is_compact_and_round_trips(seeds) -> None:
    data = graph_data(seeds[0])
    text = graph_json(data)
    assert read_graph_json(text) == data
    shipped = json.loads(text)
    assert shipped["nodes"] == data["nodes"]
    assert all(len(link) == 2 and all(type(i) is int for i in link) for link in shipped["links"])
    assert text == json.dumps(shipped, separators=(",", ":"), ensure_ascii=False)
    assert len(text.encode()) < 200 * len(data["nodes"])  # ~120 bytes a node with its links


def test_a_citation_link_keeps_its_kind() -> None:
    data = {
        "nodes": [{"id": "p:a"}, {"id": "p:b"}, {"id": "t:c"}],
        "links": [
            {"source": "t:c", "target": "p:a"},
            {"source": "p:a", "target": "p:b", "kind": "cites"},
        ],
    }
    assert json.loads(graph_json(data))["links"] == [[2, 0], [0, 1, "cites"]]
    assert read_graph_json(graph_json(data)) == data


def test_site_ships_page_and_json(seeds) -> None:
    garden, site = seeds
    assert read_graph_json(site.assets[routes.GRAPH_JSON]) == graph_data(garden)
    page = site.pages[routes.GRAPH]
    assert page.startswith("---\nhide: [toc]")
    assert "\n# Graph\n" in page
    assert f"]({routes.GRAPH_JSON}){{ .garden-graph-data }}" in page
    assert in_nav(routes.GRAPH)


def test_page_counts_each_kind() -> None:
    data = {
        "nodes": [{"kind": "topic"}, {"kind": "paper"}, {"kind": "paper"}],
        "links": [{}],
    }
    assert '<p class="garden-meta">1 topic · 2 papers · 0 authors · 1 link</p>' in (
        render_graph_page(data)
    )
    assert f"at least {MIN_AUTHOR_PAPERS} papers" in " ".join(render_graph_page(data).split())


def test_container_survives_the_sanitizer() -> None:
    html = '<div class="garden-graph" id="garden-graph"><p><a class="garden-graph-data" href="x">'
    assert sanitize(html + "</a></p></div>").startswith(html)
