"""External link check: lychee asks the servers; this module only traces its answers to notes.

lychee (0.24.2) does the work: GET with retries, per-host pacing and concurrency, the on-disk
cache (``.lycheecache`` in its working directory, which is why it runs in ``cache_dir``).
What stays here: the arXiv policy as a lychee config file, reading ``--format json``, the
verdict per link (dead, unreachable, moved permanently), and the note file and line each
problem link was written on (``data-note``/``data-line`` on the page, read by ``html.py``).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from garden.checks.html import LinkUse, page_links, page_name, parse_html
from garden.checks.internal import lychee_executable, lychee_json

# arXiv's terms: at most one request every 3 s, one connection at a time. lychee matches a
# host name exactly, so every arXiv host seen on the site gets its own entry (see arxiv_hosts).
ARXIV_DOMAIN = "arxiv.org"
ARXIV_HOSTS = ("arxiv.org", "www.arxiv.org", "export.arxiv.org")
ARXIV_INTERVAL = "3s"
_ARXIV_URL = re.compile(rb"https?://((?:[a-z0-9-]+\.)*arxiv\.org)(?![a-z0-9.-])", re.IGNORECASE)
# WHATWG URL percent-encode sets (what lychee's url crate applies), as Python's quote(safe=...)
_PATH_SAFE = "".join(c for c in map(chr, range(33, 127)) if c not in '"#<>?`{}')
_QUERY_SAFE = "".join(c for c in map(chr, range(33, 127)) if c not in "\"#<>'")
PERMANENT_REDIRECTS = frozenset({301, 308})
REFUSED_STATUSES = frozenset({401, 403, 429})  # the server is there but turns robots away


class Outcome(StrEnum):
    OK = "ok"
    REDIRECT = "redirect"  # works, but moved permanently: the note should use the new address
    DEAD = "dead"  # 404, 410, other 4xx, no such host, connection refused
    UNREACHABLE = "unreachable"  # timeout, 5xx, 401/403/429 after every retry: try again later


@dataclass(frozen=True)
class LinkResult:
    url: str
    outcome: Outcome
    status: int = 0  # final HTTP status; 0 when no response came
    detail: str = ""  # reason phrase or error, for the report
    final_url: str = ""  # where a permanent redirect leads


@dataclass(frozen=True)
class ExternalCheck:
    uses: tuple[LinkUse, ...]  # where each link that is not OK was written (url: link_key)
    results: Mapping[str, LinkResult]  # one per distinct URL (link_key), OK ones included
    from_cache: int  # distinct URLs answered from lychee's on-disk cache alone


@dataclass(frozen=True)
class LycheeOptions:
    """Passed to lychee as they are; durations in lychee's syntax ("1s", "500ms", "3d")."""

    timeout: int = 20  # --timeout, whole seconds
    max_retries: int = 3  # --max-retries
    retry_wait_time: int = 1  # --retry-wait-time, seconds before the first retry
    host_request_interval: str = "1s"  # --host-request-interval, every host but arXiv's
    host_concurrency: int = 1  # --host-concurrency, every host but arXiv's (always 1)
    max_cache_age: str = "1d"  # --max-cache-age
    slow_hosts: tuple[str, ...] = ARXIV_HOSTS  # one request at a time, ARXIV_INTERVAL apart
    slow_interval: str = ARXIV_INTERVAL


def check_external(
    site: Path, cache_dir: Path, options: LycheeOptions | None = None, lychee: str = "lychee"
) -> ExternalCheck:
    """Run lychee over every page of ``site`` (http and https links only) and read its report."""
    options = options or LycheeOptions()
    site = site.resolve()
    executable = lychee_executable(lychee)
    cache_dir.mkdir(parents=True, exist_ok=True)
    hosts = sorted({*options.slow_hosts, *arxiv_hosts(site)})
    with tempfile.TemporaryDirectory(prefix="garden-lychee-") as tmp:
        config = Path(tmp) / "lychee.toml"
        config.write_text(host_config(hosts, options.slow_interval), encoding="utf-8")
        # cwd: lychee keeps its cache in ./.lycheecache
        report = lychee_json(lychee_command(site, executable, options, config), cwd=cache_dir)
    return read_report(report, site)


def lychee_command(site: Path, executable: str, options: LycheeOptions, config: Path) -> list[str]:
    fixed = [
        *("--no-progress", "--format", "json", "--cache"),
        "--verbose",  # without it the JSON report lists neither successes nor redirects
        *("--scheme", "http", "--scheme", "https"),  # internal links: the offline check's job
        "--no-ignore",  # site/ is in .gitignore; lychee would otherwise skip files under it
        *("--extensions", "html,htm", "--config", str(config.resolve())),
    ]
    passed = {
        "--max-cache-age": options.max_cache_age,
        "--timeout": options.timeout,
        "--max-retries": options.max_retries,
        "--retry-wait-time": options.retry_wait_time,
        "--host-request-interval": options.host_request_interval,
        "--host-concurrency": options.host_concurrency,
    }
    return [executable, *fixed, *(str(x) for kv in passed.items() for x in kv), "--", str(site)]


def host_config(hosts: Iterable[str], interval: str) -> str:
    """lychee.toml giving each of ``hosts`` one connection and ``interval`` between requests."""
    return "".join(
        f'[hosts."{host}"]\nconcurrency = 1\nrequest_interval = "{interval}"\n\n' for host in hosts
    )


def arxiv_hosts(site: Path) -> set[str]:
    """arxiv.org and every *.arxiv.org host named in a page of ``site`` (a text search: cheap)."""
    found = set()
    for path in site.rglob("*.htm*"):
        found.update(m[1].decode().lower() for m in _ARXIV_URL.finditer(path.read_bytes()))
    return found


def read_report(report: dict, site: Path) -> ExternalCheck:
    """lychee's ``--format json --verbose`` report → results per URL and where the bad ones are."""
    results: dict[str, LinkResult] = {}
    fresh: set[str] = set()  # URLs asked of their server in this run
    on_page: dict[Path, list[str]] = {}  # page file → keys of the links on it
    for name in ("success_map", "error_map", "timeout_map"):
        for source, entries in (report.get(name) or {}).items():
            for entry in entries:
                result = classify(name, entry)
                cached = str((entry.get("status") or {}).get("text", "")).endswith("(cached)")
                # a copy lychee answered from its cache has lost the redirects: keep a fresh one
                if result.url not in results or (not cached and result.url not in fresh):
                    results[result.url] = result
                if not cached:
                    fresh.add(result.url)
                on_page.setdefault(Path(source), []).append(result.url)
    bad = {
        path: [k for k in keys if results[k].outcome is not Outcome.OK]
        for path, keys in on_page.items()
    }
    uses = [use for path, keys in sorted(bad.items()) if keys for use in _trace(path, site, keys)]
    # not lychee's "cached" count: that also counts a link met twice in one run
    return ExternalCheck(tuple(uses), results, from_cache=len(results.keys() - fresh))


def classify(map_name: str, entry: dict) -> LinkResult:
    """What one lychee answer means for the link."""
    url = link_key(entry["url"])
    status = entry.get("status") or {}
    code = int(status.get("code") or 0)
    if map_name == "timeout_map":
        return LinkResult(url, Outcome.UNREACHABLE, code, "timed out")
    if map_name == "success_map":
        hops = (entry.get("redirects") or {}).get("redirects") or []
        if any(hop.get("code") in PERMANENT_REDIRECTS for hop in hops):
            return LinkResult(url, Outcome.REDIRECT, code, "", hops[-1]["url"])
        return LinkResult(url, Outcome.OK, code)
    text = status.get("details") or status.get("text") or ""
    if code:
        # "Rejected status code: 404 Not Found" → "Not Found"
        text = status.get("text", "").rpartition(f"{code} ")[2] or text
    unreachable = code in REFUSED_STATUSES or code >= 500
    return LinkResult(url, Outcome.UNREACHABLE if unreachable else Outcome.DEAD, code, text)


def link_key(url: str) -> str:
    """``url`` as lychee reports it, so a link as written and lychee's answer meet.

    lychee parses URLs the WHATWG way: scheme and host lower-cased, the default port dropped,
    an empty path made "/", spaces and non-ASCII percent-encoded. The fragment is dropped too:
    it is not sent to the server.
    """
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(scheme)
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, default) else f"{host}:{port}"
    if "@" in parts.netloc:
        netloc = parts.netloc.rpartition("@")[0] + "@" + netloc
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    query = quote(parts.query, safe=_QUERY_SAFE)
    return urlunsplit((scheme, netloc, path, query, ""))


def _trace(path: Path, site: Path, keys: list[str]) -> list[LinkUse]:
    """The uses of ``keys`` on one page, with the note item each is in; lychee finds some links
    (``<link href>``, ``srcset``) that html.py does not read: those are listed by page."""
    try:
        page = page_name(path.resolve().relative_to(site).as_posix())
    except ValueError:
        page = path.as_posix()
    tree = parse_html(path) if path.is_file() else None
    written: dict[str, list[LinkUse]] = {}
    for use in [] if tree is None else page_links(tree, page):
        written.setdefault(link_key(use.url), []).append(replace(use, url=link_key(use.url)))
    return [use for key in dict.fromkeys(keys) for use in written.get(key, [LinkUse(key, page)])]
