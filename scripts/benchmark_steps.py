"""Benchmark steps run beside ``benchmark.py``'s build: the floor, and an edit in ``mkdocs serve``.

* ``floor``: a bare MkDocs + Material build of as many pages (a title and a paragraph each,
  none in the navigation), in the same run: what any MkDocs site of that size costs.
* ``serve_edit``: a real ``mkdocs serve`` of the synthetic garden; one note is edited and the
  time until the edited topic page serves the new text is measured, three times.
* ``TreeMemory``: the memory of a process and its descendants while it runs (the build forks
  workers, garden/workers.py), summed as Linux's PSS counts it (a page two processes share
  counted half in each), sampled four times a second.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR_CONFIG = """site_name: Floor
site_url: https://floor.example.org/
theme:
  name: material
  font: false
  features: [navigation.instant, navigation.prune]
not_in_nav: |
  /p/
"""


def floor(root: Path, pages: int) -> tuple[float, list[tuple[str, str]]]:
    """Build ``pages`` bare pages with MkDocs + Material; the wall time, and it and the peak
    memory as figures."""
    site = root / "floor"
    docs = site / "docs" / "p"
    docs.mkdir(parents=True, exist_ok=True)
    (site / "docs" / "index.md").write_text("# Floor\n\nA bare site.\n", encoding="utf-8")
    for n in range(pages):
        (docs / f"page-{n}.md").write_text(
            f"# Page {n}\n\nA paragraph of text for page {n}, with a [link](../index.md).\n",
            encoding="utf-8",
        )
    (site / "mkdocs.yml").write_text(FLOOR_CONFIG, encoding="utf-8")
    shutil.rmtree(site / "site", ignore_errors=True)  # as the garden's build, into no site
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = mkdocs_reporting_peak(["build", "-q"])
    os.sync()  # its pages, and the build's site before them, on disk before the clock starts
    t0 = time.perf_counter()
    result = subprocess.run(command, cwd=site, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if result.returncode != 0:
        raise RuntimeError(f"the floor's build failed: {result.stderr.strip()[-300:]}")
    peak = own_peak(result.stderr)
    return wall, [
        (f"floor: bare MkDocs + Material, {pages + 1} pages", f"{wall:.2f} s"),
        ("floor peak RSS", "not reported" if peak is None else f"{peak / 2**20:.0f} MB"),
    ]


# `python -m mkdocs ...` that prints its own peak RSS when it exits (RUSAGE_SELF: not the
# pagefind it runs, which RUSAGE_CHILDREN in the benchmark counts too). It is started by a small
# launcher (_LAUNCH), not by the benchmark: Linux carries a process's peak RSS across exec, so a
# child spawned straight from the benchmark, which holds the synthetic garden (~600 MB at
# 10,000 papers), reported at least that as its own peak.
_LAUNCH = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"
_OWN_PEAK = (
    "import atexit, resource, runpy, sys; "
    "atexit.register(lambda: print('garden-peak-rss:', "
    "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)); "
    "sys.argv = ['mkdocs', *sys.argv[1:]]; runpy.run_module('mkdocs', run_name='__main__')"
)
_PEAK_LINE = re.compile(r"^garden-peak-rss: (\d+)$", re.M)


def mkdocs_reporting_peak(arguments: list[str]) -> list[str]:
    """The command of ``mkdocs <arguments>`` that ends by printing its own peak RSS on stderr
    (``own_peak`` reads it)."""
    return [sys.executable, "-c", _LAUNCH, sys.executable, "-c", _OWN_PEAK, *arguments]


def own_peak(stderr: str) -> int | None:
    """The peak RSS in bytes that ``mkdocs_reporting_peak``'s command printed, if it did."""
    found = _PEAK_LINE.findall(stderr)
    return int(found[-1]) * 1024 if found else None  # KiB on Linux


def serve_edit(root: Path, tries: int = 3) -> list[tuple[str, str]]:
    """Start ``mkdocs serve`` on the garden at ``root``; edit a note; time until it shows."""
    note = max((root / "notes").glob("*.md"), key=lambda p: p.stat().st_size)
    original = text = note.read_text("utf-8")
    heading = re.search(r"^#+ (.+)$", text, re.M)
    item = re.search(r"^([-+*] )(.+)$", text[heading.end() :] if heading else text, re.M)
    if heading is None or item is None:
        return [("serve edit", "no topic item to edit")]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    log = (root / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    rows = []
    try:
        t0 = time.perf_counter()
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/", "", 1800)
        rows.append(("serve: first build until served", f"{time.perf_counter() - t0:.2f} s"))
        page = f"{base}/notes/{note.stem}/"
        times = []
        for n in range(tries):
            marker = f"BENCH-EDIT-{os.getpid()}-{n}"  # never on the page before this edit
            old = item.group(0)
            text = text.replace(old, f"{old} {marker}", 1)
            t0 = time.perf_counter()
            note.write_text(text, encoding="utf-8")
            _wait(page, marker, 600)
            times.append(time.perf_counter() - t0)
            time.sleep(1.5)  # let a second file event's rebuild (one save can fire two) finish
        figures = ", ".join(f"{t:.2f}" for t in times)
        rows.append(("serve: note edit until its page shows it", f"{figures} s"))
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
        note.write_text(original, encoding="utf-8")  # a later run on this garden starts clean
    return rows


def _wait(url: str, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - localhost
                if text in response.read().decode("utf-8", errors="replace"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not show {text!r} in {seconds} s")


class TreeMemory:
    """``with TreeMemory(pid) as tree: ...``; then ``tree.peak`` (bytes): the largest sum of
    the PSS of ``pid`` and its descendants seen, the program ``skip`` left out (its process
    name, or a word of its command line: a process that is ending may show an empty command
    line, and was then counted once in a while, Pagefind's 260 MB with it)."""

    def __init__(self, pid: int, skip: str = "pagefind") -> None:
        self.pid, self.skip, self.peak = pid, skip, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            self.peak = max(self.peak, sum(_pss(p) for p in _tree(self.pid, self.skip)))


def _tree(pid: int, skip: str) -> list[int]:
    found, todo = [], [pid]
    while todo:
        pid = todo.pop()
        try:
            name = Path(f"/proc/{pid}/comm").read_text(errors="replace").strip()
            command = Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
            if name != skip and f"{skip}_bin" not in command:
                found.append(pid)
            for task in os.listdir(f"/proc/{pid}/task"):
                todo += map(int, Path(f"/proc/{pid}/task/{task}/children").read_text().split())
        except OSError:  # ended meanwhile
            continue
    return found


def _pss(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) * 1024 if found else 0
