"""Ask a web server whether a link still works: HEAD then GET, retries, one pace per host.

Requests to one host go one at a time (the caller gives each host its own thread), at least
``CheckConfig.interval_for(host)`` seconds apart: arXiv asks for one request every 3 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum

import requests

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
PERMANENT_REDIRECTS = frozenset({301, 308})
REFUSED_STATUSES = frozenset({401, 403})  # the server is there but turns robots away
ARXIV_HOSTS = (("arxiv.org", 3.0),)  # matches arxiv.org and every *.arxiv.org


class Outcome(StrEnum):
    OK = "ok"
    REDIRECT = "redirect"  # works, but moved permanently: the note should use the new address
    DEAD = "dead"  # 404, 410, other 4xx, no such host, connection refused
    UNREACHABLE = "unreachable"  # timeout, 5xx or 429 after every retry, 401/403: try again later


@dataclass(frozen=True)
class LinkResult:
    url: str
    outcome: Outcome
    status: int = 0  # final HTTP status; 0 when no response came
    detail: str = ""  # reason phrase or error, for the report
    final_url: str = ""  # where a permanent redirect leads
    checked_at: str = ""  # ISO 8601, UTC


@dataclass(frozen=True)
class Clock:
    """Time as the checker sees it; tests pass a fake one so waits cost nothing."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class CheckConfig:
    timeout: float = 15.0  # seconds, connect and each read
    retries: int = 3  # extra tries after a 429, 5xx, timeout or connection error
    backoff: float = 2.0  # first wait between tries without Retry-After; doubles each time
    max_wait: float = 120.0  # cap on any single wait, Retry-After included
    default_interval: float = 1.0  # seconds between two requests to one host
    host_intervals: tuple[tuple[str, float], ...] = ARXIV_HOSTS
    user_agent: str = "research-garden-linkcheck/0.1 (python-requests)"

    def interval_for(self, host: str) -> float:
        for suffix, interval in self.host_intervals:
            if host == suffix or host.endswith("." + suffix):
                return interval
        return self.default_interval


class HostPacer:
    """Spaces requests to one host by its interval. Not thread-safe: one per host worker."""

    def __init__(self, interval: float, clock: Clock) -> None:
        self._interval, self._clock, self._next = interval, clock, None

    def wait(self) -> None:
        if self._next is not None and (delay := self._next - self._clock.now()) > 0:
            self._clock.sleep(delay)
        self._next = self._clock.now() + self._interval


Answer = requests.Response | requests.RequestException


def check_url(
    url: str, session: requests.Session, config: CheckConfig, pacer: HostPacer, clock: Clock
) -> LinkResult:
    """Probe ``url``, retrying 429/5xx/timeouts with back-off or the server's Retry-After."""
    for attempt in range(config.retries + 1):
        answer = _probe(url, session, config.timeout, pacer)
        if not _retryable(answer) or attempt == config.retries:
            break
        clock.sleep(_retry_delay(answer, attempt, config))
    return classify(url, answer)


def classify(url: str, answer: Answer) -> LinkResult:
    """What one final response (or error) means for the link."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    if isinstance(answer, requests.RequestException):
        # a timeout may pass; a host that refuses or no longer exists is a dead link
        outcome = Outcome.UNREACHABLE if isinstance(answer, requests.Timeout) else Outcome.DEAD
        return LinkResult(url, outcome, 0, _error_text(answer), checked_at=stamp)
    status, detail = answer.status_code, answer.reason or ""
    if answer.ok:
        moved = any(hop.status_code in PERMANENT_REDIRECTS for hop in answer.history)
        outcome, final = (Outcome.REDIRECT, answer.url) if moved else (Outcome.OK, "")
        return LinkResult(url, outcome, status, detail, final, stamp)
    failed = status in RETRY_STATUSES or status in REFUSED_STATUSES
    return LinkResult(
        url, Outcome.UNREACHABLE if failed else Outcome.DEAD, status, detail, checked_at=stamp
    )


def _probe(url: str, session: requests.Session, timeout: float, pacer: HostPacer) -> Answer:
    try:
        pacer.wait()
        response = session.head(url, allow_redirects=True, timeout=timeout)
        response.close()
        if response.ok or response.status_code == 429:
            return response
        pacer.wait()  # many servers answer HEAD with 403/404/405 but GET with 200
        response = session.get(url, allow_redirects=True, timeout=timeout, stream=True)
        response.close()  # headers are enough; never download the body
        return response
    except requests.RequestException as exc:
        return exc


def _retryable(answer: Answer) -> bool:
    if isinstance(answer, requests.RequestException):
        return isinstance(answer, requests.Timeout | requests.ConnectionError)
    return answer.status_code in RETRY_STATUSES


def _retry_delay(answer: Answer, attempt: int, config: CheckConfig) -> float:
    after = None
    if isinstance(answer, requests.Response):
        after = parse_retry_after(answer.headers.get("Retry-After", ""))
    delay = after if after is not None else config.backoff * 2**attempt
    return min(max(delay, 0.0), config.max_wait)


def parse_retry_after(value: str) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if neither."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def _error_text(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.ConnectionError):
        return "connection failed"
    return type(exc).__name__
