"""External link check: collect http(s) links from the site, reuse fresh results, ask the rest.

Hosts are checked in parallel, each host's links one after another at that host's pace.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests

from garden.checks.cache import fresh_results, load_cache, save_cache
from garden.checks.html import LinkUse, external_links
from garden.checks.http import CheckConfig, Clock, HostPacer, LinkResult, check_url

OnResult = Callable[[LinkResult], None]


@dataclass(frozen=True)
class ExternalCheck:
    uses: tuple[LinkUse, ...]  # every external link on every page
    results: Mapping[str, LinkResult]  # one per distinct URL
    from_cache: int  # how many of those results were reused


def check_external(
    site: Path,
    cache_path: Path,
    max_age_hours: float,
    config: CheckConfig,
    clock: Clock | None = None,
    on_result: OnResult | None = None,
) -> ExternalCheck:
    """Check every external link of the built ``site``; the cache at ``cache_path`` is updated."""
    uses = tuple(external_links(site))
    urls = sorted({use.url for use in uses})
    reusable = fresh_results(load_cache(cache_path), max_age_hours)
    todo = [url for url in urls if url not in reusable]
    checked = check_urls(todo, config, clock or Clock(), on_result)
    results = {url: reusable.get(url) or checked[url] for url in urls}
    save_cache(cache_path, results)
    return ExternalCheck(uses, results, from_cache=len(urls) - len(todo))


def check_urls(
    urls: list[str],
    config: CheckConfig,
    clock: Clock | None = None,
    on_result: OnResult | None = None,
    workers: int = 8,
) -> dict[str, LinkResult]:
    """Check ``urls``: one worker per host, at most ``workers`` hosts at a time."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[(urlsplit(url).hostname or "").lower()].append(url)
    results: dict[str, LinkResult] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(by_host)))) as pool:
        jobs = [
            pool.submit(_check_host, host, host_urls, config, clock or Clock(), on_result)
            for host, host_urls in by_host.items()
        ]
        for job in jobs:
            results.update(job.result())
    return results


def _check_host(
    host: str, urls: list[str], config: CheckConfig, clock: Clock, on_result: OnResult | None
) -> dict[str, LinkResult]:
    pacer = HostPacer(config.interval_for(host), clock)
    results = {}
    with requests.Session() as session:
        session.headers["User-Agent"] = config.user_agent
        for url in urls:
            results[url] = check_url(url, session, config, pacer, clock)
            if on_result:
                on_result(results[url])
    return results
