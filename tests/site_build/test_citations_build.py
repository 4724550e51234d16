"""A real ``mkdocs build --strict`` of the seed garden with citation data (the fixture
``bib/citations/``): no warning, nothing that could run script, every citation link lands on
a built paper page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from garden.pages.graph import read_graph_json
from tests.hostile.corpus import build, scan_site
from tests.projects import copy_project


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("cited-project")
    copy_project(project, citations=True)
    result = build(project, project / "site", strict=True)
    assert result.returncode == 0, result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    return project / "site"


def test_the_build_with_citations_is_inert(site: Path) -> None:
    assert scan_site(site) == []


def test_citation_links_reach_built_paper_pages(site: Path) -> None:
    html = (site / "papers" / "couillet2015kernel" / "index.html").read_text("utf-8")
    start = html.index('id="citations-in-your-garden"')
    part = html[start : html.index('id="cite"', start)]
    hrefs = re.findall(r'href="([^"#]+)"', part)
    assert len(hrefs) == 9  # "Cited here by 9 papers in your garden"
    for href in hrefs:
        assert (site / "papers" / "couillet2015kernel" / href / "index.html").is_file(), href
    assert "Semantic Scholar has no record of arXiv:1510.03547" in part


def test_the_graph_data_carries_the_cites_layer(site: Path) -> None:
    data = read_graph_json((site / "assets" / "graph.json").read_text("utf-8"))
    cites = [link for link in data["links"] if link.get("kind") == "cites"]
    ids = {node["id"] for node in data["nodes"]}
    assert len(cites) == 91  # all 91 citations among seed papers in the fixture files
    assert all(link["source"] in ids and link["target"] in ids for link in cites)
