"""The generated pages outside the navigation are rendered one at a time, just before each is
written, and let go after (hooks.py): MkDocs alone would hold every page's HTML at once, which
is most of a 10,000-paper build's memory. A probe hook, run after the garden's, records what
MkDocs holds at each stage of a real ``mkdocs build --strict``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from garden import routes, workers
from tests.hostile.corpus import build
from tests.projects import add_hook, copy_project

PROBE = """
import json
from pathlib import Path

seen = {"at_env": {}, "written": [], "held_at_end": []}
pages = []


def on_page_markdown(markdown, page, config, files):
    pages.append(page)
    return markdown


def on_env(env, config, files):
    for page in pages:
        seen["at_env"][page.file.src_uri] = page.content is not None
    return env


def on_post_page(output, page, config):
    seen["written"].append(page.file.src_uri)
    return output


def on_post_build(config):
    seen["held_at_end"] = [p.file.src_uri for p in pages if p.content is not None]
    Path(config.config_file_path).with_name("probe.json").write_text(json.dumps(seen))
"""


def test_pages_outside_the_nav_are_rendered_when_written_and_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one process renders every page here (the probe sees what it holds); with workers, each
    # holds its share the same way (garden/workers.py, tests/site_build/test_workers.py)
    monkeypatch.setenv(workers.WORKERS_ENV, "1")
    project = copy_project(tmp_path)
    add_hook(project, PROBE)
    done = build(project, tmp_path / "site", strict=True)
    assert done.returncode == 0, done.stderr
    seen = json.loads((project / "probe.json").read_text("utf-8"))
    # before any page is written, only the navigation's pages have been rendered
    rendered_early = {uri for uri, rendered in seen["at_env"].items() if rendered}
    assert routes.HOME in rendered_early
    assert all(routes.in_nav(uri) for uri in rendered_early), rendered_early
    assert len(seen["at_env"]) < 20 < len(seen["written"])
    assert any(uri.startswith("papers/") for uri in seen["written"])
    # each generated page was read once, and is let go once written
    assert len(seen["written"]) == len(set(seen["written"])) > 80
    assert not any(
        uri.startswith(("papers/", "topics/", "authors/")) for uri in seen["held_at_end"]
    )
