"""``ArxivClient``: the real ``arxiv`` client over real HTTP, against the replay server."""

from __future__ import annotations

import time

import pytest

from garden.bibliography.client import ArxivClient, ClientConfig, FetchError, title_query
from garden.references.ids import is_valid_id
from tests.arxiv_replay import ReplayServer

from .conftest import synthetic_records


@pytest.mark.parametrize(
    ("arxiv_id", "valid"),
    [
        ("2310.13434", True),
        ("1510.0354", True),  # four digits after the dot: 2007-2014
        ("hep-th/9711200", True),
        ("math.AG/0601001", True),
        ("math.ag/0601001", False),  # the subject class is upper-case
        ("2310.13434v2", False),  # versions are split off before asking
        ("arXiv:2310.13434", False),
        ("2310.134345", False),
        ("2313.01234", False),  # month 13
        ("hep-/9711200", False),
        ("", False),
    ],
)
def test_id_validation(arxiv_id, valid):
    assert is_valid_id(arxiv_id) is valid


def test_title_query_ors_the_significant_words():
    assert title_query("**SEMI** Learning: the Case of a Cat") == (
        "ti:semi OR ti:learning OR ti:case OR ti:cat"
    )


def test_ids_come_back_with_missing_ones_reported(arxiv_client, arxiv_server):
    (batch,) = arxiv_client.fetch_ids(["2310.13434", "2401.99999", "2006.02425"])
    assert [r.arxiv_id for r in batch.records] == ["2310.13434", "2006.02425"]
    assert batch.missing == ("2401.99999",)
    assert batch.records[1].authors == ("Jonas Köhler", "Leon Klein", "Frank Noé")
    assert arxiv_client.requests == len(arxiv_server.requests) == 1


def test_more_than_100_ids_take_two_requests(arxiv_server: ReplayServer, arxiv_config):
    arxiv_server.records.extend(synthetic_records(150))
    ids = [f"9901.{n:05d}" for n in range(150)]
    with ArxivClient(arxiv_config) as client:
        batches = list(client.fetch_ids(ids))
    assert [len(b.records) for b in batches] == [100, 50]
    assert [len(r.ids) for r in arxiv_server.requests] == [100, 50]


def test_invalid_ids_are_refused_before_asking(arxiv_client, arxiv_server):
    with pytest.raises(ValueError, match="not arXiv IDs: 2310.13434v2"):
        list(arxiv_client.fetch_ids(["2310.13434v2"]))
    assert arxiv_server.requests == []


def test_title_search_is_one_request_for_up_to_10_results(arxiv_client, arxiv_server):
    found = arxiv_client.search_title("Knowledge Circuit")
    assert [r.arxiv_id for r in found] == ["2405.17969"]
    (request,) = arxiv_server.requests
    assert request.params["search_query"] == "ti:knowledge OR ti:circuit"
    assert request.params["max_results"] == "10"


@pytest.mark.parametrize("faults", [("503",), ("503", "503"), ("429",), ("500", "garbage")])
def test_transient_faults_are_retried(arxiv_client, arxiv_server, faults):
    arxiv_server.queue(*faults)
    (batch,) = arxiv_client.fetch_ids(["2310.13434"])
    assert len(batch.records) == 1
    assert arxiv_client.requests == len(faults) + 1


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("503", "HTTP 503"),
        ("429", "HTTP 429"),
        ("garbage", "not XML"),
        ("truncated", "not XML"),
        ("hang", "timed out"),
    ],
)
def test_persistent_faults_give_one_error_with_url_and_tries(
    arxiv_client, arxiv_server, fault, reason
):
    arxiv_server.queue(fault, fault, fault)
    started = time.monotonic()
    with pytest.raises(FetchError, match=reason) as caught:
        arxiv_client.search_title("Knowledge Circuit")
    assert caught.value.attempt == 3
    assert caught.value.url.startswith(arxiv_server.url + "?search_query=ti%3Aknowledge")
    assert time.monotonic() - started < 3
    assert len(arxiv_server.requests) == 3


def test_backoff_doubles(arxiv_server: ReplayServer):
    waits: list[float] = []
    config = ClientConfig(api_url=arxiv_server.url, delay=0, retries=3, backoff=1.5)
    arxiv_server.queue("503", "503", "503")
    with ArxivClient(config, sleep=waits.append) as client:
        client.search_title("Knowledge Circuit")
    assert waits == [1.5, 3.0, 6.0]


def test_http_404_is_not_retried(arxiv_server: ReplayServer):
    config = ClientConfig(api_url=arxiv_server.url.replace("/api/", "/nope/"), delay=0)
    with pytest.raises(FetchError, match="HTTP 404") as caught, ArxivClient(config) as client:
        client.search_title("Knowledge Circuit")
    assert caught.value.attempt == 1
    assert len(arxiv_server.requests) == 1


def test_connection_refused_is_a_fetch_error():
    config = ClientConfig(api_url="http://127.0.0.1:9/api/query", delay=0, retries=1, backoff=0)
    with pytest.raises(FetchError, match="cannot connect"), ArxivClient(config) as client:
        client.search_title("Knowledge Circuit")
