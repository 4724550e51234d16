"""The title matcher: accepts only what it can stand behind."""

from __future__ import annotations

import pytest

from garden.bibliography.match import best_match, verdict

RECORDS = {
    "2310.13434": "Random Matrix Analysis to Balance between Supervised and Unsupervised "
    "Learning under the Low Density Separation Assumption",
    "2006.02425": "Equivariant Flows: Exact Likelihood Generative Learning for Symmetric Densities",
    "2102.12293": "Two-way kernel matrix puncturing: towards resource-efficient PCA and "
    "spectral clustering",
    "2006.16236": "Transformers are RNNs: Fast Autoregressive Transformers with Linear Attention",
    "2405.17969": "Knowledge Circuits in Pretrained Transformers",
    "2506.22084": "Transformers are Graph Neural Networks",
    "2312.10794": "A mathematical perspective on Transformers",
    "2106.00694": "Symmetry-via-Duality: Invariant Neural Network Densities from Parameter-Space "
    "Correlators",
    "2306.05720": "Beyond Surface Statistics: Scene Representations in a Latent Diffusion Model",
    "1906.04341": "What Does BERT Look At? An Analysis of BERT's Attention",
}


@pytest.mark.parametrize(
    ("note", "arxiv_id", "rule"),
    [
        # (a) nearly the same title: case, markup, punctuation, a typo
        ("KERNEL SPECTRAL CLUSTERING OF LARGE DIMENSIONAL DATA", None, None),
        (
            "Symmetry-via-Duality:Invariant Neural Network Densities from Parameter-Space "
            "Correlators.",
            "2106.00694",
            "ratio",
        ),
        (
            "Equivariant Flows: Exact Likelihood Generative Learning for Symetric Densities",
            "2006.02425",
            "ratio",
        ),
        # (b) the arXiv title inside the note, comments glued around it
        (
            "**SEMI SUPERVISED LAERNING**  Random Matrix Analysis to Balance between Supervised\n"
            "and Unsupervised Learning under the Low Density Separation Assumptioncan be used in "
            "mnist-1d again",
            "2310.13434",
            "contained",
        ),
        (
            "Equivariant Flows: Exact Likelihood Generative Learning for Symmetric\n"
            "Densities Particles here!!",
            "2006.02425",
            "ratio",  # close enough already; "contained" would also accept it
        ),
        (
            "A mathematical perspective on Transformers. Describes Transformers as Transformers "
            "based on their interpretation as interacting particle systems",
            "2312.10794",
            "contained",
        ),
        # (c) the main title, before arXiv's ':'
        ("Two-way kernel matrix puncturing:", "2102.12293", "main-title"),
        ("Beyond Surface Statistics", "2306.05720", "main-title"),
        # refused: the note is a part or a paraphrase of a neighbour's title
        ("transformers are rnns papers", None, None),
        ("Knowledge Circuit", None, None),
        ("Transformers are graph attention models", None, None),
        ("Transformers", None, None),
        ("What does BERT look at", None, None),  # no ':' in arXiv's title: only a notice
        ("Two-way kernel", None, None),  # too short for a main title
    ],
)
def test_matcher_table(note, arxiv_id, rule):
    found = best_match([note], list(RECORDS), title_of=RECORDS.__getitem__)
    assert found == arxiv_id
    if arxiv_id:
        assert verdict(note, RECORDS[arxiv_id]).rule == rule


def test_the_closest_of_two_accepted_titles_wins():
    titles = {
        "2306.01129": "White-Box Transformers via Sparse Rate Reduction",
        "2311.13110": "White-Box Transformers via Sparse Rate Reduction: Compression Is All "
        "There Is?",
    }
    note = "White-Box Transformers via Sparse Rate Reduction: Compression Is All There Is?"
    assert best_match([note], list(titles), titles.__getitem__) == "2311.13110"


def test_a_tie_between_different_papers_is_refused():
    titles = {"a": "Deep Learning for Cats", "b": "Deep Learning for Cats"}
    assert best_match(["Deep learning for cats"], list(titles), titles.__getitem__) is None


def test_manual_bib_titles_with_braces_match():
    title = "{Covariance discriminative power of kernel clustering methods}"
    note = "!!! Covariance discriminative power of kernel clustering methods **IMPORTANT**"
    assert verdict(note, title).accepted


def test_empty_texts_never_match():
    assert not verdict("", "Anything at all here").accepted
    assert best_match(["", ""], ["x"], lambda _: "Anything at all here") is None
