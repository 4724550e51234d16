"""Semantic Scholar's Graph API, batch endpoint: what garden papers cite, asked politely.

``POST {api_url}/paper/batch?fields=externalIds,references.externalIds`` with the JSON body
``{"ids": ["ARXIV:2106.09685", ...]}`` (at most 500 IDs a request). The answer is a JSON list in
the order asked, ``null`` where Semantic Scholar has no such paper; each paper carries
``paperId``, ``externalIds`` (``{"ArXiv": ..., "DOI": ...}``) and ``references``, a list of
``{"paperId", "externalIds"}`` where either may be ``null``.

Pace: with an API key (``S2_API_KEY``, sent as the ``x-api-key`` header) Semantic Scholar
grants 1 request a second; without one, requests share a pool with every other anonymous
caller (100 requests per 5 minutes), so the default pause is 3 s. A 429 is retried after the
``Retry-After`` the server sends (seconds or an HTTP date), else with exponential back-off;
429/5xx, timeouts, refused connections and answers that are not the documented JSON are
retried up to ``retries`` times, then ``FetchError``. Other 4xx fail at once.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import requests

from garden.bibliography.client import RETRY_STATUSES, FetchError

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.semanticscholar.org/graph/v1"
FIELDS = "externalIds,references.externalIds"
MAX_IDS_PER_REQUEST = 500  # the batch endpoint's documented limit
DELAY_WITH_KEY = 1.0  # seconds: 1 request/s, the introductory rate of an API key
DELAY_WITHOUT_KEY = 3.0  # the shared pool: 100 requests per 5 minutes
API_KEY_ENV = "S2_API_KEY"


class S2FetchError(FetchError):
    def __str__(self) -> str:
        tries = "1 try" if self.attempt == 1 else f"{self.attempt} tries"
        return f"Semantic Scholar request failed after {tries}: {self.reason} ({self.url})"


class _Fatal(Exception):
    """A failure another try will not fix (HTTP 400, 401, 403, 404, ...)."""


class _Transient(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class S2Config:
    api_url: str = DEFAULT_API_URL
    api_key: str = ""
    delay: float | None = None  # seconds between requests; None: by whether there is a key
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 3.0  # first back-off without Retry-After; doubles each retry
    max_backoff: float = 300.0  # also caps a Retry-After

    @property
    def pause(self) -> float:
        if self.delay is not None:
            return self.delay
        return DELAY_WITH_KEY if self.api_key else DELAY_WITHOUT_KEY


def seconds_at_pace(requests_: int, config: S2Config) -> float:
    """How long ``requests_`` requests take at the configured pace (no retries)."""
    return max(requests_ - 1, 0) * config.pause


def batches(ids: Sequence[str], size: int = MAX_IDS_PER_REQUEST) -> list[tuple[str, ...]]:
    return [tuple(ids[i : i + size]) for i in range(0, len(ids), size)]


def request_count(ids: int, size: int = MAX_IDS_PER_REQUEST) -> int:
    return math.ceil(ids / size)


class S2Client:
    """One ``batch`` call per request; ``requests`` counts every HTTP request sent."""

    def __init__(
        self,
        config: S2Config | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.config = config or S2Config()
        self._sleep, self._clock = sleep, clock
        self._session = requests.Session()
        self._session.headers["User-Agent"] = "research-garden fetch_citations"
        if self.config.api_key:
            self._session.headers["x-api-key"] = self.config.api_key
        self._last: float | None = None
        self.requests = 0
        self.url = self.config.api_url.rstrip("/") + "/paper/batch"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> S2Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def batch(self, arxiv_ids: Sequence[str]) -> list[dict | None]:
        """The papers for these arXiv IDs, in order; ``None`` where Semantic Scholar has none."""
        if len(arxiv_ids) > MAX_IDS_PER_REQUEST:
            raise ValueError(f"at most {MAX_IDS_PER_REQUEST} IDs a request")
        body = {"ids": [f"ARXIV:{i}" for i in arxiv_ids]}
        attempt = 1
        while True:
            try:
                return self._post(body)
            except _Transient as err:
                self._give_up_or_wait(attempt, str(err), err.retry_after)
            except requests.Timeout:
                self._give_up_or_wait(attempt, "no answer (timed out)", None)
            except requests.ConnectionError:
                self._give_up_or_wait(attempt, "cannot connect", None)
            except _Fatal as err:
                raise S2FetchError(self.url, attempt, str(err)) from None
            except requests.RequestException as err:
                raise S2FetchError(self.url, attempt, str(err) or type(err).__name__) from err
            attempt += 1

    def _post(self, body: dict) -> list[dict | None]:
        self._pace()
        self.requests += 1
        try:
            response = self._session.post(
                self.url, params={"fields": FIELDS}, json=body, timeout=self.config.timeout
            )
        finally:
            self._last = self._clock()
        with response:
            if response.status_code in RETRY_STATUSES:
                after = retry_after(response.headers.get("Retry-After"))
                raise _Transient(f"HTTP {response.status_code}", after)
            if response.status_code != 200:
                raise _Fatal(f"HTTP {response.status_code}{_error(response)}")
            return _papers(response, len(body["ids"]))

    def _pace(self) -> None:
        if self._last is None:
            return
        wait = self.config.pause - (self._clock() - self._last)
        if wait > 0:
            self._sleep(wait)

    def _give_up_or_wait(self, attempt: int, reason: str, after: float | None) -> None:
        if attempt > self.config.retries:
            raise S2FetchError(self.url, attempt, reason)
        if after is None:
            after = self.config.backoff * 2 ** (attempt - 1)
        wait = min(after, self.config.max_backoff)
        log.warning(
            "Semantic Scholar try %d failed (%s); retrying in %.1f s",
            attempt,
            reason,
            wait,
        )
        self._sleep(wait)
        self._last = None  # the wait was the pause


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` in seconds: a number, or an HTTP date; ``None`` when absent or unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def _error(response: requests.Response) -> str:
    """Semantic Scholar's ``{"error": "..."}`` text, when it sent one."""
    try:
        message = response.json().get("error")
    except (ValueError, AttributeError):
        return ""
    return f": {' '.join(str(message).split())[:200]}" if message else ""


def _papers(response: requests.Response, asked: int) -> list[dict | None]:
    """The documented answer, or ``_Transient``: a JSON list, one entry per ID asked."""
    try:
        data = json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as err:
        raise _Transient(f"answer is not JSON ({err})") from None
    if not isinstance(data, list) or len(data) != asked:
        got = f"{len(data)} entries" if isinstance(data, list) else type(data).__name__
        raise _Transient(f"answer is not a list of {asked} papers ({got})")
    if not all(entry is None or isinstance(entry, dict) for entry in data):
        raise _Transient("answer holds entries that are neither papers nor null")
    return data
