"""Fixtures for the bibliography tests: the arXiv replay server and clients pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from garden.bibliography.client import ArxivClient, ClientConfig
from tests.arxiv_replay import ReplayServer, load_records


@pytest.fixture(scope="session")
def arxiv_records() -> list[dict]:
    return load_records()


@pytest.fixture
def arxiv_server(arxiv_records: list[dict]) -> Iterator[ReplayServer]:
    """A replay server; the test fails if a queued fault went unused or the replay broke."""
    with ReplayServer(records=list(arxiv_records)) as server:
        yield server
    assert not server.errors, f"replay server errors: {server.errors}"
    assert not server.faults, f"queued faults never served: {list(server.faults)}"


@pytest.fixture
def arxiv_config(arxiv_server: ReplayServer) -> ClientConfig:
    """No delay, no back-off, a short timeout: fault tests take well under a second each."""
    return ClientConfig(api_url=arxiv_server.url, delay=0, timeout=0.3, retries=2, backoff=0)


@pytest.fixture
def arxiv_client(arxiv_config: ClientConfig) -> Iterator[ArxivClient]:
    with ArxivClient(arxiv_config) as client:
        yield client


def synthetic_records(count: int) -> list[dict]:
    """Extra records with IDs 9901.00000… for paging tests."""
    return [
        {
            "arxiv_id": f"9901.{n:05d}",
            "version": "v1",
            "title": f"Synthetic paper number {n}",
            "authors": ["Ada Lovelace"],
            "summary": "Made up for paging.",
            "published": "1999-01-01",
            "updated": None,
            "primary_category": "cs.LG",
            "categories": ["cs.LG"],
            "doi": None,
            "journal_ref": None,
            "comment": None,
        }
        for n in range(count)
    ]
