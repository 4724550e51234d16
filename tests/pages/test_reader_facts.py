"""What a reader sees on the seed garden's pages (issue 9): each test is built from the seed
lines that showed the problem, plus the rule it stands for on a small garden."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from garden import routes
from garden.bibliography.library import Library, Paper, load_library, people
from garden.join import build_garden
from garden.notes import load_notes, parse_note
from garden.pages.site import generate_site
from garden.routes import ONE_PAPER, author_group, author_slug
from garden.text import normalize

ROOT = Path(__file__).resolve().parents[2]
COMMENT = re.compile(  # a paper's line (HTML: garden.pages.items.paper_line), then the comment
    r'<a class="garden-paper" href="\.\./\.\./papers/[^"]+">(.*?)</a>[^\n]*?'
    r'<span class="garden-comment">([^\n]*?) </span>'
)


@pytest.fixture(scope="module")
def seed():
    garden = build_garden(load_notes(ROOT / "notes", ROOT), load_library(ROOT / "bib"))
    return garden, generate_site(garden).pages


def small_site(*notes: str, papers: dict[str, Paper], refmap: dict[str, str]):
    parsed = [parse_note(text, f"notes/n{i}.md", stem=f"n{i}") for i, text in enumerate(notes)]
    garden = build_garden(parsed, Library(papers, refmap))
    return generate_site(garden).pages


# --- 1. comments: only what the author added, no raw URLs -------------------------------------


def test_no_comment_repeats_its_papers_title_or_holds_a_url(seed) -> None:
    _, pages = seed
    found = 0
    for uri, text in pages.items():
        if not uri.startswith("topics/"):
            continue
        for title, comment in COMMENT.findall(text):
            found += 1
            said = normalize(re.sub(r"\\(.)", r"\1", comment))
            assert not said.startswith(normalize(title)[:20]), (uri, comment)
            assert "http" not in comment and "|" not in comment, (uri, comment)
    assert found >= 10  # the seed has a dozen real remarks


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("topics/physics-lens.md", '<span class="garden-comment">Particles here!! </span>'),
        (
            "topics/transformers-are-x-papers-from-lens-of-category-theory.md",
            '<span class="garden-comment">Transformers are Cnn </span>',
        ),
        ("topics/information-theory.md", '<span class="garden-comment">shorter version </span>'),
        # a journal copy of an arXiv paper is a link of the entry, not text
        (
            "topics/random-matrix-theory.md",
            '· <a href="https://www.jmlr.org/papers/volume23/21-1038/21-1038.pdf">jmlr.org</a>',
        ),
        # a bare URL with words: the words link to it
        (
            "topics/transformers-are-x-papers-from-lens-of-category-theory.md",
            "[Transformers are graph attention models]"
            "(https://thegradient.pub/transformers-are-graph-neural-networks/)",
        ),
    ],
)
def test_seed_entries_read_as_written(seed, uri: str, expected: str) -> None:
    assert expected in seed[1][uri]


def test_second_link_in_a_paper_line_becomes_its_own_link() -> None:
    hyena = Paper("h", "Scavenging Hyena", ("A B",), eprint="2401.17574")
    pages = small_site(
        "## T\n+ Transformers are Cnn :https://huggingface.co/papers/2401.17574 | Scavenging "
        "Hyena | talk https://youtu.be/abc\n",
        papers={"h": hyena},
        refmap={"arxiv:2401.17574": "h"},
    )
    text = pages["topics/t.md"]
    assert "[youtu.be](https://youtu.be/abc)" in text
    assert '<span class="garden-comment">Transformers are Cnn … talk </span>' in text


# --- 4. "others" is not an author ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Trenton Bricken", "others"], (("Trenton Bricken",), True)),
        (["A B", "et al."], (("A B",), True)),
        (["A B", "and others"], (("A B",), True)),
        (["A B", "Et Al"], (("A B",), True)),
        (["A B", "C D"], (("A B", "C D"), False)),
    ],
)
def test_placeholders_are_not_people(names, expected) -> None:
    assert people(names) == expected


def test_no_author_page_for_others(seed) -> None:
    garden, pages = seed
    assert "authors/others.md" not in pages
    assert "others" not in garden.author_names.values()
    assert "<li>Bricken et al. (2023). " in pages["papers/index.md"]
    assert "Bricken, others" not in "".join(pages.values())
    assert garden.library.papers["bricken2023monosemanticity"].more_authors


def test_an_author_has_a_page_from_their_second_paper_here(seed) -> None:
    """A page per author with more than one paper in the garden; an author of one paper (their
    page would only list it: most authors of a real garden) is an entry of a page shared with
    the authors of one paper whose surname starts with the same two letters. Every name on a
    paper page links to one or the other; the index lists the first and links the shared
    pages."""
    garden, pages = seed
    with_page = {s for s, keys in garden.papers_by_author.items() if len(keys) > 1}
    groups = {u for u in pages if u.startswith("authors/one-paper/")}
    assert {u for u in pages if u.startswith("authors/")} == {
        "authors/index.md",
        *(f"authors/{slug}.md" for slug in with_page),
        *groups,
    }
    assert 10 < len(with_page) < len(garden.papers_by_author) / 2
    assert len(groups) < len(garden.papers_by_author) - len(with_page)
    paper = pages["papers/jagannath2018statistical.md"]  # three authors with one paper each
    assert '<a href="../../authors/one-paper/mi/#leo-miolane">Leo Miolane</a>' in paper
    group = pages["authors/one-paper/mi.md"]
    assert group.startswith("# Authors of one paper: Mi\n")
    entry = '<span id="leo-miolane"><strong>Leo Miolane</strong></span> — <a href="../../../'
    assert entry + 'papers/jagannath2018statistical/">' in group
    couillet = pages["papers/louart2017random.md"]
    assert '<a href="../../authors/romain-couillet/">Romain Couillet</a>' in couillet
    index = pages["authors/index.md"]
    one = len(garden.papers_by_author) - len(with_page)
    assert f"{len(garden.papers_by_author)} authors of the papers in this garden." in index
    assert f"the {len(with_page)} authors with more than one paper in it. The other {one}," in index
    assert index.count("<li>") == len(with_page)
    assert '<a href="one-paper/mi/">Mi</a> (1)' in index
    # every author's name on a paper page leads to them
    for paper in garden.library.papers.values():
        for name in paper.authors:
            slug = author_slug(name)
            assert slug in with_page or f'id="{slug}"' in pages[garden.author_group_of[slug]]


def test_a_large_group_of_authors_of_one_paper_is_split_by_one_more_letter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``Garden.author_group_of``: a shared page holds at most ``GROUP_ENTRIES`` authors, a
    larger group is split by the next letter of the surname (as far as surnames go), then
    authors of one surname by the letters of their given names, and every name on a paper page
    still links to the author's entry."""
    from garden.join import garden as garden_module

    monkeypatch.setattr(garden_module, "GROUP_ENTRIES", 2)
    garden = build_garden(load_notes(ROOT / "notes", ROOT), load_library(ROOT / "bib"))
    pages = generate_site(garden).pages
    names, groups = garden.author_names, garden.author_groups
    assert sum(map(len, groups.values())) == len(garden.papers_by_author) - len(garden.author_pages)
    longer = [uri for uri in groups if len(uri.removeprefix(ONE_PAPER)) > len("xy.md")]
    assert longer, "the seed garden has groups of more than two: some were split"
    # three one-paper authors named Liu: one surname, told apart by their given names
    liu = {uri: [names[s] for s in slugs] for uri, slugs in groups.items() if "/liu" in uri}
    assert liu == {
        ONE_PAPER + "liu-b.md": ["Bingbin Liu"],
        ONE_PAPER + "liu-s.md": ["Songming Liu"],
        ONE_PAPER + "liu-z.md": ["Ziming Liu"],
    }
    assert "# Authors of one paper: Liu, S" in pages[ONE_PAPER + "liu-s.md"]
    assert "with this surname, whose given names start with these" in pages[ONE_PAPER + "liu-s.md"]
    assert "whose surname starts with these letters" in pages[ONE_PAPER + "mi.md"]
    for uri, slugs in groups.items():
        surname, _, given = uri.removeprefix(ONE_PAPER).removesuffix(".md").partition("-")
        assert len(slugs) <= 2, (uri, slugs)  # no two authors of the seeds share a whole name
        assert all(author_group(names[s], len(surname), len(given)) == uri for s in slugs)
        assert all(f'<span id="{s}">' in pages[uri] for s in slugs)
    for paper in garden.library.papers.values():
        text = pages[routes.paper(paper.key)]
        for name in paper.authors:
            slug = author_slug(name)
            if slug not in garden.author_pages:
                group = garden.author_group_of[slug]
                assert f'href="../../{routes.url(group)}#{slug}"' in text, name
    index = pages[routes.AUTHORS]
    assert all(f'<a href="{routes.url(uri).removeprefix("authors/")}">' in index for uri in groups)
    assert '<a href="one-paper/liu-z/">Liu, Z</a> (1)' in index


# --- 5. section structure as the note is written ---------------------------------------------


def test_random_matrix_theory_lists_each_paper_once(seed) -> None:
    text = seed[1]["topics/random-matrix-theory.md"]
    keys = re.findall(r'class="garden-paper" href="\.\./\.\./papers/(\w+)/"', text)
    repeated = {k for k in keys if keys.count(k) > 1}
    assert repeated == {"wen2023transformers"}  # line 55 says something of its own
    assert "MNIST related in RMT" not in text  # its four papers are those of "MNIST related"
    line = '<a href="../../notes/research-map/#line-{}">{}</a>'.format
    assert f"{line(28, 'Research map')}, {line(34, 'Research map')}" not in text
    assert f"(Research map: lines {line(28, 28)}, {line(34, 34)}" in text


def test_a_label_after_a_rule_is_a_section_of_its_own(seed) -> None:
    garden, pages = seed
    (mention,) = [m for m in garden.mentions["wen2023transformers"] if m.source.line == 55]
    assert mention.section == ("Interpretability Claims",)
    assert "› Interpretability Claims</strong>" in pages["papers/wen2023transformers.md"]
    rmt = pages["topics/random-matrix-theory.md"]
    assert rmt.index("### Footprint improvement") < rmt.index("## Interpretability Claims")


def test_a_bare_links_title_under_it_is_not_a_second_entry(seed) -> None:
    # research-map.md:100-101: the OpenReview link, its title under it
    text = seed[1]["topics/optimal-transort.md"]
    assert text.count('class="garden-paper" href="../../papers/ramasinghe2024improving/"') == 1


# --- 6. one way to cite ---------------------------------------------------------------------


def test_generated_entries_carry_no_footnote_citation(seed) -> None:
    for uri, text in seed[1].items():
        assert not re.search(r"\[@\w+\]", text), uri


# --- 7. related topics ------------------------------------------------------------------------


def test_related_topics_say_what_they_share_and_are_few(seed) -> None:
    for uri, text in seed[1].items():
        if not uri.startswith("topics/") or "## Related topics" not in text:
            continue
        section = text.split("## Related topics")[1].split("\n## ")[0]  # to the next section
        rows = section.strip().splitlines()
        assert 0 < len(rows) <= 5, uri
        assert all("shared" in row for row in rows), (uri, rows)
        assert "same note" not in text
    physics = seed[1]["topics/physics-lens.md"]
    assert "1 shared paper: *A mathematical perspective on Transformers*" in physics


# --- 8 and 10. labels and links ----------------------------------------------------------------


def test_a_paper_not_on_arxiv_has_no_arxiv_title() -> None:
    manual = Paper("m", "Some Fundamental Aspects", ("A B",), doi="10.1/x", source="manual.bib")
    pages = small_site(
        "## T\n+ Some Fundamentl Aspekts\n",
        papers={"m": manual},
        refmap={"title:some fundamentl aspekts": "m"},
    )
    text = pages["papers/m.md"]
    assert "arXiv's title" not in text
    assert "The title in manual.bib: “Some Fundamental Aspects”." in text


def test_arxiv_is_a_link_wherever_it_is_named(seed) -> None:
    pages = seed[1]
    bibliography = pages["papers/index.md"]
    assert '<a href="https://arxiv.org/abs/1812.03403">arXiv:1812.03403</a>.' in bibliography
    author = pages["authors/romain-couillet.md"]
    assert " · arXiv" not in author and '<a href="https://arxiv.org/abs/' in author
    assert '<a href="https://doi.org/10.1214/23-EJS2107">doi.org</a>' in author
    facts = pages["papers/jagannath2018statistical.md"]
    assert '<a href="https://arxiv.org/abs/1812.03403">arXiv:1812.03403</a> · ' in facts


def test_note_title_keeps_the_acronym(seed) -> None:
    assert seed[1]["notes/llm-internals.md"].startswith("# LLM internals\n")
