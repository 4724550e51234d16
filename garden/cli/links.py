"""``check_links``: internal links of a built site (lychee, offline), or its external links."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from tqdm import tqdm

from garden.checks.external import check_external
from garden.checks.http import ARXIV_HOSTS, CheckConfig
from garden.checks.internal import LinkCheckError, check_site
from garden.checks.report import Problem, problems, render_markdown, summary


def main(argv: list[str] | None = None) -> int:
    """Check the links of a built site: internal ones offline, or external ones with --external."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if not args.site.is_dir():
        print(
            f"error: {args.site}: no such directory (build the site first: mkdocs build)",
            file=sys.stderr,
        )
        return 2
    try:
        return _external(args) if args.external else _internal(args)
    except LinkCheckError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="check_links.py", description=main.__doc__)
    parser.add_argument("site", type=Path, metavar="SITE_DIR", help="the built site, e.g. site/")
    parser.add_argument(
        "--external", action="store_true", help="check http(s) links against their servers instead"
    )
    parser.add_argument("--lychee", default="lychee", help="lychee executable (internal check)")
    external = parser.add_argument_group("external check")
    external.add_argument(
        "--cache",
        type=Path,
        default=Path(".cache/links.json"),
        help="JSON file of past results (default: %(default)s)",
    )
    external.add_argument(
        "--max-age",
        type=float,
        default=24.0,
        metavar="HOURS",
        help="reuse cached results younger than this (default: %(default)s)",
    )
    external.add_argument(
        "--report", type=Path, metavar="PATH", help="write the Markdown report here"
    )
    external.add_argument(
        "--timeout",
        type=float,
        default=15.0,
        metavar="SECONDS",
        help="per request (default: %(default)s)",
    )
    external.add_argument(
        "--retries", type=int, default=3, help="after 429, 5xx, timeouts (default: %(default)s)"
    )
    external.add_argument(
        "--interval",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="between requests to one host; arXiv always gets "
        f"{ARXIV_HOSTS[0][1]:g} s (default: %(default)s)",
    )
    return parser


def _internal(args: argparse.Namespace) -> int:
    broken = check_site(args.site, args.lychee)
    for link in broken:
        where = f"{args.site / link.page}:{link.line}" if link.line else f"{args.site / link.page}"
        print(f"{where}: error: broken link {link.target} ({link.reason})")
    pages = len({link.page for link in broken})
    print(
        f"{len(broken)} broken links on {pages} pages"
        if broken
        else f"{args.site}: every internal link resolves"
    )
    return 1 if broken else 0


def _external(args: argparse.Namespace) -> int:
    config = CheckConfig(timeout=args.timeout, retries=args.retries, default_interval=args.interval)
    with tqdm(desc="checking", unit="link", disable=None, file=sys.stderr) as bar:
        check = check_external(
            args.site, args.cache, args.max_age, config, on_result=lambda _result: bar.update()
        )
    found = problems(check)
    for problem in found:
        print(_line(args.site, problem))
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(render_markdown(check), encoding="utf-8")
    print(summary(check) + (f"; report: {args.report}" if args.report else ""))
    return 1 if any(problem.level == "error" for problem in found) else 0


def _line(site: Path, problem: Problem) -> str:
    where = problem.where if not problem.pages else _page_path(site, problem.pages[0])
    more = f" (and {len(problem.pages) - 1} more pages)" if len(problem.pages) > 1 else ""
    return f"{where}: {problem.level}: {problem.message}{more}"


def _page_path(site: Path, page: str) -> str:
    return f"{site.as_posix().rstrip('/')}/{page.lstrip('/')}"
