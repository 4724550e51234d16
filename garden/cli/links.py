"""``check_links``: internal links of a built site (lychee, offline), or its external links
(lychee, online, traced back to note file and line)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from garden.checks.external import ARXIV_INTERVAL, LycheeOptions, check_external
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


# lychee's own options, passed as they are: (flag, type, metavar, help).
LYCHEE_FLAGS = (
    (
        "max-cache-age",
        str,
        "DURATION",
        "reuse cached answers younger than this; only successes are cached",
    ),
    ("timeout", int, "SECONDS", "per request, whole seconds"),
    ("max-retries", int, "N", "per request"),
    ("retry-wait-time", int, "SECONDS", "before the first retry"),
    ("host-request-interval", str, "DURATION", "between two requests to one host"),
    ("host-concurrency", int, "N", "requests in flight to one host"),
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="check_links.py", description=main.__doc__)
    parser.add_argument("site", type=Path, metavar="SITE_DIR", help="the built site, e.g. site/")
    parser.add_argument(
        "--external",
        action="store_true",
        help="check http(s) links against their servers instead (lychee, online)",
    )
    parser.add_argument("--lychee", default="lychee", help="lychee executable (both checks)")
    external = parser.add_argument_group(
        "external check",
        "Passed to lychee as they are (lychee's duration syntax: 500ms, 1s, 3d). arXiv hosts "
        f"always get one connection and {ARXIV_INTERVAL} between requests, as arXiv asks.",
    )
    defaults = LycheeOptions()
    external.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(".cache/lychee"),
        metavar="DIR",
        help="lychee runs here and keeps its cache in DIR/.lycheecache (default: %(default)s)",
    )
    external.add_argument(
        "--report", type=Path, metavar="PATH", help="write the Markdown report here"
    )
    for name, kind, metavar, help_text in LYCHEE_FLAGS:
        external.add_argument(
            f"--{name}",
            type=kind,
            default=getattr(defaults, name.replace("-", "_")),
            metavar=metavar,
            help=f"{help_text} (default: %(default)s)",
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
    options = LycheeOptions(
        **{
            name.replace("-", "_"): getattr(args, name.replace("-", "_"))
            for name, *_ in LYCHEE_FLAGS
        }
    )
    print(f"checking external links with lychee (cache: {args.cache_dir})...", file=sys.stderr)
    check = check_external(args.site, args.cache_dir, options, args.lychee)
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
