"""``fetch_citations``: ask Semantic Scholar what each garden paper cites; write ``bib/citations/``.

Exit status (also in ``--help``), as ``fetch_arxiv``:

====  ====================================================================================
code  meaning
====  ====================================================================================
0     every paper with an arXiv ID has a file (Semantic Scholar's answer, or that it has no
      such paper); ``--dry-run``: nothing to ask
1     ``--dry-run`` only: something would be asked
2     usage or network error (one line on stderr; ``bib/`` as it was, or holding the
      batches answered before the failure)
3     ``bib/`` is broken or cannot be written (the message names the file and line)
4     another fetch holds ``bib/.fetch.lock`` (``--wait SECONDS`` waits for it)
130   interrupted (``bib/citations/`` keeps every batch answered; run again to resume)
====  ====================================================================================

The API key, if any, comes from ``$S2_API_KEY`` (sent as ``x-api-key``); the base URL from
``--api-url`` or ``$S2_API_URL``. On a terminal, progress is a tqdm bar; otherwise one plain
line per request.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from urllib.parse import urlsplit

from garden.bibliography.citations_client import (
    API_KEY_ENV,
    DEFAULT_API_URL,
    MAX_IDS_PER_REQUEST,
    S2Client,
    S2Config,
    seconds_at_pace,
)
from garden.bibliography.citations_fetch import CitationPlan, fetch_citations, plan_citations
from garden.bibliography.client import FetchError
from garden.bibliography.library import LibraryError, load_library
from garden.bibliography.storage import (
    BibUnwritable,
    check_writable,
    display,
    fetch_guard,
    stale_temp_files,
)
from garden.cli.fetch import (
    OK,
    UNRESOLVED_EXIT,
    exit_status,
    fetch_parser,
)

EXIT_CODES = """\
exit status: 0 done (every paper with an arXiv ID has its file); 1 --dry-run: something
would be asked; 2 usage or network error; 3 bib/ is broken or cannot be written (the
message names file:line); 4 another fetch holds bib/.fetch.lock; 130 interrupted (run
again to resume)"""


def main(argv: list[str] | None = None) -> int:
    """Ask Semantic Scholar which papers each garden paper cites (by arXiv ID); write one
    small JSON per paper to bib/citations/. Only papers without a file are asked."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
    )
    return exit_status(
        lambda: _run(args),
        _usage_problem(args),
        broken=(LibraryError, BibUnwritable),
        failed=(FetchError, OSError),
        interrupted="bib/citations/ keeps every batch answered so far; run again to resume",
    )


def _parser() -> argparse.ArgumentParser:
    parser = fetch_parser("fetch_citations.py", main.__doc__, EXIT_CODES)
    parser.add_argument(
        "--api-url",
        default=os.environ.get("S2_API_URL", DEFAULT_API_URL),
        help="Semantic Scholar Graph API base (default: $S2_API_URL or %(default)s)",
    )
    parser.add_argument(
        "--delay",
        type=float,
        default=None,
        help="seconds between requests (default: 1 with $S2_API_KEY, 3 without)",
    )
    parser.add_argument(
        "--retries", type=int, default=4, help="extra tries on 429/5xx/timeouts (429: Retry-After)"
    )
    parser.add_argument(
        "--backoff",
        type=float,
        default=3.0,
        metavar="SECONDS",
        help="first wait after a failure without Retry-After; doubles each retry",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=MAX_IDS_PER_REQUEST,
        help="arXiv IDs per request (at most %(default)s)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be asked and how long; ask nothing"
    )
    parser.add_argument(
        "--refresh", action="store_true", help="ask again for every paper, even those with a file"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every retry")
    return parser


def _usage_problem(args: argparse.Namespace) -> str:
    url = urlsplit(args.api_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        return f"--api-url {args.api_url!r} is not an http(s) URL"
    if (args.delay is not None and args.delay < 0) or args.timeout <= 0:
        return "--delay must be ≥ 0, --timeout > 0"
    if args.retries < 0 or args.wait < 0 or args.backoff < 0:
        return "--retries, --backoff and --wait must be ≥ 0"
    if not 1 <= args.batch_size <= MAX_IDS_PER_REQUEST:
        return f"--batch-size must be between 1 and {MAX_IDS_PER_REQUEST}"
    if not args.bib.is_dir():
        return f"{args.bib}: no such bibliography folder (run scripts/fetch_arxiv.py first)"
    return ""


def _config(args: argparse.Namespace) -> S2Config:
    key = os.environ.get(API_KEY_ENV, "").strip()
    return S2Config(args.api_url, key, args.delay, args.timeout, args.retries, args.backoff)


def _run(args: argparse.Namespace) -> int:
    config = _config(args)
    if args.dry_run:
        library = load_library(args.bib, citations=False)
        plan = plan_citations(library, args.bib, args.refresh, args.batch_size)
        _print_plan(plan, config)
        return UNRESOLVED_EXIT if plan.requests else OK
    with fetch_guard(args.bib, args.wait, _notice) as stale:
        citations = args.bib / "citations"
        if citations.is_dir():
            check_writable(citations)
            for temp in stale_temp_files(citations):
                temp.unlink(missing_ok=True)
                stale.append(temp)
        for temp in stale:
            _notice(f"removed {display(temp)}, left by an interrupted fetch")
        library = load_library(args.bib, citations=False)
        with S2Client(config) as client:
            progress = "bar" if sys.stderr.isatty() else "lines"
            outcome = fetch_citations(
                library, args.bib, client, args.refresh, progress, batch_size=args.batch_size
            )
    print(
        f"{outcome.have} of {outcome.papers} papers with an arXiv ID have citation data "
        f"({outcome.asked} asked, {outcome.known} known to Semantic Scholar, "
        f"{outcome.asked - outcome.known} not); {outcome.requests} request(s) sent, "
        f"{outcome.written} file(s) written, {outcome.removed} removed",
        file=sys.stderr,
    )
    return OK


def _notice(text: str) -> None:
    print(f"notice: {text}", file=sys.stderr, flush=True)


def _print_plan(plan: CitationPlan, config: S2Config) -> None:
    pace = "1 request/s with $S2_API_KEY" if config.api_key else "the shared pool, no API key"
    seconds = seconds_at_pace(plan.requests, config)
    print(
        f"would send {plan.requests} request(s) to Semantic Scholar "
        f"(about {seconds:g} s at {config.pause:g} s between requests: {pace})"
    )
    if plan.ask:
        print(f"ids: {len(plan.ask)} arXiv ID(s): {', '.join(plan.ask)}")
    if plan.stale:
        print(f"would remove {len(plan.stale)} file(s) of papers no longer in bib/")
