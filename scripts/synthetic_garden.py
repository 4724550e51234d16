"""A deterministic synthetic garden for ``benchmark.py``: notes, ``bib/arxiv.bib``, refmap.

The shape follows the seed notes: topics repeated across notes (some headings spelled
differently, a few misspelled), papers cited by arXiv links in several forms and by title
alone, nested comments with math, wikilinks, resources, labels and a hand-drawn diagram.
``bib/`` is written with the project's own writer, as ``scripts/fetch_arxiv.py`` would.
"""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from garden.bibliography.bibtex import to_entry, write_bib
from garden.bibliography.csl import refresh_styled
from garden.bibliography.keys import assign_keys, base_key
from garden.bibliography.records import ArxivRecord
from garden.notes import load_notes
from garden.references import RefKind, clean_title, extract_references
from garden.text import normalize

WORDS = """
attention transformer kernel spectral random matrix tensor gradient descent stochastic
convex manifold geometry topology quantum field theory lattice gauge symmetry equivariant
flow diffusion score generative adversarial variational inference bayesian posterior
sparse low rank compression grokking memorisation circuit superposition feature neuron
probing representation language model reasoning arithmetic retrieval context learning
meta scaling law emergence phase transition mean field dynamics curvature hessian
eigenvalue covariance clustering estimation concentration measure universality tail
robust adversarial certified optimal transport wasserstein entropy information bottleneck
mutual causal intervention graph message passing operator neural tangent infinite width
""".split()  # noqa: SIM905
SURNAMES = """
akemann ambrogioni chen clark couillet demirtas geshkovski gurnee halverson hendel
hernandez jagannath kaddour khromov liao liu louart mai miolane nanda olah rende seddik
tiomoko voita wen yang yu zdeborova krzakala montanari bach bengio hinton lecun
sutskever vaswani elhage olsson power nakkiran belkin mei misiakiewicz pennington
""".split()  # noqa: SIM905
FIRST = """
Ada Ben Chloe Dmitri Elena Farid Greta Hiro Ines Jonas Kira Luca Mina Noor Omar Priya
Quentin Rosa Sven Tara Umar Vera Wei Xena Yuki Zeno Ekin Romain Zhenyu Lenka
""".split()  # noqa: SIM905
CATEGORIES = ("cs.LG", "stat.ML", "cs.CL", "math.PR", "hep-th", "cond-mat.dis-nn", "math-ph")
MATH = (r"$\mathcal{O}(n^{1/2})$", r"$\vec{E}$", r"$\lambda_{\max}$", r"$W \in \mathbb{R}^{m}$")
DIAGRAM = (
    "    Gauge flows <---- duality <-- QFT == NN\n"
    "                        |\n"
    "    lattice QCD ---------> Random Matrix Theory ---> NTK\n"
)


@dataclass(frozen=True)
class Scale:
    papers: int
    topics: int
    notes: int
    # "pool": every author drawn from ~1,350 names, a few prolific (each author has several
    # papers: ~1,350 author pages at 10,000 papers). "realistic": as in the seed notes, where
    # 122 of 141 authors have one paper: a slot is a pool author one time in five, else a
    # name of its own.
    authors: str = "pool"


PRESETS = {
    "small": Scale(200, 40, 10),
    "medium": Scale(2000, 200, 50),
    "large": Scale(10000, 1000, 200),
}


@dataclass
class Synthetic:
    """What was written, for the report."""

    records: dict[str, ArxivRecord] = field(default_factory=dict)  # key → record
    note_files: int = 0
    mentions: int = 0
    misspelled: int = 0


def make_garden(root: Path, scale: Scale, seed: int = 1) -> Synthetic:
    """Write ``notes/`` and ``bib/`` under ``root`` (which holds mkdocs.yml, hooks.py, docs/)."""
    rng = random.Random(seed)
    out = Synthetic()
    out.records = _records(rng, scale.papers, realistic=scale.authors == "realistic")
    topics = _topic_names(rng, scale.topics)
    (root / "notes").mkdir(parents=True, exist_ok=True)
    intended = _write_notes(root / "notes", rng, scale, topics, list(out.records), out)
    _write_bib(root / "bib", out.records, root, intended)
    return out


# --- papers ----------------------------------------------------------------------------------


def _records(rng: random.Random, count: int, realistic: bool = False) -> dict[str, ArxivRecord]:
    records, titles = [], set()
    authors = [f"{f} {s.capitalize()}" for s in SURNAMES for f in FIRST]
    weights = [1 / (1 + i % 97) for i in range(len(authors))]  # a few prolific authors
    own = itertools.count()

    def name(drawn: str) -> str:  # a pool author, or (realistic) one of a single paper
        if not realistic or rng.random() < 0.2:
            return drawn
        first, surname = drawn.split(" ", 1)
        number = next(own)
        middle = "".join(chr(ord("A") + int(d)) for d in str(number))  # 0 -> "A", 12 -> "BC"
        return f"{first} {middle}. {surname}"

    for i in range(count):
        title = _title(rng, titles)
        published = date(2016, 1, 1) + timedelta(days=rng.randrange(3000))
        arxiv_id = f"{published:%y%m}.{10000 + i:05d}"
        records.append(
            ArxivRecord(
                arxiv_id=arxiv_id,
                version=f"v{rng.randint(1, 4)}",
                title=title,
                authors=tuple(
                    dict.fromkeys(
                        name(a) for a in rng.choices(authors, weights, k=rng.randint(1, 7))
                    )
                ),
                summary=_abstract(rng),
                published=published,
                updated=published + timedelta(days=rng.randrange(400)),
                primary_category=rng.choice(CATEGORIES),
                categories=tuple(dict.fromkeys(rng.choices(CATEGORIES, k=rng.randint(1, 3)))),
                journal_ref="NeurIPS 2021" if i % 11 == 0 else "",
                comment=f"{rng.randint(8, 60)} pages, {rng.randint(1, 12)} figures",
            )
        )
    wanted = {r.arxiv_id: base_key(r.authors[0], r.published.year, r.title) for r in records}
    keys = assign_keys(wanted, {})
    return {keys[r.arxiv_id]: r for r in sorted(records, key=lambda r: keys[r.arxiv_id])}


def _title(rng: random.Random, taken: set[str]) -> str:
    while True:
        words = rng.sample(WORDS, rng.randint(4, 10))
        title = " ".join(words).capitalize()
        if rng.random() < 0.08:
            title += f" with {rng.choice(MATH)} bounds"
        if normalize(title) not in taken:
            taken.add(normalize(title))
            return title


def _abstract(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(5, 9)):
        sentence = " ".join(rng.choices(WORDS, k=rng.randint(10, 22))).capitalize()
        if rng.random() < 0.15:
            sentence += f" at rate {rng.choice(MATH)}"
        sentences.append(sentence + ".")
    return " ".join(sentences)


# --- notes -----------------------------------------------------------------------------------


def _topic_names(rng: random.Random, count: int) -> list[str]:
    names: dict[str, str] = {}
    while len(names) < count:
        name = " ".join(w.capitalize() for w in rng.sample(WORDS, rng.randint(2, 4)))
        names.setdefault(normalize(name), name)
    return list(names.values())


def _misspell(rng: random.Random, name: str) -> str:
    """A real typo ("Optimal Transort"): a topic of its own, as in the seed notes."""
    i = rng.randrange(1, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _heading(rng: random.Random, name: str, out: Synthetic, may_misspell: bool) -> str:
    """How a note writes a topic's heading; the first note to have it spells it right, so
    wikilinks to every topic resolve."""
    roll = rng.random()
    if roll < 0.04 and may_misspell:
        out.misspelled += 1
        return _misspell(rng, name)
    if roll < 0.12:
        return name.lower() + ":"  # same topic, spelled differently
    if roll < 0.18:
        return name.upper()
    return name


def _write_notes(
    notes_dir: Path, rng: random.Random, scale: Scale, topics: list[str], keys: list[str], out
) -> dict[str, str]:
    """Spread the papers over the topics and the topics over the notes; returns the
    normalised written title → key of every title-only mention (what a fetch would resolve)."""
    by_topic: dict[int, list[str]] = {t: [] for t in range(len(topics))}
    for i, key in enumerate(keys):
        by_topic[i % len(topics)].append(key)
        if rng.random() < 0.3:  # discussed under a second topic too
            by_topic[rng.randrange(len(topics))].append(key)
    placement: dict[int, list[tuple[int, int, list[str]]]] = {n: [] for n in range(scale.notes)}
    for t, papers in by_topic.items():
        homes = rng.sample(range(scale.notes), min(scale.notes, rng.randint(1, 3)))
        for j, home in enumerate(homes):
            placement[home].append((t, j, papers[j :: len(homes)]))
    intended: dict[str, str] = {}
    for n, blocks in placement.items():
        lines = [f"# Reading notes {n}", "", f"Opening remark on {rng.choice(topics)}.", ""]
        for t, j, papers in blocks:
            lines += [f"## {_heading(rng, topics[t], out, may_misspell=j > 0)}", ""]
            lines += _topic_body(rng, papers, topics, out, intended)
        (notes_dir / f"notes-{n:04d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        out.note_files += 1
    return intended


def _topic_body(rng, papers: list[str], topics: list[str], out, intended: dict) -> list[str]:
    lines: list[str] = []
    for i, key in enumerate(papers):
        if i and i % 12 == 0:
            lines += ["", f"### Part {i // 12}: {rng.choice(WORDS)}", ""]
        lines += _paper_item(rng, key, out.records[key], topics, intended)
        out.mentions += 1
    if rng.random() < 0.3:
        lines.append(f"+ Talk on this: https://www.youtube.com/watch?v=x{rng.randrange(10**6)}")
    if rng.random() < 0.1:
        lines += ["", "Diagram:", "", DIAGRAM]
    return lines + [""]


def _paper_item(rng, key: str, record: ArxivRecord, topics: list[str], intended) -> list[str]:
    ident, title = record.arxiv_id, record.title
    form = rng.randrange(6)
    if form == 0:
        head = f"+ https://arxiv.org/abs/{ident} | {title}"
    elif form == 1:
        head = f"- {title}: https://arxiv.org/pdf/{ident}{record.version}.pdf"
    elif form == 2:
        head = f"1. [{title}](https://arxiv.org/abs/{ident})"
    elif form == 3:
        head = f"+ https://huggingface.co/papers/{ident}"
    elif "$" not in title:  # a title alone: resolved through bib/refmap.json
        written = title.upper() if form == 4 else _misspell(rng, title)
        intended[normalize(clean_title(written))] = key
        head = f"+ {written}"
    else:
        head = f"+ arXiv:{ident} {title}"
    lines = [head]
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        lines.append(f"  + {_comment(rng, topics)}")
        if rng.random() < 0.3:
            lines.append(f"    + Deeper: {_comment(rng, topics)}")
    return lines


def _comment(rng: random.Random, topics: list[str]) -> str:
    words = " ".join(rng.choices(WORDS, k=rng.randint(6, 16)))
    roll = rng.random()
    if roll < 0.25:
        return f"{words} with {rng.choice(MATH)}."
    if roll < 0.35:
        return f"{words}, see [[{rng.choice(topics)}]]."
    if roll < 0.45:
        return f"{words}; relates to {rng.choice(topics).lower()}."
    return words.capitalize() + "."


# --- bib/ ------------------------------------------------------------------------------------


def _write_bib(bib_dir: Path, records: dict[str, ArxivRecord], root: Path, intended) -> None:
    bib_dir.mkdir(parents=True, exist_ok=True)
    write_bib(bib_dir / "arxiv.bib", {key: to_entry(r) for key, r in records.items()})
    key_of = {r.arxiv_id: key for key, r in records.items()}
    refmap: dict[str, str] = {}
    for ref in extract_references(load_notes(root / "notes", root)):
        if ref.kind is RefKind.ARXIV:
            refmap[ref.identity] = key_of.get(ref.value, "unresolved")
        elif ref.kind is RefKind.TITLE:
            refmap[ref.identity] = intended.get(ref.value, "unresolved")
    text = json.dumps(dict(sorted(refmap.items())), indent=2, ensure_ascii=False)
    (bib_dir / "refmap.json").write_text(text + "\n", encoding="utf-8")
    refresh_styled(bib_dir)  # as scripts/fetch_arxiv.py leaves bib/
