"""Is a title found on arXiv (or in ``manual.bib``) the paper a note means? Never guess.

Titles are compared after ``garden.text.normalize`` (case, accents, markup, punctuation).
A candidate is accepted by one of three rules, and only by them:

``ratio``
    the two titles are nearly the same (``fuzz.ratio`` ≥ 90: typos, a lost word);
``contained``
    the candidate title, at least 4 words long, appears in the note's text
    (``fuzz.partial_ratio`` ≥ 95, the note being the longer): notes glue comments behind a
    title and topic words in front of it;
``main-title``
    the note gives exactly the candidate's main title, the part before its first ``:``,
    and that part has at least 3 words (``"Two-way kernel matrix puncturing:"``).

A note that is a *part* of a candidate title ("Knowledge Circuit" vs "Knowledge Circuits in
Pretrained Transformers") is not accepted: that is how neighbours look.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import fuzz

from garden.text import normalize

T = TypeVar("T")

MIN_RATIO = 90.0
MIN_CONTAINED = 95.0
MIN_CONTAINED_WORDS = 4
MIN_MAIN_TITLE_WORDS = 3


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    rule: str  # "ratio", "contained", "main-title", or "" when refused
    score: float  # fuzz.ratio of the whole titles: ranks accepted candidates


def verdict(note_title: str, candidate_title: str) -> Verdict:
    """Whether ``candidate_title`` is what ``note_title`` means, and by which rule."""
    note, candidate = normalize(note_title), normalize(candidate_title)
    score = fuzz.ratio(note, candidate)
    if not note or not candidate:
        return Verdict(False, "", 0.0)
    if score >= MIN_RATIO:
        return Verdict(True, "ratio", score)
    if _contained(note, candidate):
        return Verdict(True, "contained", score)
    if _main_title(note, candidate_title):
        return Verdict(True, "main-title", score)
    return Verdict(False, "", score)


def _contained(note: str, candidate: str) -> bool:
    if len(candidate.split()) < MIN_CONTAINED_WORDS or len(candidate) > len(note):
        return False
    return fuzz.partial_ratio(candidate, note) >= MIN_CONTAINED


def _main_title(note: str, candidate_title: str) -> bool:
    head, colon, _ = candidate_title.partition(":")
    main = normalize(head)
    return bool(colon) and len(main.split()) >= MIN_MAIN_TITLE_WORDS and note == main


def best_match(
    note_titles: Sequence[str], candidates: Sequence[T], title_of: Callable[[T], str]
) -> T | None:
    """The accepted candidate with the highest score over any of the note's texts.

    ``None`` when nothing is accepted, or when two different candidates tie at the top
    (ambiguous: refusing is better than guessing).
    """
    scored = []
    for candidate in candidates:
        verdicts = [verdict(text, title_of(candidate)) for text in note_titles if text]
        accepted = [v.score for v in verdicts if v.accepted]
        if accepted:
            scored.append((max(accepted), candidate))
    scored.sort(key=lambda pair: -pair[0])
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]
