"""``python -m garden build-pages DIR``: the garden's pages as plain Markdown plus assets.

Exit status: 0 written (warnings, if any, on stderr as ``file:line: message``); 1 with
``--strict`` when there were warnings (nothing is written then); 2 when the input cannot be read
at all (a broken ``bib/``, no notes folder) or on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from garden.bibliography.library import LibraryError
from garden.build import Project, build_pages, write_pages
from garden.notes import NoteError
from garden.workers import WorkerError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m garden", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    pages = commands.add_parser(
        "build-pages", help="write every generated page (Markdown) and asset under DIR"
    )
    pages.add_argument("out", type=Path, metavar="DIR")
    pages.add_argument(
        "--root", type=Path, default=Path("."), help="the project (notes/, bib/, docs/)"
    )
    pages.add_argument("--strict", action="store_true", help="warnings are errors")
    args = parser.parse_args(argv)
    if not (args.root / "notes").is_dir():
        print(f"error: {args.root / 'notes'}: no notes folder", file=sys.stderr)
        return 2
    try:
        built = build_pages(Project(args.root))
    except (LibraryError, NoteError, WorkerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for warning in built.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.strict and built.warnings:
        print(f"{len(built.warnings)} warning(s) with --strict: nothing written", file=sys.stderr)
        return 1
    written = write_pages(built.site, args.out)
    total = len(built.site.pages) + len(built.site.assets)
    print(f"{total} files in {args.out} ({len(written)} changed)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
