"""The home page and the lists of topics and notes."""

from __future__ import annotations

from garden.pages.escape import esc
from garden.pages.garden import Garden
from garden.pages.markdown import link

TOPICS_MARKER = "<!-- garden:topics -->"
DEFAULT_INTRO = """# Research garden

Reading notes, grown into a garden: every topic gathered from every note, every paper a page
of its own with where and why it is discussed. Search with ++slash++, or start from a topic.
"""


def topics_table(garden: Garden, page: str) -> str:
    rows = ["| Topic | Items | Papers | Notes |", "| --- | ---: | ---: | ---: |"]
    for topic in garden.topics:
        target = link(page, f"topics/{topic.slug}.md")
        rows.append(
            f"| [{esc(topic.title)}]({target}) | {topic.item_count} "
            f"| {len(topic.paper_keys)} | {len(topic.notes)} |"
        )
    return "\n".join(rows)


def summary(garden: Garden, page: str) -> str:
    counts = (
        f"{len(garden.topics)} topics from {len(garden.notes)} notes, "
        f"[{len(garden.library.papers)} papers]({link(page, 'papers/index.md')}), "
        f"[{len(_authors(garden))} authors]({link(page, 'authors/index.md')})"
    )
    return counts


def _authors(garden: Garden) -> set[str]:
    return {name for paper in garden.library.papers.values() for name in paper.authors}


def render_home(garden: Garden, intro: str = DEFAULT_INTRO) -> str:
    """The home page: ``intro`` (a hand-written ``docs/index.md`` may supply it), then topics."""
    listing = f"{summary(garden, 'index.md')}.\n\n{topics_table(garden, 'index.md')}\n"
    if TOPICS_MARKER in intro:
        return intro.replace(TOPICS_MARKER, listing)
    return f"{intro.rstrip()}\n\n## Topics\n\n{listing}"


def render_topics_index(garden: Garden) -> str:
    page = "topics/index.md"
    return f"# Topics\n\n{summary(garden, page)}.\n\n{topics_table(garden, page)}\n"


def render_notes_index(garden: Garden) -> str:
    page = "notes/index.md"
    out = ["# Notes", "", "The notes as written, each linked to its topics and papers.", ""]
    for note in garden.notes:
        count = len(note.topics)
        out.append(
            f"- [{esc(note.title)}]({link(page, f'notes/{note.slug}.md')}) — "
            f"{count} topic{'s' * (count != 1)} · `{esc(note.path)}`"
        )
    return "\n".join(out) + "\n"
