"""What a note's line adds to its paper: the seed lines that repeated the title or leaked
URLs into the comment (issue 9, item 1), and the forms they stand for."""

from __future__ import annotations

import random
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from garden.bibliography.library import Paper, load_library
from garden.pages.items import said_about
from garden.references.comment import (
    EXACT,
    FUZZY,
    FUZZY_RATIO,
    SPLIT,
    UNMATCHED,
    _folded_ascii,
    _folded_unicode,
    _similar,
    _take_links,
    split_said,
)

ROOT = Path(__file__).resolve().parents[2]


def paper(title: str, eprint: str = "", url: str = "", doi: str = "") -> Paper:
    return Paper("k", title, ("A B",), eprint=eprint, url=url, doi=doi)


EQUIVARIANT = paper(
    "Equivariant Flows: Exact Likelihood Generative Learning for Symmetric Densities", "2006.02425"
)
HYENA = paper(
    "Scavenging Hyena: Distilling Transformers into Long Convolution Models", "2401.17574"
)
SEMI = paper(
    "Random Matrix Analysis to Balance between Supervised and Unsupervised Learning under the "
    "Low Density Separation Assumption",
    "2310.13434",
)


@pytest.mark.parametrize(
    ("line", "title", "comment", "how"),
    [
        # research-map.md:7-8 (topics/physics-lens/)
        (
            "Equivariant Flows: Exact Likelihood Generative Learning for Symmetric "
            "Densities Particles here!!",
            EQUIVARIANT,
            "Particles here!!",
            SPLIT,
        ),
        # research-map.md:116: the paper's own link and table pipes go, the remark stays
        (
            "Transformers are Cnn :https://huggingface.co/papers/2401.17574 | Scavenging Hyena: "
            "Distilling Transformers into Long Convolution Models |",
            HYENA,
            "Transformers are Cnn",
            SPLIT,
        ),
        # research-map.md:65: a short title, a remark, the link
        (
            "White-Box Transformers via Sparse Rate Reduction shorter version : "
            "https://arxiv.org/pdf/2306.01129.pdf",
            paper("White-Box Transformers via Sparse Rate Reduction", "2306.01129"),
            "shorter version",
            SPLIT,
        ),
        # research-map.md:43-44: a label before the title, a remark glued to its last word
        (
            "**SEMI SUPERVISED LAERNING**  Random Matrix Analysis to Balance between Supervised "
            "and Unsupervised Learning under the Low Density Separation Assumptioncan be used "
            "in mnist-1d again",
            SEMI,
            "**SEMI SUPERVISED LAERNING** … can be used in mnist-1d again",
            SPLIT,
        ),
        # research-map.md:29: an admonition marker typed by accident is not a remark
        (
            "!!! Covariance discriminative power of kernel clustering methods **IMPORTANT FOR "
            "UNDERSTANDING SPECTRAL CLUSTERING METHODS**",
            paper("Covariance discriminative power of kernel clustering methods", doi="10.1/x"),
            "**IMPORTANT FOR UNDERSTANDING SPECTRAL CLUSTERING METHODS**",
            SPLIT,
        ),
        # research-map.md:55: the link is the paper; what follows is the remark
        (
            "https://arxiv.org/abs/2312.01429 Interpretability methods might be misleading.",
            paper("Transformers are uninterpretable with myopic methods", "2312.01429"),
            "Interpretability methods might be misleading.",
            UNMATCHED,
        ),
        # research-map.md:86: an older spelling of the title is not a comment
        (
            "https://arxiv.org/pdf/2302.10886v3.pdf | SOME INTRIGUING ASPECTS ABOUT LIPSCHITZ "
            "CONTINUITY OF NEURAL NETWORKS",
            paper(
                "Some Fundamental Aspects about Lipschitz Continuity of Neural Networks",
                "2302.10886",
            ),
            "",
            FUZZY,
        ),
        # the title, a prefix of it, or the title in capitals: nothing added
        (
            "Beyond Surface Statistics : https://arxiv.org/pdf/2306.05720.pdf",
            paper("Beyond Surface Statistics: Scene Representations", "2306.05720"),
            "",
            EXACT,
        ),
        ("MATRICES WITH GAUSSIAN NOISE", paper("Matrices with Gaussian noise"), "", EXACT),
        (
            "[What does BERT look at](https://doi.org/10.48550/arXiv.1906.04341)",
            paper("What Does BERT Look At? An Analysis of BERT's Attention", "1906.04341"),
            "",
            EXACT,
        ),
        # a prefix of the title, then a remark
        (
            "Beyond Surface Statistics lovely figures",
            paper("Beyond Surface Statistics: Scene"),
            "lovely figures",
            SPLIT,
        ),
        # a bare arXiv mention of the paper itself goes too
        ("Great read arXiv:2006.02425v2", EQUIVARIANT, "Great read", UNMATCHED),
    ],
)
def test_comment_is_only_what_the_author_added(line, title, comment, how) -> None:
    said = said_about(line, title)
    assert (said.comment, said.how) == (comment, how)
    assert "http" not in said.comment


def test_a_second_link_is_kept_apart_not_in_the_comment() -> None:
    # reading-list-2023.md:3: a journal copy of an arXiv paper
    said = said_about(
        "A Random Matrix Perspective on Random Tensors: "
        "https://www.jmlr.org/papers/volume23/21-1038/21-1038.pdf",
        paper("A Random Matrix Perspective on Random Tensors", "2108.00774"),
    )
    assert said.comment == ""
    assert [lk.url for lk in said.links] == [
        "https://www.jmlr.org/papers/volume23/21-1038/21-1038.pdf"
    ]
    said = said_about(
        "Scavenging Hyena | https://arxiv.org/abs/2401.17574 talk: https://youtu.be/abc. "
        "and [slides](https://example.org/s.pdf)",
        HYENA,
    )
    assert "youtu" not in said.comment and "example.org" not in said.comment
    assert [(lk.url, lk.label) for lk in said.links] == [
        ("https://example.org/s.pdf", "slides"),
        ("https://youtu.be/abc", ""),
    ]


def test_own_links_in_every_form_are_dropped() -> None:
    own = lambda url: url.startswith("https://arxiv.org/")  # noqa: E731
    said = split_said("x y z <https://arxiv.org/abs/1> https://arxiv.org/pdf/1.pdf", "x y z", own)
    assert (said.comment, said.links) == ("", ())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Attention Is All You Need",
        "**LLMs** _Math_: a survey -- see `code` ~x~ (2023)!",
        "  -- leading and trailing --  ",
        "a",
        "x1 y_2 z-3 4.5 6,7",
        "Tabs\tand\nnew lines\r\nhere",
        "***",
        "word***word",
    ],
)
def test_ascii_folding_is_the_general_folding(text) -> None:
    """The ASCII fast path gives the same text and the same offsets as the general one."""
    assert _folded_ascii(text) == _folded_unicode(text)


def test_ascii_folding_agrees_on_every_seed_line() -> None:
    """Every ASCII line of the seed notes (and each title in bib/) folds alike both ways."""
    lines = [
        line
        for path in sorted((ROOT / "notes").glob("*.md"))
        for line in path.read_text("utf-8", errors="replace").splitlines()
        if line.isascii()
    ]
    titles = [p.title for p in load_library(ROOT / "bib", warn=False).papers.values()]
    checked = [text for text in lines + titles if text.isascii()]
    assert len(checked) > 100
    for text in checked:
        assert _folded_ascii(text) == _folded_unicode(text), text


@pytest.mark.parametrize(
    ("said", "title"),
    [
        ("attention is all you need", "attention is all you ned"),
        ("attention is all you need", "a completely different paper about graphs"),
        ("short", "a much longer title than the line that names it"),
        ("scaling laws for neural language models", "scaling laws for neural langauge models"),
    ],
)
def test_fuzzy_match_is_difflibs_ratio(said, title) -> None:
    """The cheap bounds asked first never change difflib's answer."""
    full = SequenceMatcher(None, said, title, autojunk=False).ratio() >= FUZZY_RATIO
    assert _similar(said, title) == full


def test_fuzzy_match_is_difflibs_ratio_near_the_threshold() -> None:
    """Lines made from titles by a few random edits, so that their ratios fall on both sides
    of ``FUZZY_RATIO``: the bounds asked first (rapidfuzz's Indel among them) give difflib's
    answer on every one."""
    rng = random.Random(11)
    words = [
        "attention",
        "scaling",
        "laws",
        "neural",
        "graph",
        "diffusion",
        "model",
        "kernel",
        "sparse",
        "robust",
    ]
    answers = Counter()
    for _ in range(3000):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(2, 8)))
        said = list(title)
        for _ in range(rng.randint(0, len(title) // 2)):
            at = rng.randrange(len(said) + 1)
            edit = rng.choice(["add", "drop", "swap"])
            if edit == "add" or not said:
                said.insert(at, rng.choice("abcdeilmnorst "))
            elif edit == "drop" and at < len(said):
                del said[at]
            elif at < len(said):
                said[at] = rng.choice("abcdeilmnorst ")
        said = "".join(said)
        if not said:
            continue
        full = SequenceMatcher(None, said, title, autojunk=False).ratio() >= FUZZY_RATIO
        assert _similar(said, title) == full, (said, title)
        answers[full] += 1
    assert answers[True] > 300 and answers[False] > 300, answers


def test_link_expressions_are_skipped_only_where_they_cannot_match() -> None:
    """Each of ``_take_links``' expressions runs only where the line holds what it needs: on
    every line of the seed and hostile notes, and on lines made of the links' pieces, the
    result is the one every expression gives."""
    lines = [
        line
        for folder in (ROOT / "notes", ROOT / "tests" / "hostile" / "notes")
        for path in sorted(folder.glob("*.md"))
        for line in path.read_text("utf-8", errors="replace").splitlines()
    ]
    rng = random.Random(5)
    pieces = [
        "see ",
        "[label](https://arxiv.org/abs/2401.00001)",
        "<https://example.org/a>",
        "arxiv.org/abs/2401.00002:Title",
        "https://huggingface.co/papers/2401.00003",
        "www.example.com/x",
        "arXiv: 2401.00004",
        "ARXIV:2401.00005",
        "ar5iv.labs.arxiv.org/html/2401.00006",
        "alphaxiv.org/abs/2401.00007",
        "http://x.org",
        "[vault](note.md)",
        " — ",
        "ı",
        "(",
        ")",
    ]
    lines += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(2000)]
    assert len(lines) > 2500

    def is_own(url: str) -> bool:
        return "2401.00001" in url or "2401.00004" in url

    for line in lines:
        assert _take_links(line, is_own) == _take_links(line, is_own, every=True), line
