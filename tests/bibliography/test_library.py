"""The build's read side of bib/: LaTeX → text, and BibTeX shown/downloaded as it is in bib/."""

from __future__ import annotations

import pytest

from garden.bibliography.library import bibtex_string, latex_to_text, paper_from_entry, parse_bibtex

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


def test_paper_fields_and_bibtex_round_trip() -> None:
    entries = parse_bibtex(ENTRY)
    paper = paper_from_entry("k2023x", entries["k2023x"], "arxiv.bib")
    assert paper.title == "Flows for $x_1$ and $\\mathrm{SU}(N)$ & friends"
    assert paper.authors == ("Jonas Köhler", "Frank Noé")
    assert paper.categories == ("cs.LG", "stat.ML")
    assert "$x_1$" in paper.bibtex and "\\_" not in paper.bibtex  # not escaped twice
    again = parse_bibtex(bibtex_string(parse_bibtex(paper.bibtex)))
    assert again["k2023x"].fields == entries["k2023x"].fields
