"""The ``arxiv`` package's client, made safe to run unattended.

``arxiv.Client`` 4.0.2 pages and rate-limits, but has no request timeout, retries 429/5xx
immediately with no back-off, does not retry timeouts, and reads garbage as an empty feed.
We keep it for the *what* and the parsing and fix the *how* from outside, through its
``requests.Session`` (the only hook it offers): an adapter that sets a timeout and counts
requests, and a response hook that turns bad statuses and unparsable feeds into exceptions.
Retries with exponential back-off are ours (its own ``num_retries`` is set to 0).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import arxiv
import requests
from lxml import etree
from requests.adapters import HTTPAdapter

from garden.bibliography.records import ArxivRecord, from_result
from garden.references.ids import is_valid_id, split_version
from garden.text import normalize

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
MAX_IDS_PER_REQUEST = 100  # arXiv asks for small pages; 100 is the client's default page
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_ATOM_FEED = "{http://www.w3.org/2005/Atom}feed"
_STOPWORDS = frozenset(
    "a an and are as at be by for from in into is of on or the to via with".split()  # noqa: SIM905
)


class FetchError(Exception):
    """A request to arXiv that failed for good (after the retries it deserved)."""

    def __init__(self, url: str, attempt: int, reason: str):
        super().__init__(url, attempt, reason)
        self.url, self.attempt, self.reason = url, attempt, reason

    def __str__(self) -> str:
        tries = "1 try" if self.attempt == 1 else f"{self.attempt} tries"
        return f"arXiv request failed after {tries}: {self.reason} ({self.url})"


class _Transient(Exception):
    """A failure worth retrying: 429/5xx or a feed that does not parse."""


class _Fatal(Exception):
    """A failure that another try will not fix (HTTP 400/404, ...)."""


def title_query(title: str, max_words: int = 12) -> str:
    """``ti:w1 OR ti:w2 ...`` over the significant words: tolerant of typos and glued comments,
    ranked by arXiv's relevance (more matching words first); ``match`` does the verifying."""
    words = [w for w in normalize(title).split() if w not in _STOPWORDS and len(w) > 1]
    unique = list(dict.fromkeys(words))[:max_words]
    return " OR ".join(f"ti:{word}" for word in unique)


@dataclass(frozen=True)
class ClientConfig:
    api_url: str = DEFAULT_API_URL
    delay: float = 3.0  # seconds between requests (arXiv's terms of use)
    timeout: float = 30.0  # seconds to connect, and to wait for each read
    retries: int = 4  # extra tries after the first, for 429/5xx/timeouts/garbage
    backoff: float = 3.0  # first back-off in seconds; doubles on each retry
    max_backoff: float = 120.0


@dataclass(frozen=True)
class IdBatch:
    """What one ``id_list`` request brought back."""

    asked: tuple[str, ...]
    records: tuple[ArxivRecord, ...]
    missing: tuple[str, ...]  # asked for, not returned: arXiv does not know them


class _CountingTimeoutAdapter(HTTPAdapter):
    def __init__(self, timeout: float):
        super().__init__(max_retries=0)
        self.timeout, self.sent, self.last_url = timeout, 0, ""

    def send(self, request, **kwargs):  # type: ignore[override]
        kwargs["timeout"] = kwargs.get("timeout") or self.timeout
        self.sent += 1
        self.last_url = request.url or ""
        return super().send(request, **kwargs)


def _check_response(response: requests.Response, *args: object, **kwargs: object) -> None:
    """A response hook: only a 200 carrying an Atom feed gets through to the parser."""
    try:
        _check_feed(response)
    except (_Transient, _Fatal):
        response.close()  # hooks run before requests reads the body: release the socket
        raise


def _check_feed(response: requests.Response) -> None:
    if response.status_code in RETRY_STATUSES:
        raise _Transient(f"HTTP {response.status_code}")
    if response.status_code != 200:
        raise _Fatal(f"HTTP {response.status_code}")
    try:
        root = etree.fromstring(response.content, etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as err:
        raise _Transient(f"response is not XML: {err}") from err
    if root.tag != _ATOM_FEED:
        raise _Transient(f"response is not an Atom feed (root <{root.tag}>)")


class ArxivClient:
    """Batched ID look-ups and title searches; ``requests`` counts every HTTP request sent."""

    def __init__(self, config: ClientConfig | None = None, sleep: Callable = time.sleep):
        self.config = config or ClientConfig()
        self._sleep = sleep
        self._client = arxiv.Client(delay_seconds=self.config.delay, num_retries=0)
        self._client.query_url_format = f"{self.config.api_url}?{{}}"
        self._adapter = _CountingTimeoutAdapter(self.config.timeout)
        self._client._session.mount("http://", self._adapter)
        self._client._session.mount("https://", self._adapter)
        self._client._session.hooks["response"].append(_check_response)

    @property
    def requests(self) -> int:
        return self._adapter.sent

    def close(self) -> None:
        """Close the pooled keep-alive connections."""
        self._client._session.close()

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch_ids(self, ids: Sequence[str]) -> Iterator[IdBatch]:
        """Look IDs up, ≤ 100 per request, yielding each batch as it arrives."""
        invalid = [i for i in ids if not is_valid_id(i)]
        if invalid:
            raise ValueError(f"not arXiv IDs: {', '.join(invalid)}")
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), MAX_IDS_PER_REQUEST):
            yield self._fetch_batch(tuple(unique[start : start + MAX_IDS_PER_REQUEST]))

    def search_title(self, title: str, limit: int = 10) -> list[ArxivRecord]:
        """One request: up to ``limit`` papers whose titles share words with ``title``."""
        query = title_query(title)
        if not query:
            return []
        return [from_result(r) for r in self._run(arxiv.Search(query=query, max_results=limit))]

    def _fetch_batch(self, asked: tuple[str, ...]) -> IdBatch:
        search = arxiv.Search(id_list=list(asked), max_results=len(asked))
        records = tuple(from_result(r) for r in self._run(search))
        returned = {r.arxiv_id for r in records}
        missing = tuple(i for i in asked if split_version(i)[0] not in returned)
        if missing:
            log.info("arXiv does not know %s", ", ".join(missing))
        return IdBatch(asked, records, missing)

    def _run(self, search: arxiv.Search) -> list[arxiv.Result]:
        self._client.page_size = min(MAX_IDS_PER_REQUEST, search.max_results or 1)
        attempt = 1
        while True:
            try:
                return list(self._client.results(search))
            except (_Transient, requests.Timeout, requests.ConnectionError) as err:
                self._give_up_or_wait(attempt, _reason(err))
            except (_Fatal, arxiv.ArxivError, requests.RequestException) as err:
                raise FetchError(self._adapter.last_url, attempt, _reason(err)) from err
            attempt += 1

    def _give_up_or_wait(self, attempt: int, reason: str) -> None:
        if attempt > self.config.retries:
            raise FetchError(self._adapter.last_url, attempt, reason)
        wait = min(self.config.backoff * 2 ** (attempt - 1), self.config.max_backoff)
        log.warning("arXiv try %d failed (%s); retrying in %.1f s", attempt, reason, wait)
        self._sleep(wait)


def _reason(err: Exception) -> str:
    if isinstance(err, requests.Timeout):
        return "no answer (timed out)"
    if isinstance(err, requests.ConnectionError):
        return "cannot connect"
    return str(err) or type(err).__name__
