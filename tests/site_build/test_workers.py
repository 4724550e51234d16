"""``mkdocs build`` renders the generated pages outside the navigation in forked worker
processes (garden/workers.py, hooks._Split). A real ``mkdocs build`` of the seed project, with
a probe hook after the garden's: the site is byte for byte the one a single process builds,
and what a worker saw (warnings ``--strict`` counts, links to anchors MkDocs checks after the
last page, the safety scan) reaches the build as if one process had rendered everything."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from garden import workers
from tests.hostile.corpus import build
from tests.projects import add_hook, copy_project

ROOT = Path(__file__).resolve().parents[2]

# Each page written, with the process that wrote it; every paper page links to its own Cite
# section (there) and to an anchor of the home page that is not; the home page (rendered by
# the parent: it is in the navigation) links to every paper's Cite section and to an anchor
# no paper has. In a worker, every page logs one warning.
PROBE = """
import logging
import os
from pathlib import Path

PARENT = os.getpid()
log = logging.getLogger("mkdocs.plugins.probe")
PAPERS = []


def on_files(files, config):
    PAPERS.extend(f.src_uri for f in files if f.src_uri.startswith("papers/") and
                  f.src_uri.count("/") == 1 and f.src_uri != "papers/index.md")
    return files


def on_page_markdown(markdown, page, config, files):
    uri = page.file.src_uri
    if os.environ.get("PROBE_WARN") and os.getpid() != PARENT:
        log.warning("probe: %s rendered in a worker", uri)
    if not os.environ.get("PROBE_ANCHORS"):
        return markdown
    if uri in PAPERS:
        name = uri.split("/")[1]
        markdown += f"\\n\\n[own]({name}#cite) [home](../index.md#no-such-home-anchor)\\n"
    if uri == "index.md":
        links = " ".join(f"[a]({p}#cite) [b]({p}#no-such-paper-anchor)" for p in PAPERS)
        markdown += "\\n\\n" + links + "\\n"
    return markdown


def on_post_page(output, page, config):
    if os.environ.get("PROBE_UNSAFE") and page.file.src_uri in PAPERS[-2:]:
        output = output.replace("<article", '<article onmouseover="alert(1)"', 1)
    with open(Path(config.config_file_path).with_name("written.txt"), "a") as f:
        f.write(f"{os.getpid()} {page.file.src_uri}\\n")
    return output
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    add_hook(project, PROBE)
    return project


def _build(project: Path, site: Path, monkeypatch, count: str, *, strict: bool, probe=()):  # noqa: ANN001
    """A real ``mkdocs build`` with ``count`` workers and the probe's switches ``probe`` on."""
    monkeypatch.setenv(workers.WORKERS_ENV, count)
    for switch in probe:
        monkeypatch.setenv(switch, "1")
    return build(project, site, strict=strict)


def _files(site: Path) -> dict[str, bytes]:
    # Pagefind's bundle differs between two runs over the same pages (its file names are
    # hashes that vary run to run), so it is compared by what it indexed, not byte for byte
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and "pagefind" not in p.relative_to(site).parts
    }


def test_workers_build_the_same_site_as_one_process(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _build(project, tmp_path / "one", monkeypatch, "1", strict=True)
    assert one.returncode == 0, one.stderr
    (project / "written.txt").unlink()
    three = _build(project, tmp_path / "three", monkeypatch, "3", strict=True)
    assert three.returncode == 0, three.stderr
    assert _files(tmp_path / "one") == _files(tmp_path / "three")
    written = [line.split() for line in (project / "written.txt").read_text().splitlines()]
    pids = {pid for pid, _ in written}
    uris = [uri for _, uri in written]
    assert len(pids) == 3  # the parent and two workers, each writing some pages
    assert len(uris) == len(set(uris)) > 80  # each page written once


def test_a_warning_in_a_worker_fails_a_strict_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = _build(project, tmp_path / "site", monkeypatch, "2", strict=True, probe=["PROBE_WARN"])
    in_worker = re.findall(r"^WARNING .*probe: (\S+) rendered in a worker", done.stderr, re.M)
    assert done.returncode == 1
    assert len(in_worker) >= 5  # the pages the worker took from the queue
    # every warning a worker logged is counted, none twice
    assert f"Aborted with {len(in_worker)} warnings in strict mode!" in done.stdout


def test_links_to_anchors_are_checked_across_workers(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = _build(
        project, tmp_path / "site", monkeypatch, "3", strict=False, probe=["PROBE_ANCHORS"]
    )
    assert done.returncode == 0, done.stderr
    # a paper's link to a missing anchor, found in the worker that rendered it
    from_papers = re.findall(
        r"'papers/([^']+)' contains a link '\.\./index\.md#no-such", done.stderr
    )
    # the home page's links to the papers' pages, checked against anchors a worker found
    to_papers = re.findall(
        r"the doc 'papers/([^']+)' does not contain an anchor '#([\w-]+)'", done.stderr
    )
    assert len(from_papers) == len(set(from_papers)) > 40
    assert sorted(uri for uri, _ in to_papers) == sorted(from_papers)
    assert {anchor for _, anchor in to_papers} == {"no-such-paper-anchor"}  # "#cite" is there
    written = [line.split() for line in (project / "written.txt").read_text().splitlines()]
    assert len({pid for pid, uri in written if uri.removeprefix("papers/") in from_papers}) == 3


def test_a_wrong_worker_count_is_named(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = _build(project, tmp_path / "site", monkeypatch, "many", strict=True)
    assert done.returncode == 1
    assert "GARDEN_BUILD_WORKERS='many': give a whole number" in done.stderr
    assert "Traceback" not in done.stderr


def test_worker_count_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "_threaded", lambda: False)  # pytest may run other threads
    monkeypatch.setenv(workers.WORKERS_ENV, "3")
    assert workers.workers() == 3
    monkeypatch.setattr(workers, "_threaded", lambda: True)  # e.g. mkdocs serve, serving
    assert workers.workers() == 1
    monkeypatch.setattr(workers, "_threaded", lambda: False)
    monkeypatch.delenv(workers.WORKERS_ENV)
    assert 1 <= workers.workers() <= workers.MAX_WORKERS
    for wrong in ("0", "two", "-1"):
        monkeypatch.setenv(workers.WORKERS_ENV, wrong)
        with pytest.raises(workers.WorkerError, match=workers.WORKERS_ENV):
            workers.workers()


def test_a_failing_worker_is_reported_after_all_have_ended() -> None:
    def work(share: int) -> int:
        if share == 2:
            raise ValueError("share two is broken")
        return share * 10

    assert workers.fork_each([1, 3], work).join() == [10, 30]
    with pytest.raises(workers.WorkerError, match="ValueError: share two is broken"):
        workers.fork_each([1, 2, 3], work).join()


def test_a_large_result_arrives_whole() -> None:
    """A result many times the pipe's buffer is pickled into it and read as it comes."""

    def work(share: int) -> list:  # an array is written as a buffer (pickle protocol 5)
        big = [bytes([share]) * 1_000_000 for _ in range(20)]
        return [*big, np.full(1_000_000, share, dtype=np.float32), {"share": share}]

    first, second = workers.fork_each([1, 2], work).join()
    assert len(first) == len(second) == 22 and first[-1] == {"share": 1}
    assert first[:20] == [b"\x01" * 1_000_000] * 20 and second[0] == b"\x02" * 1_000_000
    assert first[20].shape == (1_000_000,) and set(second[20].tolist()) == {2.0}


def test_a_result_that_will_not_pickle_is_reported() -> None:
    def unpicklable(share: int) -> object:
        return lambda: share  # a local function does not pickle

    with pytest.raises(workers.WorkerError, match="its result would not pickle"):
        workers.fork_each([1], unpicklable).join()

    def half(share: int) -> list:  # fails after a part is already in the pipe
        return [b"x" * 5_000_000, lambda: share]

    with pytest.raises(workers.WorkerError, match="exited with 1|could not be read"):
        workers.fork_each([1], half).join()


def test_a_worker_that_dies_is_reported() -> None:
    import os

    def work(share: int) -> int:
        os._exit(7)

    with pytest.raises(workers.WorkerError, match="exited with 7"):
        workers.fork_each([1], work).join()


@pytest.mark.parametrize("count", ["1", "3"])
def test_the_safety_scan_sees_what_workers_write(
    count: str, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page made unsafe by a later plugin (the probe, after the garden's hook) fails the
    build, whichever process wrote it and scanned it."""
    done = _build(
        project, tmp_path / "site", monkeypatch, count, strict=False, probe=["PROBE_UNSAFE"]
    )
    assert done.returncode == 1
    assert "2 unsafe element(s) in the built site" in done.stderr
    found = re.findall(r"unsafe output: papers/\S+/index.html:\d+: event handler", done.stderr)
    assert len(found) == 2


def test_stopped_workers_are_ended() -> None:
    import os
    import time

    def work(share: int) -> int:
        time.sleep(60)
        return share

    forked = workers.fork_each([1, 2], work)
    pids = [pid for pid, _ in forked._children]
    forked.stop()
    for pid in pids:  # ended and reaped: no such process any more
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    assert forked.join() == []


def test_free_heap_memory_is_given_back_before_forking() -> None:
    """Large objects freed stay with the C heap (holes between survivors); a child forked then
    would share those pages and copy them on its next allocations. ``release_free_memory``
    (called by ``fork_each``) gives them back: measured in a fresh interpreter, in MB."""
    script = """
import os, re
from garden import workers

def anonymous():
    text = open(f"/proc/{os.getpid()}/smaps_rollup").read()
    return int(re.search(r"^Anonymous:\\s+(\\d+)", text, re.M).group(1)) // 1024

kept, texts = [], []
for i in range(60_000):  # 2 KB each: the C heap's, not Python's small-object allocator
    texts.append("x" * 2000 + str(i))
    if i % 50 == 0:
        kept.append("y" * 2000 + str(i))  # survivors between them: the heap cannot just shrink
del texts
freed = anonymous()
released = workers.release_free_memory()
print(freed, anonymous(), released)
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    freed, after, released = done.stdout.split()
    if not sys.platform.startswith("linux") or released != "True":
        pytest.skip("not glibc: nothing to give back this way")
    assert int(freed) - int(after) > 80, done.stdout  # ~115 of the ~120 MB freed


def test_a_queue_gives_each_item_to_one_process() -> None:
    """The parent and a forked child drain one ``workers.Queue``: every item is taken once,
    by one of them, with its index."""
    items = [f"item{i}" for i in range(1000)]
    queue = workers.Queue(items, processes=2)
    forked = workers.fork_each([queue], lambda q: q.drain(lambda i, item: (i, item, os.getpid())))
    mine = queue.drain(lambda i, item: (i, item, os.getpid()))
    theirs = forked.join()[0]
    done = sorted(mine + theirs)
    assert [(i, item) for i, item, _ in done] == list(enumerate(items))
    assert {pid for _, _, pid in mine} == {os.getpid()}
    assert os.getpid() not in {pid for _, _, pid in theirs}
