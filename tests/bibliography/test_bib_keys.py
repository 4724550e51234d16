"""BibTeX keys: readable, ``[a-z0-9_-]+``, unique, and never changed once given."""

from __future__ import annotations

import pytest

from garden.bibliography.keys import KEY_PATTERN, assign_keys, base_key, first_word, surname


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Jonas Köhler", "kohler"),
        ("Ekin Akyürek", "akyurek"),
        ("Grégoire Delétang", "deletang"),
        ("Bruno Gavranović", "gavranovic"),
        ("Anton van den Hengel", "hengel"),
        ("José Henrique de Morais Goulart", "moraisgoulart"),
        ("Sean O'Rourke", "orourke"),
        ("Daniel E. Worrall", "worrall"),
    ],
)
def test_surname(author, expected):
    assert surname(author) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("What Does BERT Look At? An Analysis of BERT's Attention", "bert"),
        ("A mathematical perspective on Transformers", "mathematical"),
        ("In search of dispersed memories", "search"),
        ("White-Box Transformers via Sparse Rate Reduction", "white"),
        ("Towards Monosemanticity", "monosemanticity"),
        ("$\\mathrm{SU}(N)$ lattice", "mathrm"),
        ("The", "the"),
    ],
)
def test_first_significant_word(title, expected):
    assert first_word(title) == expected


def test_keys_are_mkdocs_bibtex_safe():
    key = base_key("Jonas Köhler", 2020, "Equivariant Flows: Exact Likelihood")
    assert key == "kohler2020equivariant"
    assert KEY_PATTERN.match(key)


def test_collisions_get_b_c_in_eprint_order():
    wanted = {"2311.13110": "yu2023white", "2306.01129": "yu2023white", "2399.00001": "yu2023white"}
    assert assign_keys(wanted, {}) == {
        "2306.01129": "yu2023white",
        "2311.13110": "yu2023whiteb",
        "2399.00001": "yu2023whitec",
    }


def test_existing_keys_are_kept_even_if_the_base_would_differ():
    keys = assign_keys(
        {"2311.13110": "yu2023white", "2306.01129": "yu2023white"},
        existing={"2311.13110": "yu2023white"},
    )
    assert keys == {"2311.13110": "yu2023white", "2306.01129": "yu2023whiteb"}


def test_reserved_keys_are_avoided():
    keys = assign_keys({"2102.00001": "kammoun2023covariance"}, {}, ["kammoun2023covariance"])
    assert keys == {"2102.00001": "kammoun2023covarianceb"}
