"""``fetch_arxiv``: resolve the notes' paper references against arXiv and write ``bib/``.

Exit status: 0 when every reference is resolved or marked in ``bib/overrides.yaml``; 1 when
some are unresolved (each listed as ``file:line: text``); 2 on a usage or network error (one
line on stderr, ``bib/`` left as it was).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from garden.bibliography.client import DEFAULT_API_URL, ArxivClient, ClientConfig, FetchError
from garden.bibliography.fetch import Outcome, Plan, fetch, plan_fetch
from garden.bibliography.overrides import OverridesError
from garden.notes import load_notes
from garden.notes.errors import NoteError
from garden.references.extract import extract_references

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    """Resolve every paper the notes mention (arXiv IDs, titles) and write BibTeX to bib/."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
    )
    problem = _usage_problem(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        return _run(args)
    except (FetchError, NoteError, OverridesError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "interrupted: bib/ holds every batch saved so far; run again to resume", file=sys.stderr
        )
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fetch_arxiv.py", description=main.__doc__)
    parser.add_argument(
        "--api-url",
        default=os.environ.get("ARXIV_API_URL", DEFAULT_API_URL),
        help="arXiv query API (default: $ARXIV_API_URL or %(default)s)",
    )
    parser.add_argument("--delay", type=float, default=3.0, help="seconds between requests")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait per request")
    parser.add_argument(
        "--retries", type=int, default=4, help="extra tries on 429/5xx/timeouts, with back-off"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="list what would be asked; ask nothing; exit 1 if bib/ lacks anything",
    )
    parser.add_argument("--refresh", action="store_true", help="ask again for everything")
    parser.add_argument("--notes", type=Path, default=ROOT / "notes", help="notes folder")
    parser.add_argument("--bib", type=Path, default=ROOT / "bib", help="bibliography folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser


def _usage_problem(args: argparse.Namespace) -> str:
    url = urlsplit(args.api_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        return f"--api-url {args.api_url!r} is not an http(s) URL"
    if args.delay < 0 or args.timeout <= 0 or args.retries < 0:
        return "--delay and --retries must be ≥ 0, --timeout > 0"
    if not args.notes.is_dir():
        return f"{args.notes}: no such notes folder"
    return ""


def _run(args: argparse.Namespace) -> int:
    refs = extract_references(load_notes(args.notes))
    if args.dry_run:  # exit 1 when bib/ lacks something: CI uses it as "is bib/ complete?"
        plan = plan_fetch(refs, args.bib, args.refresh)
        _print_plan(plan)
        return 1 if plan.requests else 0
    config = ClientConfig(args.api_url, args.delay, args.timeout, args.retries)
    with ArxivClient(config) as client:
        outcome = fetch(refs, args.bib, client, args.refresh, sys.stderr.isatty())
    _print_outcome(outcome)
    return 1 if outcome.unresolved else 0


def _print_plan(plan: Plan) -> None:
    print(f"would send {plan.requests} request(s) to arXiv")
    if plan.ids:
        print(f"id_list: {len(plan.ids)} ID(s): {', '.join(plan.ids)}")
    for ref in plan.searches:
        print(f"search: {ref.where}: {ref.title or ref.text}")


def _print_outcome(outcome: Outcome) -> None:
    for notice in outcome.notices:
        print(f"notice: {notice}", file=sys.stderr)
    for ref in outcome.unresolved:
        print(f"{ref.where}: {ref.text}")
    resolved = sum(1 for v in outcome.refmap.values() if v != "unresolved")
    print(
        f"{resolved} of {len(outcome.refmap)} references settled, "
        f"{len(outcome.unresolved)} unresolved mention(s), {outcome.requests} request(s) sent",
        file=sys.stderr,
    )
