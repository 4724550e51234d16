"""``fetch_arxiv``: resolve the notes' paper references against arXiv and write ``bib/``.

Exit status (also in ``--help``):

====  ====================================================================================
code  meaning
====  ====================================================================================
0     every reference is resolved or marked in ``bib/overrides.yaml``
1     some are unresolved (each listed on stdout as ``file:line: text``)
2     usage or network error (one line on stderr; ``bib/`` left as it was, or holding the
      batches saved before the failure)
3     ``bib/`` is broken or cannot be written: a ``.bib`` pybtex cannot read, a bad
      ``overrides.yaml`` (one line naming file:line and what to do), or a folder where no
      file can be created (found before any request is sent)
4     another fetch holds ``bib/.fetch.lock`` (``--wait SECONDS`` waits for it)
130   interrupted (``bib/`` holds every batch saved so far; run again to resume)
====  ====================================================================================

Everything that is derived is repaired with a warning instead: a corrupt ``bib/refmap.json``
is rebuilt from ``bib/arxiv.bib``, a corrupt ``bib/unresolved.json`` is forgotten, temp files
an interrupted run left in ``bib/`` are removed (under the lock). ``bib/`` is written only
through ``garden.bibliography.storage.write_atomic``: complete files, modes kept.

On a terminal, progress is a tqdm bar; otherwise (CI, logs) one plain line per request.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from garden.bibliography.bibtex import BibFileError
from garden.bibliography.client import DEFAULT_API_URL, ArxivClient, ClientConfig, FetchError
from garden.bibliography.fetch import Outcome, Plan, fetch, plan_fetch
from garden.bibliography.overrides import OverridesError
from garden.bibliography.state import UNRESOLVED
from garden.bibliography.storage import BibLocked, BibUnwritable, display, fetch_guard
from garden.notes import load_notes
from garden.notes.errors import NoteError
from garden.references.extract import extract_references

ROOT = Path(__file__).resolve().parents[2]
OK, UNRESOLVED_EXIT, USAGE_OR_NETWORK, BIB_BROKEN, LOCKED, INTERRUPTED = 0, 1, 2, 3, 4, 130
EXIT_CODES = """\
exit status: 0 all resolved; 1 some unresolved (listed as file:line: text);
2 usage or network error; 3 bib/ is broken or cannot be written (the message names
file:line); 4 another fetch holds bib/.fetch.lock; 130 interrupted (run again to resume)"""


def main(argv: list[str] | None = None) -> int:
    """Resolve every paper the notes mention (arXiv IDs, titles) and write BibTeX to bib/."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
    )
    return exit_status(
        lambda: _run(args),
        _usage_problem(args),
        broken=(BibFileError, OverridesError, BibUnwritable),
        failed=(FetchError, NoteError, OSError),
        interrupted="bib/ holds every batch saved so far; run again to resume",
    )


def exit_status(
    run: Callable[[], int],
    usage_problem: str,
    *,
    broken: tuple[type[Exception], ...],
    failed: tuple[type[Exception], ...],
    interrupted: str,
) -> int:
    """A fetch command's exit status: ``run()``'s, or the one its fault means (EXIT_CODES),
    with the fault's message on stderr; never a traceback. Shared by every fetch command."""
    if usage_problem:
        print(f"error: {usage_problem}", file=sys.stderr)
        return USAGE_OR_NETWORK
    try:
        return run()
    except BibLocked as err:
        print(f"error: {err}", file=sys.stderr)
        return LOCKED
    except broken as err:
        print(f"error: {err}", file=sys.stderr)
        return BIB_BROKEN
    except failed as err:
        print(f"error: {err}", file=sys.stderr)
        return USAGE_OR_NETWORK
    except KeyboardInterrupt:
        print(f"interrupted: {interrupted}", file=sys.stderr)
        return INTERRUPTED


def fetch_parser(prog: str, description: str | None, epilog: str) -> argparse.ArgumentParser:
    """A fetch command's parser with the options every fetch takes: --timeout, --wait (for
    bib/.fetch.lock) and --bib. Shared by every fetch command."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait per request")
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for another fetch to release bib/.fetch.lock (default: exit 4 now)",
    )
    parser.add_argument("--bib", type=Path, default=ROOT / "bib", help="bibliography folder")
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = fetch_parser("fetch_arxiv.py", main.__doc__, EXIT_CODES)
    parser.add_argument(
        "--api-url",
        default=os.environ.get("ARXIV_API_URL", DEFAULT_API_URL),
        help="arXiv query API (default: $ARXIV_API_URL or %(default)s)",
    )
    parser.add_argument("--delay", type=float, default=3.0, help="seconds between requests")
    parser.add_argument(
        "--retries", type=int, default=4, help="extra tries on 429/5xx/timeouts, with back-off"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="list what would be asked; ask nothing; exit 1 if bib/ lacks anything",
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="ask again for everything, including IDs arXiv did not know (bib/unresolved.json)",
    )
    parser.add_argument("--notes", type=Path, default=ROOT / "notes", help="notes folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser


def _usage_problem(args: argparse.Namespace) -> str:
    url = urlsplit(args.api_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        return f"--api-url {args.api_url!r} is not an http(s) URL"
    if args.delay < 0 or args.timeout <= 0 or args.retries < 0 or args.wait < 0:
        return "--delay, --retries and --wait must be ≥ 0, --timeout > 0"
    if not args.notes.is_dir():
        return f"{args.notes}: no such notes folder"
    return ""


def _run(args: argparse.Namespace) -> int:
    refs = extract_references(load_notes(args.notes))
    if args.dry_run:  # exit 1 when bib/ lacks something: CI uses it as "is bib/ complete?"
        plan = plan_fetch(refs, args.bib, args.refresh)
        _print_plan(plan)
        return UNRESOLVED_EXIT if plan.requests else OK
    config = ClientConfig(args.api_url, args.delay, args.timeout, args.retries)
    with fetch_guard(args.bib, args.wait, _notice) as stale:
        for temp in stale:
            _notice(f"removed {display(temp)}, left by an interrupted fetch")
        with ArxivClient(config) as client:
            progress = "bar" if sys.stderr.isatty() else "lines"
            outcome = fetch(refs, args.bib, client, args.refresh, progress)
    _print_outcome(outcome)
    return UNRESOLVED_EXIT if outcome.unresolved else OK


def _notice(text: str) -> None:
    print(f"notice: {text}", file=sys.stderr, flush=True)


def _print_plan(plan: Plan) -> None:
    print(f"would send {plan.requests} request(s) to arXiv")
    if plan.ids:
        print(f"id_list: {len(plan.ids)} ID(s): {', '.join(plan.ids)}")
    for ref in plan.searches:
        print(f"search: {ref.where}: {ref.title or ref.text}")


def _print_outcome(outcome: Outcome) -> None:
    for notice in outcome.notices:
        _notice(notice)
    for ref in outcome.unresolved:
        why = outcome.why(ref)
        print(f"{ref.where}: {ref.text}" + (f" ({why})" if why else ""))
    resolved = sum(1 for v in outcome.refmap.values() if v != UNRESOLVED)
    print(
        f"{resolved} of {len(outcome.refmap)} references settled, "
        f"{len(outcome.unresolved)} unresolved mention(s), {outcome.requests} request(s) sent",
        file=sys.stderr,
    )
