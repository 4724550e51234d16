"""The build's read side of bib/: LaTeX → text, and BibTeX shown/downloaded as it is in bib/."""

from __future__ import annotations

import io
import re

import pytest

from garden.bibliography.fetch import fetch
from garden.bibliography.library import (
    LibraryError,
    bibtex_string,
    latex_to_text,
    load_library,
    paper_from_entry,
    parse_bibtex,
)
from garden.references.model import PaperRef, RefKind

ENTRY = r"""@misc{k2023x,
    author = "K{\"o}hler, Jonas and Noé, Frank",
    title = "{Flows for $x_1$ and $\mathrm{SU}(N)$ \& friends}",
    abstract = "We use a scalar $\varrho$ and 100\% of $a_b$ data.",
    eprint = "2006.02425",
    keywords = "cs.LG, stat.ML"
}"""


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("a $x$ b", "a $x$ b"),
        ("distribution $\\varrho$. As a result", "distribution $\\varrho$. As a result"),
        ("{Tensor PCA} \\& more", "Tensor PCA & more"),
        ('Ak{\\"u}rek', "Akürek"),
        ("100\\% of $\\mathrm{SU}(N)$", "100% of $\\mathrm{SU}(N)$"),
        ("  spaced   out  ", "spaced out"),
    ],
)
def test_latex_to_text(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


BRACED = ["{Tensor PCA}", "-{}-", "{``}quoted", "x{ a}", "{a  b}", "{a}{b}", "{~}", "{\\'e}t{\\'e}"]


@pytest.mark.parametrize("latex", BRACED)
def test_text_reads_the_same_whether_latexcodec_runs_or_not(latex: str, monkeypatch) -> None:
    """Text whose only LaTeX is braces (every title) skips latexcodec's slow decoder: it reads
    the same as when the decoder runs on every text."""
    from garden.bibliography import library

    skipped = latex_to_text(latex)
    monkeypatch.setattr(library, "_LATEX_SYNTAX", re.compile(r"."))  # the decoder runs on all
    assert latex_to_text(latex) == skipped


@pytest.mark.parametrize(("latex", "decoded"), [("{Tensor PCA}", False), ("-{}-", True)])
def test_braces_alone_skip_latexcodec(latex: str, decoded: bool, monkeypatch) -> None:
    import codecs

    from garden.bibliography import library

    calls, real = [], codecs.decode
    monkeypatch.setattr(library.codecs, "decode", lambda *a: calls.append(a) or real(*a))
    latex_to_text(latex)
    assert bool(calls) == decoded


def test_paper_fields_and_bibtex_round_trip() -> None:
    entries = parse_bibtex(ENTRY)
    paper = paper_from_entry("k2023x", entries["k2023x"], "arxiv.bib")
    assert paper.title == "Flows for $x_1$ and $\\mathrm{SU}(N)$ & friends"
    assert paper.authors == ("Jonas Köhler", "Frank Noé")
    assert paper.categories == ("cs.LG", "stat.ML")
    assert "$x_1$" in paper.bibtex and "\\_" not in paper.bibtex  # not escaped twice
    again = parse_bibtex(bibtex_string(parse_bibtex(paper.bibtex)))
    fields = entries["k2023x"].fields
    assert "abstract" in fields and paper.abstract.startswith("We use a scalar")
    assert dict(again["k2023x"].fields) == {k: v for k, v in fields.items() if k != "abstract"}


def test_a_corrupt_unresolved_json_is_located_and_deleting_it_works(tmp_path) -> None:
    bib = tmp_path / "bib"
    bib.mkdir()
    (bib / "unresolved.json").write_text('{\n  "2401.99999": 2026\n}\n', "utf-8")
    with pytest.raises(LibraryError, match=r"unresolved.json:1:1: not a JSON object of strings"):
        load_library(bib)
    (bib / "unresolved.json").write_text('{\n  "2401.99999": "2026-12-01",\n', "utf-8")
    with pytest.raises(LibraryError) as caught:
        load_library(bib)
    assert "unresolved.json:3:1: not valid JSON (" in str(caught.value)
    assert str(caught.value).endswith("or delete it (the fetch then asks arXiv again)")
    (bib / "unresolved.json").unlink()  # the advice
    library = load_library(bib)
    assert library.unresolved_ids == {} and library.warnings == ()
    ref = PaperRef(RefKind.ARXIV, "2401.99999", "notes/x.md", 1, "x")
    assert library.missing_on_arxiv(ref) == ""


def test_the_tqdm_bar_counts_requests(tmp_path, arxiv_client) -> None:
    stream = io.StringIO()
    refs = [PaperRef(RefKind.ARXIV, "2310.05918", "notes/x.md", 1, "x")]
    fetch(refs, tmp_path / "bib", arxiv_client, progress="bar", stream=stream)
    assert "1/1" in stream.getvalue()
