"""The replay server answers like arXiv: the real ``arxiv`` client reads it over HTTP."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import arxiv
import pytest
import requests

from garden.bibliography.bibtex import read_bib, to_entry, to_string
from garden.bibliography.records import ArxivRecord
from tests.arxiv_replay import FIXTURES, ReplayServer, answer, load_records, search

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ('ti:"transformers are rnns"', "2006.16236"),
        ("ti:transformers AND ti:rnns", "2006.16236"),
        ("ti:knowledge OR ti:circuit", "2405.17969"),
        ("ti:semi OR ti:laerning OR ti:balance OR ti:supervised OR ti:density", "2310.13434"),
        ('all:"random matrix" ANDNOT ti:tensor', "1603.06011"),
        ("au:couillet AND (ti:puncturing OR ti:nonexistent)", "2102.12293"),
    ],
)
def test_search_ranks_the_best_match_first(arxiv_records, query, first):
    assert search(arxiv_records, query)[0]["arxiv_id"] == first


def test_search_without_a_match_is_empty(arxiv_records):
    assert search(arxiv_records, "ti:zzyzx") == []


def test_id_list_skips_unknown_ids_and_keeps_the_asked_version(arxiv_records):
    status, body = answer(arxiv_records, {"id_list": "2310.13434v1,9999.99999,2006.02425"})
    assert status == 200
    assert b"<opensearch:totalResults>2</opensearch:totalResults>" in body
    assert b"http://arxiv.org/abs/2310.13434v1" in body


def test_malformed_id_is_http_400(arxiv_records):
    assert answer(arxiv_records, {"id_list": "not-an-id"})[0] == 400


def test_real_client_pages_through_start_and_max_results(arxiv_server: ReplayServer):
    client = arxiv.Client(page_size=4, delay_seconds=0, num_retries=0)
    client.query_url_format = f"{arxiv_server.url}?{{}}"
    with client._session:
        found = list(client.results(arxiv.Search(query="all:random", max_results=None)))
    total = len(search(arxiv_server.records, "all:random"))
    assert total > 8 and len(found) == total
    assert [r.params["start"] for r in arxiv_server.requests] == [
        str(n) for n in range(0, total, 4)
    ]
    best = search(arxiv_server.records, "all:random")[0]["arxiv_id"]
    assert found[0].get_short_id() == best + "v" + found[0].get_short_id().split("v")[-1]


def test_queued_faults_answer_one_request_each(arxiv_server: ReplayServer):
    arxiv_server.queue("503", "429")
    statuses = [requests.get(arxiv_server.url, timeout=2).status_code for _ in range(3)]
    assert statuses == [503, 429, 200]
    assert [r.fault for r in arxiv_server.requests] == ["503", "429", ""]


def test_unknown_fault_is_refused(arxiv_server: ReplayServer):
    with pytest.raises(ValueError, match="unknown faults"):
        arxiv_server.queue("418")


def test_a_recorded_arxiv_answer_is_served_byte_for_byte_and_parsed(arxiv_server, arxiv_client):
    """The happy path on arXiv's own bytes: the one Atom document in the snapshot
    (``tests/fixtures/arxiv/example-response.xml``, ``id_list=1906.04341``), not the replay's
    rendering of records.json, through the real client and our records parser."""
    body = (FIXTURES / "example-response.xml").read_bytes()
    arxiv_server.replay(body, id_list="1906.04341")
    served = requests.get(arxiv_server.url, params={"id_list": "1906.04341"}, timeout=5)
    assert served.content == body
    (batch,) = arxiv_client.fetch_ids(["1906.04341"])
    (record,) = batch.records
    summary = next(r for r in load_records() if r["arxiv_id"] == "1906.04341")["summary"]
    assert record == ArxivRecord(
        arxiv_id="1906.04341",
        version="v1",
        title="What Does BERT Look At? An Analysis of BERT's Attention",
        authors=("Kevin Clark", "Urvashi Khandelwal", "Omer Levy", "Christopher D. Manning"),
        summary=summary,
        published=date(2019, 6, 11),
        updated=date(2019, 6, 11),
        primary_category="cs.CL",
        categories=("cs.CL",),
        comment="BlackBoxNLP 2019",
    )
    assert batch.missing == ()
    assert arxiv_server.replayed == ["1906.04341", "1906.04341"]  # both got the recorded bytes
    # and it becomes, byte for byte, the entry committed in bib/arxiv.bib
    committed = read_bib(ROOT / "bib" / "arxiv.bib")["clark2019bert"]
    assert to_string({"clark2019bert": to_entry(record)}) == to_string({"clark2019bert": committed})
