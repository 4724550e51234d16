"""Benchmark the site build on a synthetic garden: `benchmark.py --scale medium`, `--help`.

Writes a seeded synthetic garden (see synthetic_garden.py) into a temp dir next to copies of
this repo's mkdocs.yml, hooks.py and docs/, times the garden's own stages in-process, runs a
real `mkdocs build --strict` in a child process and prints one table of figures. Right after
the build (unless --no-floor) it builds a bare MkDocs + Material site of as many pages (the
floor); with --pairs N, N builds each followed by a floor, and each build's ratio to its floor.
Then (unless --no-search) it serves the built site on 127.0.0.1 and types queries into the
Pagefind search box in Chromium: time from keystroke to results shown, and bytes fetched; and
the same into the box of a garden of 45 papers built in the same run, the search's floor on
this machine (search_floor). Each query is typed --tries times, the garden's and the floor's
in alternation, and each row is its median try (search_sites). Every timed build starts with
nothing left to write to disk (os.sync): the previous step's files are not written back
during it.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import html as html_lib
import io
import json
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchmark_steps  # noqa: E402
from synthetic_garden import PRESETS, Scale, make_garden  # noqa: E402

from garden.bibliography.library import load_library  # noqa: E402
from garden.join import build_garden  # noqa: E402
from garden.notes import load_notes  # noqa: E402
from garden.pages.site import generate_site  # noqa: E402
from garden.references import extract_references  # noqa: E402
from garden.site_search.run import MANIFEST, SHARD_PAGES, indexed_pages  # noqa: E402

COPIED = ("mkdocs.yml", "hooks.py", "docs")
# The garden whose search is the search's floor (search_floor): as many papers as the seed
# notes cite, one shard
SEARCH_FLOOR = Scale(45, 9, 3)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(PRESETS), default="small")
    parser.add_argument("--papers", type=int, help="override the preset's paper count")
    parser.add_argument("--topics", type=int, help="override the preset's topic count")
    parser.add_argument("--notes", type=int, help="override the preset's note count")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--authors",
        choices=("pool", "realistic"),
        default="pool",
        help="authors from ~1,350 names (the issue's garden) or mostly of one paper each",
    )
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build in DIR and keep it")
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process stages")
    parser.add_argument(
        "--profile-build", action="store_true", help="cProfile the mkdocs build (slower)"
    )
    parser.add_argument("--no-build", action="store_true", help="only the in-process stages")
    parser.add_argument("--no-search", action="store_true", help="skip the search in Chromium")
    parser.add_argument(
        "--site", type=Path, metavar="DIR", help="only the search step, on a site built before"
    )
    parser.add_argument(
        "--shard-pages",
        type=int,
        default=SHARD_PAGES,
        help="with --site: index it again in shards of this many pages",
    )
    parser.add_argument(
        "--tries",
        type=int,
        default=3,
        metavar="N",
        help="type each search query N times (fresh browser contexts): each row is the median",
    )
    parser.add_argument("--no-floor", action="store_true", help="skip the bare MkDocs build")
    parser.add_argument(
        "--pairs",
        type=int,
        default=1,
        metavar="N",
        help="N builds of the garden, each followed by the floor: each ratio and the median",
    )
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve edit")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.site:
        queries = _queries_from_site(args.site)
        searched = search_step(args.site, queries, tries=args.tries)[0]
        rows = search_figures(args.site, args.shard_pages) + searched
        print_table(rows)
        return 0
    preset = PRESETS[args.scale]
    scale = Scale(
        args.papers or preset.papers,
        args.topics or preset.topics,
        args.notes or preset.notes,
        args.authors,
    )
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        return run(args.keep.resolve(), scale, args)
    with tempfile.TemporaryDirectory(prefix="garden-bench-") as tmp:
        return run(Path(tmp), scale, args)


def run(root: Path, scale: Scale, args: argparse.Namespace) -> int:
    rows: list[tuple[str, str]] = []
    started = time.perf_counter()
    prepare(root)
    synthetic = make_garden(root, scale, seed=args.seed)
    rows += [
        ("papers / topics / notes asked", f"{scale.papers} / {scale.topics} / {scale.notes}"),
        ("mentions (misspelled headings)", f"{synthetic.mentions} ({synthetic.misspelled})"),
        ("authors (--authors pool or realistic), of them with one paper", _authors(synthetic)),
        ("synthesis", _secs(time.perf_counter() - started)),
    ]
    profiler = cProfile.Profile() if args.profile else None
    rows += stages(root, profiler)
    if profiler:
        print_profile(pstats.Stats(profiler), "in-process stages")
    if not args.no_build:
        built = build(root, args.profile_build)
        if built is None:
            print_table(rows)
            return 1
        rows += built[0]
        pages = len(list((root / "site").rglob("index.html")))
        if not args.no_floor:
            rows += _guarded("floor", lambda: pairs(root, pages, built[1], args.pairs))
        rows += site_figures(root / "site")
        steps = [
            (
                "search",
                not args.no_search,
                lambda: searches(root, synthetic, args.seed, args.tries),
            ),
            ("serve", not args.no_serve, lambda: benchmark_steps.serve_edit(root)),
        ]
        for name, wanted, step in steps:
            if wanted:
                rows += _guarded(name, step)
    print_table(rows)
    return 0


def _guarded(name: str, step) -> list[tuple[str, str]]:  # noqa: ANN001
    """A step's rows, or one row saying how it failed: the figures of the other steps (a
    10k-paper build takes many minutes) are still printed."""
    try:
        return step()
    except Exception as exc:  # noqa: BLE001 - reported as a figure, the run goes on
        return [(f"{name} step", _failure(exc))]


def _failure(exc: Exception) -> str:
    first = (str(exc).splitlines() or [""])[0]
    return f"FAILED: {type(exc).__name__}: {first}"


def prepare(root: Path) -> None:
    for name in COPIED:
        source, target = ROOT / name, root / name
        if target.exists():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    for name in ("notes", "bib", "site"):
        shutil.rmtree(root / name, ignore_errors=True)


def stages(root: Path, profiler: cProfile.Profile | None) -> list[tuple[str, str]]:
    """The garden's own work, as ``hooks.on_config`` does it, each stage timed."""
    timed: dict[str, float] = {}

    def step(name, func, *a):
        if profiler:
            profiler.enable()
        t0 = time.perf_counter()
        value = func(*a)
        timed[name] = time.perf_counter() - t0
        if profiler:
            profiler.disable()
        return value

    notes = step("parse notes", load_notes, root / "notes", root)
    library = step("read bib/", load_library, root / "bib")
    refs = step("extract references", extract_references, notes)
    garden = step("build garden (incl. extraction)", build_garden, notes, library)
    similar = step("related papers (TF-IDF, top-k)", lambda: garden.similar)
    site = step("generate pages", generate_site, garden)
    rows = [(name, _secs(seconds)) for name, seconds in timed.items()]
    shown = sum(bool(n) for n in similar.papers.values())
    rows.append(("papers with related papers", f"{shown} of {len(garden.library.papers)}"))
    rows += [
        ("references / resolved papers", f"{len(refs)} / {len(garden.mentions)}"),
        ("topics merged", str(len(garden.topics))),
        ("generated pages / assets", f"{len(site.pages)} / {len(site.assets)}"),
        ("generated Markdown", _size(sum(len(p.encode()) for p in site.pages.values()))),
    ]
    return rows


def pairs(root: Path, pages: int, first: float, count: int) -> list[tuple[str, str]]:
    """The floor right after the build (``first``: its wall time), and ``count - 1`` more builds
    of the same garden (into a folder removed after), each followed by the floor: each build's
    ratio to the floor after it, and the median. A machine whose speed drifts within minutes
    (a shared one) moves both alike; a floor built minutes later does not."""
    rows: list[tuple[str, str]] = []
    ratios = []
    for number in range(1, count + 1):
        if number == 1:
            wall = first
        else:
            again = build(root, False, root / "site-again")
            shutil.rmtree(root / "site-again", ignore_errors=True)
            if again is None:
                return [*rows, (f"build {number}", "FAILED")]
            wall = again[1]
        floor_wall, floor_rows = benchmark_steps.floor(root, pages)
        if number == 1:
            rows += floor_rows
        ratios.append(wall / floor_wall)
        label = f"build ÷ floor, pair {number} of {count}" if count > 1 else "build ÷ floor"
        rows.append((label, f"{wall / floor_wall:.2f}× ({wall:.2f} ÷ {floor_wall:.2f} s)"))
    if count > 1:
        median = statistics.median(ratios)
        rows.append((f"build ÷ floor, median of {count} pairs", f"{median:.2f}×"))
    return rows


def build(
    root: Path, profile: bool, site: Path | None = None
) -> tuple[list[tuple[str, str]], float] | None:
    """``mkdocs build --strict`` of the garden at ``root`` into ``site`` (its ``site/``): the
    figures' rows and the wall time; ``None`` if it failed."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    prof = root / "build.prof"
    arguments = ["build", "--strict", "--quiet", "-d", str(site or root / "site")]
    if profile:
        command = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "mkdocs", *arguments]
    else:
        command = benchmark_steps.mkdocs_reporting_peak(arguments)
    os.sync()  # the previous step's files written back before the clock starts, not during
    t0 = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with benchmark_steps.TreeMemory(process.pid) as tree:
        stdout, stderr = process.communicate()
    wall = time.perf_counter() - t0
    result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    if result.returncode != 0:
        print(result.stderr[-4000:], file=sys.stderr)
        print(f"mkdocs build failed (exit {result.returncode}); see above", file=sys.stderr)
        return None
    if profile:
        print_profile(pstats.Stats(str(prof)), "mkdocs build")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
    own = benchmark_steps.own_peak(result.stderr)
    label = "mkdocs build --strict (wall" + (", under cProfile)" if profile else ")")
    rows = [
        (label, _secs(wall)),
        ("build peak RSS, any process (pagefind's included)", _size(peak)),
    ]
    if own is not None:
        rows.append(("build peak RSS, the MkDocs process", _size(own)))
    workers = os.environ.get("GARDEN_BUILD_WORKERS") or "one per core, at most 4"
    label = f"build peak PSS summed, every process but pagefind's (workers: {workers})"
    rows.append((label, _size(tree.peak)))
    return rows, wall


def site_figures(site: Path) -> list[tuple[str, str]]:
    pages = list(site.rglob("*.html"))
    rows = [("HTML pages built", str(len(pages)))]
    for kind in ("topics", "papers", "authors", "notes"):
        sizes = [p.stat().st_size for p in (site / kind).glob("*/index.html")]
        if sizes:
            avg, top = sum(sizes) / len(sizes), max(sizes)
            rows.append((f"{kind}/ page HTML avg / max", f"{_size(avg)} / {_size(top)}"))
    # every page, the section indexes and lists among them (the bibliography was 4 MB)
    largest = sorted((p.stat().st_size, p.relative_to(site).as_posix()) for p in pages)[-4:]
    shown = ", ".join(f"{name} {_size(size)}" for size, name in reversed(largest))
    rows.append(("largest HTML pages", shown))
    rows += search_figures(site)
    sizes = Counter()  # by the first part of the path: a folder, or a file at the root
    for path in site.rglob("*"):
        if path.is_file():
            sizes[path.relative_to(site).parts[0]] += path.stat().st_size
    rows.append(("site total", _size(sum(sizes.values()))))
    folders = [(name, n) for name, n in sizes.most_common() if (site / name).is_dir()]
    top = ", ".join(f"{name}/ {_size(n)}" for name, n in folders[:8])
    rows.append(("site by folder, largest first", top))
    return rows


def search_figures(site: Path, shard_pages: int = SHARD_PAGES) -> list[tuple[str, str]]:
    """Pagefind's bundles: pages indexed, their size, the shards, and how finely each is
    chunked (a query fetches, from each shard, the chunks of its words; and one fragment per
    result shown)."""
    bundle = site / "pagefind"
    if not (bundle / MANIFEST).exists():
        return [("search index (pagefind/)", "absent")]
    t0 = time.perf_counter()
    # Again, alone, to time it and read its peak memory (the build ran it once already): the
    # peak of the process that splits the site and of each pagefind it runs, whichever is more.
    timed = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-c", _INDEX, str(site), str(shard_pages)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    took = time.perf_counter() - t0
    if timed.returncode != 0:
        return [("search index (pagefind/)", f"indexing failed: {timed.stderr[-300:]}")]
    pagefind_peak = int(timed.stderr.strip().splitlines()[-1]) * 1024
    shards = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))["shards"]
    files = [p for p in bundle.rglob("*") if p.is_file()]
    chunks = [p.stat().st_size for p in bundle.glob("*/index/*.pf_index")]
    fragments = [p.stat().st_size for p in bundle.glob("*/fragment/*.pf_fragment")]
    rows = [
        ("pagefind over the built site (all shards)", _secs(took)),
        ("pagefind peak RSS (largest process)", _size(pagefind_peak)),
        ("pages indexed / shards", f"{len(indexed_pages(site))} / {len(shards)}"),
        (
            "pagefind/ total (files)",
            f"{_size(sum(p.stat().st_size for p in files))} ({len(files)})",
        ),
        (
            "word index chunks, count / avg / max",
            f"{len(chunks)} / {_size(sum(chunks) / max(1, len(chunks)))} / {_size(max(chunks))}",
        ),
        (
            "result fragments, count / avg",
            f"{len(fragments)} / {_size(sum(fragments) / max(1, len(fragments)))}",
        ),
    ]
    return rows


_INDEX = (
    "import sys; from garden.site_search import start_index; "
    "start_index(sys.argv[1], shard_pages=int(sys.argv[2])).finish()"
)


# --- the search box in Chromium ----------------------------------------------------------------

# Collects, in the page, each keystroke's time and each render of results (search.js dispatches
# "garden-search:results" with the query and the ms since that query's keystroke).
_WATCH_JS = """() => {
  const input = document.querySelector("[data-garden-search-input]");
  window.__bench = {keys: [], results: []};
  input.addEventListener("input", () => window.__bench.keys.push(performance.now()));
  input.addEventListener("garden-search:results", (e) =>
    window.__bench.results.push({...e.detail, at: performance.now()}));
}"""
TYPING_DELAY_MS = 120  # between keystrokes: a fast typist


def _queries(synthetic) -> list[tuple[str, str]]:
    """What a reader types: a paper's title, an author, an arXiv ID, an abstract's words."""
    records = list(synthetic.records.values())
    record = records[len(records) // 2]
    return [
        ("title", record.title),
        ("author", record.authors[0]),
        ("arXiv ID", record.arxiv_id),
        ("abstract words", " ".join(record.summary.split()[3:5])),
        ("one common word", "transformer"),
    ]


def _queries_from_site(site: Path) -> list[tuple[str, str]]:
    """The same kinds of query, read back from a paper page of a site built before: the first
    from the middle of the papers on that has a title, an author, an arXiv ID and an abstract."""
    pages = sorted((site / "papers").glob("*/index.html"))
    for page in pages[len(pages) // 2 :] + pages[: len(pages) // 2]:
        html = page.read_text(encoding="utf-8")
        title = re.search(r"<h1[^>]*>(.*?)<a", html, re.S)
        author = re.search(r'href="[^"]*authors/[^"]+">([^<]+)</a>', html)  # one-paper: #anchor
        arxiv = re.search(r"arXiv:(\d{4}\.\d{4,5})", html)
        abstract = re.search(r'<h2 id="abstract">.*?<p>(.*?)</p>', html, re.S)
        if title and author and arxiv and abstract:
            break
    else:
        raise SystemExit(f"{site}: no paper page with a title, author, arXiv ID and abstract")
    words = re.sub(r"<[^>]+>", " ", abstract.group(1)).split()
    return [
        ("title", html_lib.unescape(title.group(1).strip())),
        ("author", html_lib.unescape(author.group(1))),
        ("arXiv ID", arxiv.group(1)),
        ("abstract words", " ".join(words[3:5])),
        ("one common word", "transformer"),
    ]


def search_step(
    site: Path, queries: list[tuple[str, str]], label: str = "search", tries: int = 1
) -> tuple[list[tuple[str, str]], dict[str, Searched]]:
    """``search_sites`` for one site: its rows, and each kind's median try."""
    rows, answered = search_sites([(label, site, queries)], tries)
    return rows, answered.get(label, {})


def search_sites(
    sites: list[tuple[str, Path, list[tuple[str, str]]]], tries: int
) -> tuple[list[tuple[str, str]], dict[str, dict[str, Searched]]]:
    """Serve each site (label, folder, queries), open a paper page in Chromium and, for each
    query (a fresh browser context each: nothing cached), press "/" and type it; ``tries``
    rounds, each typing every site's queries in turn, so that the machine's drift over the
    minutes falls on every site and kind alike. A row per site and kind: its median try, and
    every try's first results; the median try of each kind that was answered, by label."""
    sys.path.insert(0, str(ROOT))
    from tests.browser.harness import chromium_available, launch_chromium, serve_directory

    if not chromium_available():
        return [(f"{sites[0][0]} in Chromium", "skipped: no /usr/bin/chromium")], {}
    tried: dict[tuple[str, str], list[Searched]] = {}
    failed: dict[tuple[str, str], str] = {}
    with contextlib.ExitStack() as stack:
        browser = stack.enter_context(launch_chromium())
        urls = {label: stack.enter_context(serve_directory(site)) for label, site, _ in sites}
        # the page each site's queries are typed on: its first paper's
        starts = {
            label: f"papers/{sorted((site / 'papers').glob('*/index.html'))[0].parent.name}/"
            for label, site, _ in sites
        }
        for _ in range(tries):
            for label, _, queries in sites:
                for kind, query in queries:
                    try:
                        searched = _one_search(browser, urls[label], starts[label], query)
                    except Exception as exc:  # noqa: BLE001 - a figure: the others still run
                        failed[label, kind] = _failure(exc)
                    else:
                        tried.setdefault((label, kind), []).append(searched)
    return tried_rows(sites, tries, tried, failed)


def tried_rows(
    sites: list[tuple[str, Path, list[tuple[str, str]]]],
    tries: int,
    tried: dict[tuple[str, str], list[Searched]],
    failed: dict[tuple[str, str], str],
) -> tuple[list[tuple[str, str]], dict[str, dict[str, Searched]]]:
    """``search_sites``' rows from its tries (by label and kind) and the last failure of each
    kind that failed: a kind's row is its median try by first results (of an even count, the
    lower middle one), with every try's first results after it."""
    rows: list[tuple[str, str]] = []
    answered: dict[str, dict[str, Searched]] = {}
    for label, _, queries in sites:
        for kind, query in queries:
            each = sorted(tried.get((label, kind), []), key=lambda searched: searched.first_ms)
            if each:
                median = each[(len(each) - 1) // 2]
                answered.setdefault(label, {})[kind] = median
                figures = str(median)
                if tries > 1:
                    firsts = " / ".join(f"{searched.first_ms:.0f}" for searched in each)
                    figures += f"; first results in {len(each)} of {tries} tries: {firsts} ms"
            else:
                figures = failed.get((label, kind), "FAILED: no try answered")
            rows.append((f"{label} {kind} {query[:40]!r}", figures))
    return rows, answered


class Searched(NamedTuple):
    """One query typed into the box, as ``_one_search`` measured it:

    * ``first_ms``: from the first keystroke to the first results shown (the index loads when
      the box gets focus, a moment before the first keystroke, as for a reader);
    * ``latencies``: for each keystroke whose results were shown, its latency (ms), sorted;
    * ``first_bytes``: fetched from pagefind/ from the focus until the first results;
    * ``bytes``: fetched from pagefind/ from the focus until the last results;
    * ``before``: fetched from pagefind/ before the focus (nothing, unless the index loads
      with the page)."""

    first_ms: float
    latencies: list[float]
    keys: int
    first_bytes: int
    bytes: int
    before: int
    results: int
    shown: int

    def __str__(self) -> str:
        median = self.latencies[len(self.latencies) // 2]
        return (
            f"first results {self.first_ms:.0f} ms, {_size(self.first_bytes)} fetched; "
            f"keystroke → results median {median:.0f} / max {self.latencies[-1]:.0f} ms "
            f"({len(self.latencies)} of {self.keys} keys shown); {_size(self.bytes)} fetched "
            f"in all; {self.results} hits ({self.shown} shown)"
            + (f"; {_size(self.before)} BEFORE focus!" if self.before else "")
        )


def _one_search(browser, base_url: str, path: str, query: str) -> Searched:
    context = browser.new_context(base_url=base_url)
    fetched: list[tuple[str, int, float]] = []  # URL, bytes, when it ended (ms since the epoch)

    def finished(request) -> None:
        sizes, timing = request.sizes(), request.timing
        ended = timing["startTime"] + max(timing["responseEnd"], 0)
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        fetched.append((request.url, size, ended))

    context.on("requestfinished", finished)
    try:
        page = context.new_page()
        page.goto(path, wait_until="networkidle")
        before = sum(n for u, n, _ in fetched if "/pagefind/" in u)
        page.evaluate(_WATCH_JS)
        page.keyboard.press("/")
        page.keyboard.type(query, delay=TYPING_DELAY_MS)
        page.wait_for_function(
            "(q) => window.__bench.results.some(r => r.query === q)",
            arg=query.strip(),
            timeout=60_000,
        )
        page.wait_for_load_state("networkidle")
        bench = page.evaluate("window.__bench")
        origin = page.evaluate("performance.timeOrigin")
        hits = page.locator(".md-search-result__item").count()
    finally:
        context.close()
    shown_at = origin + bench["results"][0]["at"]  # ms since the epoch, as the requests' ends
    searched = [(n, ended) for u, n, ended in fetched if "/pagefind/" in u]
    return Searched(
        first_ms=bench["results"][0]["at"] - bench["keys"][0],
        latencies=sorted(r["ms"] for r in bench["results"]),
        keys=len(bench["keys"]),
        first_bytes=sum(n for n, ended in searched if ended <= shown_at) - before,
        bytes=sum(n for n, _ in searched) - before,
        before=before,
        results=bench["results"][-1]["results"],
        shown=hits,
    )


def searches(root: Path, synthetic, seed: int, tries: int) -> list[tuple[str, str]]:  # noqa: ANN001
    """The garden's search and its floor's (``search_floor``), their tries in alternation
    (``search_sites``); if the floor fails, a row says how, and the garden is still searched."""
    garden = ("search", root / "site", _queries(synthetic))
    sites, rows = [garden], []
    try:
        sites.append(search_floor(root, seed))
    except Exception as exc:  # noqa: BLE001 - reported as a figure, the run goes on
        rows.append(("search floor step", _failure(exc)))
    try:
        searched, answered = search_sites(sites, tries)
    finally:
        shutil.rmtree(root / "search-floor", ignore_errors=True)
    floor = answered.get(sites[1][0], {}) if len(sites) > 1 else {}
    return searched + rows + over_floor(answered.get(garden[0], {}), floor)


def search_floor(root: Path, seed: int) -> tuple[str, Path, list[tuple[str, str]]]:
    """A garden of ``SEARCH_FLOOR`` papers (one Pagefind shard), built, to be searched with
    the same kinds of query (label, site, queries): what the search costs on this machine
    before the garden's size counts (loading Pagefind, a first ranking, the results shown).
    Each of the garden's queries is then set against the floor's of its kind."""
    small = root / "search-floor"
    small.mkdir(exist_ok=True)
    prepare(small)
    synthetic = make_garden(small, SEARCH_FLOOR, seed=seed)
    if build(small, False) is None:
        raise RuntimeError("its build failed (see above)")
    return f"search floor ({SEARCH_FLOOR.papers} papers)", small / "site", _queries(synthetic)


def over_floor(answered: dict[str, Searched], floor: dict[str, Searched]) -> list[tuple[str, str]]:
    """The row of each kind of query's first results over the floor's of that kind (the kinds
    answered in both), and their median; none where no kind was."""
    ratios = {k: answered[k].first_ms / floor[k].first_ms for k in answered if k in floor}
    if not ratios:
        return []
    each = ", ".join(f"{kind} {ratio:.2f}×" for kind, ratio in ratios.items())
    median = statistics.median(ratios.values())
    return [("search first results ÷ floor", f"{each}; median {median:.2f}×")]


def print_profile(stats: pstats.Stats, what: str) -> None:
    out = io.StringIO()
    stats.stream = out
    stats.strip_dirs().sort_stats("tottime").print_stats(20)
    print(f"--- cProfile, {what}: top 20 by own time ---")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def print_table(rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def _secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _authors(synthetic) -> str:  # noqa: ANN001 - a synthetic_garden.Synthetic
    papers = Counter(a for record in synthetic.records.values() for a in record.authors)
    return f"{len(papers)}, {sum(n == 1 for n in papers.values())}"


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} MB"


if __name__ == "__main__":
    sys.exit(main())
