"""Every form of arXiv reference a note uses, and forms that must not be taken for one."""

from __future__ import annotations

import pytest

from garden.references.ids import arxiv_id_from_url, arxiv_ids_in_text, parse_arxiv_id

URLS = [
    ("https://arxiv.org/abs/1812.03403", "1812.03403", ""),
    ("https://arxiv.org/pdf/2310.05918.pdf", "2310.05918", ""),
    ("https://arxiv.org/pdf/2302.10886v3.pdf", "2302.10886", "v3"),
    ("https://arxiv.org/abs/2312.10794v5", "2312.10794", "v5"),
    ("http://www.arxiv.org/abs/2106.07032", "2106.07032", ""),
    ("https://export.arxiv.org/abs/2106.07032", "2106.07032", ""),
    ("https://arxiv.org/abs/2308.09124:Linearity", "2308.09124", ""),
    ("https://arxiv.org/abs/2211.15661:", "2211.15661", ""),
    ("https://arxiv.org/abs/hep-th/9711200", "hep-th/9711200", ""),
    ("https://arxiv.org/abs/math.GT/0309136v2", "math.GT/0309136", "v2"),
    ("https://arxiv.org/abs/1501.00001", "1501.00001", ""),
    ("https://huggingface.co/papers/2309.03241", "2309.03241", ""),
    ("https://doi.org/10.48550/arXiv.1906.04341", "1906.04341", ""),
    ("https://dx.doi.org/10.48550/arxiv.1906.04341", "1906.04341", ""),
    ("https://www.alphaxiv.org/abs/2401.17574", "2401.17574", ""),
    ("https://www.alphaxiv.org/overview/2401.17574v1", "2401.17574", "v1"),
    ("https://ar5iv.labs.arxiv.org/html/2309.10668", "2309.10668", ""),
    ("https://ar5iv.org/abs/2309.10668", "2309.10668", ""),
    ("https://arxiv.org/html/2405.17969v4", "2405.17969", "v4"),
]
NOT_ARXIV = [
    "https://www.jmlr.org/papers/volume23/21-1038/21-1038.pdf",
    "https://openreview.net/pdf?id=KiespDPaRH",
    "https://doi.org/10.1214/23-EJS2107",
    "https://www.youtube.com/watch?v=EauDdCzxphE",
    "https://arxiv.org/abs/2313.01234",  # month 13: not an identifier
    "https://example.com/abs/1812.03403",
    "https://arxiv.org/list/cs.LG/recent",
]


@pytest.mark.parametrize(("url", "ident", "version"), URLS)
def test_arxiv_link_forms(url: str, ident: str, version: str) -> None:
    found = arxiv_id_from_url(url)
    assert found is not None and (found.id, found.version) == (ident, version)


@pytest.mark.parametrize("url", NOT_ARXIV)
def test_links_that_are_not_arxiv(url: str) -> None:
    assert arxiv_id_from_url(url) is None


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("see arXiv:2106.07032 and arxiv:hep-th/9711200v2.", ["2106.07032", "hep-th/9711200"]),
        ("arXiv: 1906.04341v1", ["1906.04341"]),
        ("version 2106.07032 without prefix", []),
        ("email me at foo@arxiv.org", []),
    ],
)
def test_bare_ids_in_text(text: str, ids: list[str]) -> None:
    assert [found.id for found in arxiv_ids_in_text(text)] == ids


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("2106.07032v2", "2106.07032"), ("arXiv:1906.04341", "1906.04341"), ("bogus", None)],
)
def test_parse_typed_id(typed: str, expected: str | None) -> None:
    found = parse_arxiv_id(typed)
    assert (found.id if found else None) == expected
