"""``lint_notes``: check notes the way a reviewer would, before the site is built."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from garden.bibliography.library import LibraryError, load_library
from garden.bibliography.overrides import OverridesError, load_overrides
from garden.checks.lint import lint


def main(argv: list[str] | None = None) -> int:
    """Lint notes (default: notes/): print file:line:col: level: text; exit 1 on any error."""
    args = _parser().parse_args(argv)
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        print(f"error: {', '.join(missing)}: no such file or directory", file=sys.stderr)
        return 2
    try:
        library = load_library(args.bib)
        overrides = load_overrides(args.bib / "overrides.yaml")
    except (LibraryError, OverridesError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    messages = lint(args.paths or [args.notes], args.notes, Path.cwd(), library, overrides)
    for message in messages:
        print(message)
    errors = sum(message.level == "error" for message in messages)
    print(f"{errors} errors, {len(messages) - errors} warnings", file=sys.stderr)
    return 1 if errors else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lint_notes.py", description=main.__doc__)
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATHS",
        help="note files or folders (default: the notes folder)",
    )
    parser.add_argument(
        "--notes",
        type=Path,
        default=Path("notes"),
        help="every note here is context: its topics, its papers (default: %(default)s)",
    )
    parser.add_argument(
        "--bib",
        type=Path,
        default=Path("bib"),
        help="the bibliography folder (default: %(default)s)",
    )
    return parser
