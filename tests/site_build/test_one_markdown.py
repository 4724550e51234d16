"""Two ways hooks.py changes how MkDocs renders, each held to what MkDocs alone makes, with
real ``mkdocs build --strict`` runs of the repository and a probe hook that undoes one:

* every page is converted by one reset Python-Markdown instance (``_OneMarkdown``), not a fresh
  one each: the site must come out byte for byte the same;
* the theme's lines that hold only a template tag are dropped (``on_env``): every page's text,
  scripts included, must be word for word the same, and the pages smaller;
* the chrome that is the same on many pages is rendered once for them (``garden.theme.
  Repeated``): the site must come out byte for byte as when each page renders its own."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from tests.hostile.corpus import build, make_project
from tests.projects import add_hook, copy_project, remove_hook

FRESH = """
import markdown
from mkdocs.structure import pages


def on_pre_build(config):
    assert type(pages.markdown).__name__ == "_OneMarkdown", pages.markdown
    pages.markdown = markdown  # MkDocs' own way: a new instance for every page
"""

UNTRIMMED = """
def on_env(env, config, files):
    assert env.trim_blocks and env.lstrip_blocks
    env.trim_blocks = env.lstrip_blocks = False  # Jinja's defaults, as MkDocs leaves them
    return env
"""

# The default build, counting the parts of the chrome taken from garden.theme.Repeated (in one
# process: a worker's count would stay in the worker), every paper page rendered by the
# templates (not filled into its chrome, hooks._FilledChrome, tested below), as in EACH_OWN.
COUNTED = """
import os
import sys

from garden import theme

os.environ["GARDEN_BUILD_WORKERS"] = "1"
sys.modules["hooks.py"]._FilledChrome._fits = lambda self, page, config: False
_taken = []
_get = theme.Repeated.get


def _counting(self, key):
    html = _get(self, key)
    if html is not None:
        _taken.append(key[0])
    return html


theme.Repeated.get = _counting


def on_post_build(config):
    print("taken:", *sorted(set(_taken)), len(_taken), file=sys.stderr)
"""

EACH_OWN = """
import os
import sys

os.environ["GARDEN_BUILD_WORKERS"] = "1"
sys.modules["hooks.py"]._FilledChrome._fits = lambda self, page, config: False


def on_env(env, config, files):
    del env.globals["garden_repeated"]  # the templates render every part for each page
    return env
"""


def _build(project: Path, site: Path, probe: str = "") -> dict[str, bytes]:
    remove_hook(project)
    if probe:
        add_hook(project, probe)
    done = build(project, site, strict=True)
    assert done.returncode == 0, done.stderr
    _build.stderr = done.stderr
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*.html")
        if "pagefind" not in p.parts
    }


def test_one_reset_markdown_instance_renders_every_page_as_fresh_ones_do(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    reused = _build(project, tmp_path / "reused")
    fresh = _build(project, tmp_path / "fresh", FRESH)
    assert len(reused) > 80
    assert reused.keys() == fresh.keys()
    differ = [uri for uri in reused if reused[uri] != fresh[uri]]
    assert not differ, differ[:10]


def test_trimmed_templates_give_the_same_text(tmp_path: Path) -> None:
    """Lines holding only a template tag dropped (hooks.on_env): the same words on every page.
    The bytes are no longer compared: garden.theme.compact takes out the indentation of both."""
    project = copy_project(tmp_path)
    trimmed = _build(project, tmp_path / "trimmed")
    untrimmed = _build(project, tmp_path / "untrimmed", UNTRIMMED)
    assert trimmed.keys() == untrimmed.keys()
    for uri in trimmed:
        words = [
            lxml.html.fromstring(html).text_content().split()
            for html in (trimmed[uri], untrimmed[uri])
        ]
        assert words[0] == words[1], uri


def test_chrome_rendered_once_for_many_pages_is_what_each_page_renders(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    once = _build(project, tmp_path / "once", COUNTED)
    taken = next(line for line in _build.stderr.splitlines() if line.startswith("taken:"))
    each = _build(project, tmp_path / "each", EACH_OWN)
    assert once.keys() == each.keys()
    differ = [uri for uri in once if once[uri] != each[uri]]
    assert not differ, differ[:10]
    # every part was taken from the cache, for most of the pages (papers, topics, authors...)
    parts, count = taken.split()[1:-1], int(taken.split()[-1])
    assert parts == sorted(["config", "header-end", "header-start", "nav"]), taken
    assert count > 3 * len(once), (count, len(once))


# The default build, counting the paper pages filled into the chrome (hooks._FilledChrome) and
# those rendered by the templates (in one process: a worker's count would stay there).
CHROME_COUNTED = """
import os
import sys

os.environ["GARDEN_BUILD_WORKERS"] = "1"
_hooks = sys.modules["hooks.py"]
_counts = {"papers": 0, "authors": 0, "topics": 0, "rendered": 0}
_fill, _render = _hooks._FilledChrome._fill, _hooks._FilledChrome._render


def _counting_fill(self, page):
    _counts[page.url.split("/")[0]] += 1
    return _fill(self, page)


def _counting_render(self, *args, **kwargs):
    _counts["rendered"] += 1
    return _render(self, *args, **kwargs)


_hooks._FilledChrome._fill, _hooks._FilledChrome._render = _counting_fill, _counting_render


def on_post_build(config):
    print("chrome:", *(f"{kind}={count}" for kind, count in _counts.items()), file=sys.stderr)
"""

# Every paper page rendered by the templates, as MkDocs renders it.
TEMPLATES_ONLY = """
import sys

sys.modules["hooks.py"]._FilledChrome._fits = lambda self, page, config: False
"""


def test_pages_filled_into_their_chrome_are_what_the_templates_render(
    tmp_path: Path,
) -> None:
    """The chrome of paper, author and topic pages made once and filled
    (``hooks._FilledChrome``): the site byte for byte as when the templates render each page,
    on the seed garden and on the hostile one (titles and abstracts that try every way out of
    their slots)."""
    (tmp_path / "seed").mkdir()
    (tmp_path / "hostile").mkdir()
    seed = copy_project(tmp_path / "seed")
    hostile = make_project(tmp_path / "hostile", generated=False)  # its titles, not its sizes
    for project, strict in ((seed, True), (hostile, False)):
        remove_hook(project)
        add_hook(project, CHROME_COUNTED)
        done = build(project, tmp_path / f"{project.name}-chrome", strict=strict)
        assert done.returncode == 0, done.stderr[-3000:]
        line = done.stderr.split("chrome:")[1].splitlines()[0]
        counts = {kind: int(n) for kind, n in (pair.split("=") for pair in line.split())}
        remove_hook(project)
        add_hook(project, TEMPLATES_ONLY)
        plain = build(project, tmp_path / f"{project.name}-templates", strict=strict)
        assert plain.returncode == 0, plain.stderr[-3000:]
        chrome, templates = (
            {
                p.relative_to(site).as_posix(): p.read_bytes()
                for p in site.rglob("*.html")
                if "pagefind" not in p.parts
            }
            for site in (
                tmp_path / f"{project.name}-chrome",
                tmp_path / f"{project.name}-templates",
            )
        )
        papers = [uri for uri in chrome if uri.startswith("papers/") and uri != "papers/index.html"]
        assert chrome.keys() == templates.keys() and len(papers) > 40
        differ = [uri for uri in chrome if chrome[uri] != templates[uri]]
        assert not differ, differ[:10]
        # the first two of each kind were rendered (the chrome made, then checked), nearly all
        # the other paper pages filled, and authors' and topics' pages
        authors = [uri for uri in chrome if uri.count("/") == 2 and uri.startswith("authors/")]
        assert counts["rendered"] >= 6 and counts["papers"] > len(papers) - 5, counts
        assert counts["authors"] > len(authors) / 2 and counts["topics"] > 5, (counts, len(authors))
