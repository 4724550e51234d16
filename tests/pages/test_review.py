"""The review report: what the build guessed, each guess with file:line (scripts/review.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from garden.bibliography.library import Library, load_library
from garden.join import build_garden
from garden.notes import load_notes, parse_note
from garden.pages.review import review_report

ROOT = Path(__file__).resolve().parents[2]


def test_seed_report_lists_the_guesses() -> None:
    garden = build_garden(load_notes(ROOT / "notes", ROOT), load_library(ROOT / "bib"))
    report = review_report(garden)
    assert "## Comments split from a title (10)" in report
    assert "- `notes/research-map.md:7` “Equivariant Flows" in report
    assert "comment: “Particles here!!”" in report
    assert "## Titles matched fuzzily (1)" in report
    assert (
        "“SOME INTRIGUING ASPECTS ABOUT LIPSCHITZ CONTINUITY OF NEURAL NETWORKS” read as" in report
    )


def test_unclassified_links_are_listed() -> None:
    note = parse_note("## T\n+ a talk https://example.org/x\n+ https://youtu.be/v\n", "notes/n.md")
    report = review_report(build_garden([note], Library({}, {})))
    assert report.splitlines()[-1] == "- `notes/n.md:2` https://example.org/x"
    assert "youtu.be" not in report


def test_empty_garden_has_nothing_to_check() -> None:
    assert review_report(build_garden([], Library({}, {}))).endswith("Nothing to check.\n")


def test_script_prints_the_report() -> None:
    run = subprocess.run(
        [sys.executable, "scripts/review.py"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.startswith("# What the build guessed\n")
