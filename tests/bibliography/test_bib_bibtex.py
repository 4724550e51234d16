"""BibTeX output: escaping, accents, sorting, round-trip through pybtex, atomic writes."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from pybtex.database import parse_string

from garden.bibliography.bibtex import (
    BibFileError,
    latex_escape,
    read_bib,
    to_entry,
    to_string,
    write_bib,
)
from garden.bibliography.records import ArxivRecord
from garden.bibliography.storage import write_atomic

ROOT = Path(__file__).resolve().parents[2]

RECORD = ArxivRecord(
    arxiv_id="2309.10668",
    version="v2",
    title="Language Modeling Is Compression & $O(N^2)$ {Attention}",
    authors=("Grégoire Delétang", "Anian Ruoss", "Anton van den Hengel"),
    summary="We compress 100% of $x_1$ with \\emph{care}; cost_# {odd",
    published=date(2023, 9, 19),
    updated=date(2024, 3, 18),
    primary_category="cs.LG",
    categories=("cs.LG", "cs.AI"),
    doi="10.1000/xyz_1",
    journal_ref="ICLR 2024",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100% & # _", r"100\% \& \# \_"),
        ("$x_1 + y_{2}$ and x_1", r"$x_1 + y_{2}$ and x\_1"),
        (r"\emph{robust} {\bf K} {plain}", r"\emph{robust} {\bf K} \{plain\}"),
        ("{unbalanced", r"\textbraceleft{}unbalanced"),
        ("closing}", r"closing\textbraceright{}"),
        ("{a} {b", r"\{a\} \textbraceleft{}b"),
        (r"already \% escaped", r"already \% escaped"),
        (r"\"{o} accent", r"\"{o} accent"),
        ("Köhler – Noé", "Köhler – Noé"),
        ("$50% off$", r"$50\% off$"),
        ("a lone $ sign", r"a lone \$ sign"),
    ],
)
def test_latex_escape(text, expected):
    assert latex_escape(text) == expected


def test_entry_fields():
    entry = to_entry(RECORD)
    assert entry.type == "misc"
    assert dict(entry.fields) == {
        "title": r"{Language Modeling Is Compression \& $O(N^2)$ \{Attention\}}",
        "year": "2023",
        "month": "September",
        "eprint": "2309.10668",
        "archivePrefix": "arXiv",
        "primaryClass": "cs.LG",
        "url": "https://arxiv.org/abs/2309.10668",
        "doi": "10.1000/xyz_1",  # verbatim in biblatex: not escaped
        "journal_ref": "ICLR 2024",
        "abstract": r"We compress 100\% of $x_1$ with \emph{care}; cost\_\# \textbraceleft{}odd",
        "date": "2023-09-19",
        "version": "v2",
        "keywords": "cs.LG, cs.AI",
        "updated": "2024-03-18",
    }


def test_empty_fields_are_left_out():
    bare = ArxivRecord(
        "2401.00001", "v1", "T", ("A B",), "", date(2024, 1, 1), date(2024, 1, 1), ""
    )
    assert set(to_entry(bare).fields) == {
        "title",
        "year",
        "month",
        "eprint",
        "archivePrefix",
        "url",
        "date",
        "version",
    }


def test_round_trip_through_pybtex(tmp_path: Path):
    entries = {"zeta2023b": to_entry(RECORD), "alpha2023a": to_entry(RECORD)}
    path = tmp_path / "arxiv.bib"
    assert write_bib(path, entries)
    back = read_bib(path)
    assert list(back) == ["alpha2023a", "zeta2023b"]  # sorted
    for key, entry in entries.items():
        assert dict(back[key].fields) == dict(entry.fields)
        assert [str(p) for p in back[key].persons["author"]] == [
            "Delétang, Grégoire",
            "Ruoss, Anian",
            "van den Hengel, Anton",
        ]
    assert to_string(back) == path.read_text("utf-8")  # re-writing is byte-identical


def test_accents_stay_utf8(tmp_path: Path):
    path = tmp_path / "arxiv.bib"
    write_bib(path, {"k": to_entry(RECORD)})
    text = path.read_text("utf-8")
    assert 'author = "Delétang, Grégoire and Ruoss' in text
    parsed = parse_string(text, "bibtex")
    assert parsed.entries["k"].persons["author"][0].last_names == ["Delétang"]


def test_unchanged_file_is_not_rewritten(tmp_path: Path):
    path = tmp_path / "arxiv.bib"
    assert write_bib(path, {"k": to_entry(RECORD)})
    mtime = path.stat().st_mtime_ns
    assert not write_bib(path, {"k": to_entry(RECORD)})
    assert path.stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.iterdir()] == ["arxiv.bib"]  # no temp file left


GOOD = "@misc{a,\n  title = {x}\n}\n\n"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        # pybtex itself names line 9, where it noticed (the next entry), not the entry
        (
            GOOD + "@misc{b,\n  title = {never closed\n}\n\n" + GOOD,
            5,
            "entry 'b' cannot be read: a '{' or '\"' opened in it is never closed",
        ),
        (GOOD + "@misc{b,\n  title = {cut short", 5, "entry 'b' cannot be read: a '{' or"),
        (GOOD + GOOD.replace("{a,", "{A,"), 5, "entry 'A' cannot be read: repeats the key of"),
        (GOOD + "@@@ junk{\n", 5, "text cannot be read: '(' or '{' expected"),
    ],
)
def test_a_broken_bib_names_the_line_of_the_broken_entry(tmp_path: Path, text, line, problem):
    path = tmp_path / "manual.bib"
    path.write_text(text, "utf-8")
    with pytest.raises(BibFileError) as caught:
        read_bib(path)
    assert caught.value.line == line
    assert caught.value.problem.startswith(problem)
    assert str(caught.value).endswith("by hand (the fetch never rewrites it)")


def test_a_bib_that_is_not_utf8_names_the_line(tmp_path: Path):
    path = tmp_path / "manual.bib"
    path.write_bytes(GOOD.encode() + b"@misc{b,\n  title = {caf\xe9}\n}\n")
    with pytest.raises(BibFileError, match=r"manual.bib:6: byte 0xe9 is not UTF-8"):
        read_bib(path)


def test_atomic_writes_follow_the_umask_for_new_files_and_keep_old_modes(tmp_path: Path):
    old = os.umask(0o027)
    try:
        assert write_atomic(tmp_path / "new.json", "{}\n")
    finally:
        os.umask(old)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o640
    (tmp_path / "new.json").chmod(0o604)
    assert write_atomic(tmp_path / "new.json", b"{}\n\n")
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o604
    assert [p.name for p in tmp_path.iterdir()] == ["new.json"]


def test_entry_lines_are_where_each_entry_starts() -> None:
    """Counted entry to entry (once counted from the start for each: quadratic, 20 s of
    reading a 10,000-paper bib/); every seed entry, and entries after comments and strings."""
    from garden.bibliography.bibtex import entry_lines

    extra = '@comment{x}\n\n@string{j = "J"}\n@misc{Late,\n  title = "{A}"\n}\n@misc{late,\n}\n'
    for text in [(ROOT / "bib" / name).read_text("utf-8") for name in ("arxiv.bib", "manual.bib")]:
        text += extra
        found = entry_lines(text)
        by_hand = {}
        for number, line in enumerate(text.split("\n"), 1):
            if line.startswith("@") and not line.lower().startswith(("@comment", "@string")):
                by_hand.setdefault(line[line.index("{") + 1 :].rstrip(",").lower(), number)
        assert found == by_hand and len(found) > 3
        assert found["late"] == text.split("\n").index("@misc{Late,") + 1
