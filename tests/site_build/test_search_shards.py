"""The Pagefind index in shards (garden.site_search.run): how pages are split, and a real run
over a copy of the built seed site split finely, holding the same pages as the one-shard index.
That the browser merges the shards into the same results: tests/browser/test_search.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from garden.pages.names import PAPERS_CLASS
from garden.site_search import run as run_module
from garden.site_search import start_index, stop_background, wait_for_background
from garden.site_search.run import (
    EXCLUDE_SELECTORS,
    MANIFEST,
    SearchIndexError,
    indexed_pages,
    indexed_part,
    link_pages,
    page_words,
    pagefind_command,
    plan_shards,
    read_shards,
    run_shards,
    shard_count,
    shard_of,
)
from tests.pagefind_index import read_fragment


@pytest.mark.parametrize(
    ("pages", "per_shard", "count"),
    [
        (0, 1000, 1),
        (1, 1000, 1),
        (1000, 1000, 1),
        (1001, 1000, 2),
        (2001, 1000, 2),  # an odd count rounded down: the shards run two at a time
        (3001, 1000, 4),
        (12583, 1000, 12),
        (12591, 2000, 6),  # the 10,000-paper garden
    ],
)
def test_shard_count(pages: int, per_shard: int, count: int) -> None:
    assert shard_count(pages, per_shard) == count


def test_plan_covers_each_page_once_and_evenly() -> None:
    pages = [f"papers/paper{i}/index.html" for i in range(5000)] + ["topics/a/index.html"]
    shards = plan_shards(pages, 1000)
    assert len(shards) == 6
    assert Counter(p for shard in shards for p in shard) == Counter(pages)
    assert all(page in shards[shard_of(page, 6)] for page in pages)  # by its hash
    assert max(map(len, shards)) < 1.2 * len(pages) / 6, [len(s) for s in shards]


def test_a_page_keeps_its_shard_while_the_count_holds() -> None:
    """A note edit that adds or drops a few pages leaves the other pages in their shards."""
    pages = [f"papers/p{i}/index.html" for i in range(3000)]
    before, after = (
        plan_shards(pages, 1000),
        plan_shards(pages[40:] + ["topics/new/index.html"], 1000),
    )
    assert len(before) == len(after) == 2
    where = {page: n for n, shard in enumerate(before) for page in shard}
    assert all(where[page] == n for n, shard in enumerate(after) for page in shard if page in where)


def test_nothing_to_index_is_no_shard() -> None:
    assert plan_shards([], 1000) == []


def test_indexed_pages_are_the_marked_ones(tmp_path: Path) -> None:
    (tmp_path / "papers/a").mkdir(parents=True)
    (tmp_path / "papers/a/index.html").write_text("<article data-pagefind-body>a</article>")
    (tmp_path / "papers/index.html").write_text("<article>all papers</article>")
    (tmp_path / "pagefind/0").mkdir(parents=True)
    (tmp_path / "pagefind/0/x.html").write_text("<p data-pagefind-body>not a page</p>")
    assert indexed_pages(tmp_path) == ["papers/a/index.html"]


def _urls(bundle: Path) -> set[str]:
    urls = set()
    for path in bundle.glob("*/fragment/*.pf_fragment"):
        urls.add(read_fragment(path)["url"])
    return urls


@pytest.fixture(scope="module")
def sharded_copy(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("sharded") / "site"
    shutil.copytree(built_site, site)
    start_index(site, shard_pages=40).finish()
    return site


def test_a_fine_split_indexes_the_same_pages(built_site: Path, sharded_copy: Path) -> None:
    manifest = json.loads((sharded_copy / "pagefind" / MANIFEST).read_text(encoding="utf-8"))
    pages = indexed_pages(built_site)
    # the run splits all the site's HTML files, then drops what is not indexed (read_shards)
    assert manifest["shards"] == [f"{n}/" for n in range(len(read_shards(built_site, 40)))]
    assert len(manifest["shards"]) >= 3
    urls = _urls(sharded_copy / "pagefind")
    assert urls == _urls(built_site / "pagefind")  # no vocabulary page's fragment among them
    assert len(urls) == len(pages) == len(list(sharded_copy.glob("pagefind/*/fragment/*")))
    for shard in manifest["shards"]:  # only shard 0's WebAssembly is loaded, but each has one
        assert (sharded_copy / "pagefind" / shard / "pagefind-entry.json").is_file()


def test_the_run_leaves_nothing_beside_the_site(sharded_copy: Path) -> None:
    assert [p.name for p in sharded_copy.parent.iterdir()] == ["site"]


@pytest.mark.parametrize("room", [True, False])
def test_the_pages_for_pagefind_go_to_memory_where_it_has_room(
    built_site: Path,
    tmp_path: Path,
    monkeypatch,
    room: bool,  # noqa: ANN001
) -> None:
    """The shards' pages are written into the memory file system (here a stand-in folder)
    when it has room, else beside the site; either way none is left once the index is in,
    and the index is the same."""
    site, memory = tmp_path / "site", tmp_path / "memory"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("pagefind"))
    memory.mkdir()
    monkeypatch.setattr("garden.site_search.run.MEMORY", memory)
    if not room:
        monkeypatch.setattr("os.statvfs", lambda path: os.statvfs_result((0,) * 10))
    read: list[Path] = []
    spawn = run_module._spawn
    monkeypatch.setattr(
        "garden.site_search.run._spawn",
        lambda source, output: (read.append(source), spawn(source, output))[1],
    )
    assert run_shards(site, 40) >= 3
    assert len(read) >= 3 and all(source.is_relative_to(memory) == room for source in read)
    assert not any(source.exists() for source in read)
    assert list(memory.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "memory",
        "site",
    ]
    assert _urls(site / "pagefind") == _urls(built_site / "pagefind")


def test_a_newer_run_replaces_one_still_going(sharded_copy: Path) -> None:
    first = start_index(sharded_copy, background=True, shard_pages=10)
    second = start_index(sharded_copy, background=True, shard_pages=40)
    wait_for_background()
    with pytest.raises(SearchIndexError, match="stopped"):
        first.finish()
    second.finish()
    shards = json.loads((sharded_copy / "pagefind" / MANIFEST).read_text(encoding="utf-8"))
    assert len(shards["shards"]) == len(read_shards(sharded_copy, 40))
    assert [p.name for p in sharded_copy.parent.iterdir()] == ["site"]


def test_an_empty_site_gets_an_empty_manifest(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "index.html").parent.mkdir()
    (site / "index.html").write_text("<p>no garden yet</p>")
    start_index(site).finish()
    assert json.loads((site / "pagefind" / MANIFEST).read_text()) == {"shards": []}


def test_a_failing_pagefind_names_the_shard(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a/index.html").write_text("<article data-pagefind-body>a</article>")
    monkeypatch.setattr(
        "garden.site_search.run.pagefind_command",
        lambda source, output, exclude: ["sh", "-c", "echo broken index >&2; exit 3"],
    )
    with pytest.raises(SearchIndexError, match=r"shard 0 \(exit 3\):\nbroken index"):
        run_shards(site)
    assert not (site / "pagefind").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_the_run_process_says_what_failed(tmp_path: Path) -> None:
    """start_index runs in a process of its own: its failure comes back as the message."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").symlink_to(tmp_path / "gone.html")  # unreadable: a broken link
    with pytest.raises(SearchIndexError, match=r"^pagefind: .*site/index\.html'$"):
        start_index(site).finish()


def test_a_run_stopped_while_it_waits_leaves_the_index_as_it_was(sharded_copy: Path) -> None:
    """In serve a run waits SERVE_DELAY first; the next rebuild's run replaces it meanwhile."""
    before = (sharded_copy / "pagefind" / MANIFEST).read_text(encoding="utf-8")
    waiting = start_index(sharded_copy, background=True, shard_pages=10)
    waiting.stop()
    with pytest.raises(SearchIndexError, match="stopped"):
        waiting.finish()
    assert (sharded_copy / "pagefind" / MANIFEST).read_text(encoding="utf-8") == before
    assert [p.name for p in sharded_copy.parent.iterdir()] == ["site"]


def test_stop_background_ends_the_waiting_run(sharded_copy: Path) -> None:
    """hooks.on_config calls it when a serve rebuild starts."""
    run = start_index(sharded_copy, background=True, shard_pages=10)
    stop_background()
    with pytest.raises(SearchIndexError, match="stopped"):
        run.finish()
    wait_for_background()  # none left to wait for
    assert [p.name for p in sharded_copy.parent.iterdir()] == ["site"]


def _bundle(folder: Path) -> tuple[dict, dict]:
    """A Pagefind bundle's result fragments (by URL) and word index chunks (by file name)."""
    fragments = {}
    for path in (folder / "fragment").glob("*.pf_fragment"):
        record = read_fragment(path)
        fragments[record["url"]] = record
    chunks = {path.name: path.read_bytes() for path in (folder / "index").glob("*.pf_index")}
    return fragments, chunks


def test_pagefind_indexes_the_article_alone_as_it_indexes_the_whole_page(
    built_site: Path, tmp_path: Path
) -> None:
    """Each shard's pages are given to Pagefind without the chrome around their article
    (indexed_part): the bundle is the one the whole pages make, every result and word chunk."""
    pages = indexed_pages(built_site)
    assert len(pages) > 80
    parts = {page: indexed_part((built_site / page).read_bytes()) for page in pages}
    assert all(part is not None for part in parts.values())
    for page in pages[:20]:
        part, whole = parts[page], (built_site / page).read_bytes()
        assert len(whole) - len(part) > 3000  # the chrome around the article: ~6 KB
        assert b"md-sidebar" not in part and b"<title>" in part and b"stylesheet" not in part
    papers = [page for page in pages if page.startswith("papers/") and page != "papers/index.html"]
    assert len(papers) > 40
    for page in papers:  # without their last sections, which Pagefind ignores
        assert b"garden-unindexed" in (built_site / page).read_bytes()
        assert b"garden-unindexed" not in parts[page] and b'id="cite"' not in parts[page]
        assert b'id="appears-in"' in parts[page]
        assert parts[page].endswith(b"</article></body></html>")
    # the divs Pagefind excludes, cut out: an author's papers, a paper's categories
    cut = Counter()
    for page in pages:
        whole_page = (built_site / page).read_bytes()
        for name in (b"garden-author-papers", b"md-tags", b"garden-related"):
            if b'<div class="' + name in whole_page:
                assert name not in parts[page], page
                cut[name] += 1
    assert min(cut.values()) > 20 and len(cut) == 3, cut
    whole, alone = tmp_path / "whole", tmp_path / "alone"
    for page in pages:
        (whole / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built_site / page, whole / page)
    link_pages(built_site, pages, alone)
    assert all((alone / page).read_bytes() == parts[page] for page in pages)
    for folder in (whole, alone):
        command = pagefind_command(folder, tmp_path / f"{folder.name}-bundle", EXCLUDE_SELECTORS)
        subprocess.run(command, check=True, capture_output=True, timeout=300)
    made_whole, made_alone = _bundle(tmp_path / "whole-bundle"), _bundle(tmp_path / "alone-bundle")
    assert len(made_whole[0]) == len(pages) and made_whole[1]
    assert made_alone == made_whole


@pytest.mark.parametrize(
    "html",
    [
        b"<html><body><p>no article</p></body></html>",
        b"<html><body><article>not indexed</article></body></html>",
        b"<html><body><article data-pagefind-body>a</article><article>b</article></body></html>",
    ],
)
def test_a_page_laid_out_otherwise_is_given_whole(html: bytes) -> None:
    assert indexed_part(html) is None


PAGE = (
    b"<html><head><title>t</title></head><body><article data-pagefind-body>%s</article>"
    b"</body></html>"
)


@pytest.mark.parametrize(
    ("article", "kept"),
    [
        (
            b'<p>a</p>\n<div class="garden-related">\n<div>x</div>\n</div>\n<p>b</p>',
            b"<p>a</p>\n\n<p>b</p>",
        ),
        (b'<div class="md-tags garden-categories">x</div>\n<h1>T</h1>', b"\n<h1>T</h1>"),
        # not followed by a line break, or not a class the index excludes: given as it is
        (b'<p>a</p><div class="garden-related">x</div><p>b</p>', None),
        (b'<div class="garden-other">x</div>\n', None),
        # what tags alone cannot follow: an attribute holding "</div>", a comment
        (b'<div class="garden-related"><a title="</div>">x</a></div>\n', None),
        (b'<div class="garden-related"><!-- </div> --></div>\n', None),
        # a div that never ends
        (b'<div class="garden-related"><div>x</div>\n', None),
    ],
)
def test_excluded_divs_are_cut_only_where_sure(article: bytes, kept: bytes | None) -> None:
    part = indexed_part(PAGE % article)
    assert part is not None
    assert part.split(b"data-pagefind-body>")[1].removesuffix(b"</article></body></html>") == (
        article if kept is None else kept
    )


def test_the_background_run_of_serve_links_the_pages_whole(
    built_site: Path, tmp_path: Path
) -> None:
    """``mkdocs serve``'s run (``--low``) links the pages instead of writing their parts:
    writing them would slow the rebuild of the next edit."""
    pages = indexed_pages(built_site)[:5]
    link_pages(built_site, pages, tmp_path, parts=False)
    for page in pages:
        assert (tmp_path / page).stat().st_ino == (built_site / page).stat().st_ino


def test_a_word_only_in_what_pagefind_excludes_is_not_the_page_s() -> None:
    """An author's papers (a div Pagefind excludes) name other authors: their names are not
    words of the page, so a shard whose pages have them only there still lists them in its
    vocabulary page, and a search for one finds nothing there (not what "mi" matches)."""
    page = (
        b'<!doctype html><html lang="en"><head><title>Mi</title></head><body><article '
        b'data-pagefind-body><h1 id="mi">Mi</h1>\n<div class="'
        + PAPERS_CLASS.encode()
        + b'">\n<ul><li>Nina Miolane: a paper</li></ul>\n</div>\n<p>Authors whose names '
        b"start with Mi.</p>"
        b"</article></body></html>"
    )
    words = page_words(page)
    assert b"Mi" in words and b"Authors" in words
    assert b"Miolane:" not in words and b"Nina" not in words
