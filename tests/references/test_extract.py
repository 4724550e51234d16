"""Which items of the seed notes are references, and of what kind (golden), plus the rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import check_text, dump

from garden.notes import load_notes, parse_note
from garden.references import RefKind, clean_title, extract_references

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "seed-references.yaml"


def refs_of(text: str):
    return extract_references([parse_note(text, "notes/t.md")])


def test_seed_references_golden(update_goldens: bool) -> None:
    refs = extract_references(load_notes(ROOT / "notes", ROOT))
    data = [{"at": r.where, "kind": r.kind.value, "value": r.value, "title": r.title} for r in refs]
    check_text(GOLDEN, dump(data), update_goldens)


def test_seed_notes_link_22_distinct_arxiv_papers() -> None:
    refs = extract_references(load_notes(ROOT / "notes", ROOT))
    assert len({r.value for r in refs if r.kind is RefKind.ARXIV}) == 22


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        (
            "## T\n+ A RANDOM MATRIX APPROACH TO NEURAL NETWORKS\n",
            [("title", "a random matrix approach to neural networks")],
        ),
        ("## T\n+ Title: https://arxiv.org/abs/2106.07032v2 and more\n", [("arxiv", "2106.07032")]),
        ("## T\n+ https://www.youtube.com/watch?v=x LEGO paper\n", []),
        ("## T\n+ Knowledge Circuit\n", []),  # two words: a label, not a title
        (
            "## T\n+ https://openreview.net/pdf?id=Ki\n  + IMPROVING THE CONVERGENCE OF NERFS\n",
            [
                ("url", "https://openreview.net/forum?id=Ki"),
                ("title", "improving the convergence of nerfs"),
            ],
        ),
        (
            "## T\n+ A Paper Title https://arxiv.org/abs/2106.07032\n  + my long comment on it\n",
            [("arxiv", "2106.07032")],
        ),
        ("## T\n+ Input $x$ is the output of the layer\n", []),
        (
            "## T\n+ A Random Matrix Perspective on Random Tensors: https://www.jmlr.org/papers/v23/21.pdf\n",
            [("title", "a random matrix perspective on random tensors")],
        ),
        ("## T\n+ # Main ResearchLine Interests\n", []),
    ],
)
def test_reference_rules(note: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.kind.value, r.value) for r in refs_of(note)] == expected


def test_clean_title_cuts_links_markup_and_separators() -> None:
    assert clean_title("**SEMI** Random: https://x.org/a |") == "SEMI Random"
    assert clean_title("https://arxiv.org/abs/2308.09124:Linearity of X") == "Linearity of X"
