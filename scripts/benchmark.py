"""Benchmark the site build on a synthetic garden: `benchmark.py --scale medium`, `--help`.

Writes a seeded synthetic garden (see synthetic_garden.py) into a temp dir next to copies of
this repo's mkdocs.yml, hooks.py and docs/, times the garden's own stages in-process, runs a
real `mkdocs build --strict` in a child process and prints one table of figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchmark_steps  # noqa: E402
from synthetic_garden import PRESETS, Scale, make_garden  # noqa: E402

from garden.bibliography.library import load_library  # noqa: E402
from garden.join import build_garden  # noqa: E402
from garden.notes import load_notes  # noqa: E402
from garden.pages.site import generate_site  # noqa: E402
from garden.references import extract_references  # noqa: E402

COPIED = ("mkdocs.yml", "hooks.py", "docs")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(PRESETS), default="small")
    parser.add_argument("--papers", type=int, help="override the preset's paper count")
    parser.add_argument("--topics", type=int, help="override the preset's topic count")
    parser.add_argument("--notes", type=int, help="override the preset's note count")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build in DIR and keep it")
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process stages")
    parser.add_argument(
        "--profile-build", action="store_true", help="cProfile the mkdocs build (slower)"
    )
    parser.add_argument("--no-build", action="store_true", help="only the in-process stages")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare MkDocs build")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve edit")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    preset = PRESETS[args.scale]
    scale = Scale(
        args.papers or preset.papers, args.topics or preset.topics, args.notes or preset.notes
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
        ("synthesis", _secs(time.perf_counter() - started)),
    ]
    profiler = cProfile.Profile() if args.profile else None
    rows += stages(root, profiler)
    if profiler:
        print_profile(pstats.Stats(profiler), "in-process stages")
    if not args.no_build:
        built = build(root, args.profile_build)
        if built is None:
            return 1
        rows += built
        rows += site_figures(root / "site")
        if not args.no_floor:
            rows += benchmark_steps.floor(root, len(list((root / "site").rglob("index.html"))))
        if not args.no_serve:
            rows += benchmark_steps.serve_edit(root)
    print_table(rows)
    return 0


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
    site = step("generate pages", generate_site, garden)
    rows = [(name, _secs(seconds)) for name, seconds in timed.items()]
    rows += [
        ("references / resolved papers", f"{len(refs)} / {len(garden.mentions)}"),
        ("topics merged", str(len(garden.topics))),
        ("generated pages / assets", f"{len(site.pages)} / {len(site.assets)}"),
        ("generated Markdown", _size(sum(len(p.encode()) for p in site.pages.values()))),
    ]
    return rows


def build(root: Path, profile: bool) -> list[tuple[str, str]] | None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    prof = root / "build.prof"
    command = [sys.executable]
    command += ["-m", "cProfile", "-o", str(prof)] if profile else []
    command += ["-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(root / "site")]
    t0 = time.perf_counter()
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if result.returncode != 0:
        print(result.stderr[-4000:], file=sys.stderr)
        print(f"mkdocs build failed (exit {result.returncode}); see above", file=sys.stderr)
        return None
    if profile:
        print_profile(pstats.Stats(str(prof)), "mkdocs build")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
    label = "mkdocs build --strict (wall" + (", under cProfile)" if profile else ")")
    return [(label, _secs(wall)), ("build peak RSS", _size(peak))]


def site_figures(site: Path) -> list[tuple[str, str]]:
    pages = list(site.rglob("*.html"))
    rows = [("HTML pages built", str(len(pages)))]
    for kind in ("topics", "papers", "authors", "notes"):
        sizes = [p.stat().st_size for p in (site / kind).glob("*/index.html")]
        if sizes:
            avg, top = sum(sizes) / len(sizes), max(sizes)
            rows.append((f"{kind}/ page HTML avg / max", f"{_size(avg)} / {_size(top)}"))
    rows += search_figures(site / "search" / "search_index.json")
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    rows.append(("site total", _size(total)))
    return rows


def search_figures(path: Path) -> list[tuple[str, str]]:
    """Size of Material's search index, and how much of it each kind of page takes."""
    if not path.exists():
        return [("search index", "absent")]
    docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    pages: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        page = doc["location"].split("#")[0]
        kind = page.split("/")[0] if "/" in page.rstrip("/") else "other"
        size = len(json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode())
        by_kind[kind][0] += size
        by_kind[kind][1] += 1
        pages[kind].add(page)
    rows = [("search_index.json (entries)", f"{_size(path.stat().st_size)} ({len(docs)})")]
    for kind, (size, count) in sorted(by_kind.items(), key=lambda kv: -kv[1][0]):
        per = size / max(1, len(pages[kind]))
        figures = f"{_size(size)}, {count}, {_size(per)}"
        rows.append((f"  {kind}: share, entries, per page", figures))
    return rows


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


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} MB"


if __name__ == "__main__":
    sys.exit(main())
