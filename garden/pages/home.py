"""The home page and the lists of topics and notes."""

from __future__ import annotations

from collections.abc import Iterator

from garden import routes
from garden.join import Garden
from garden.pages.escape import esc
from garden.pages.page import Env, Page
from garden.routes import link

TOPICS_MARKER = "<!-- garden:topics -->"
RECENT = 10  # papers under "Recently added"
HOME_TOPICS = 50  # topics the home page lists; past them, the largest (the index has all)
DEFAULT_INTRO = """# Research garden

Reading notes, grown into a garden: every topic gathered from every note, every paper a page
of its own with where and why it is discussed. Search with ++slash++, or start from a topic.
"""


def pages(env: Env) -> Iterator[Page]:
    """The home page (hooks.py puts a hand-written ``docs/index.md`` intro on top), and the
    indexes of topics and notes."""
    garden = env.garden
    yield Page(routes.HOME, render_home(garden))
    yield Page(routes.TOPICS, render_topics_index(garden))
    yield Page(routes.NOTES, render_notes_index(garden))


def topics_table(garden: Garden, page: str, topics: list | None = None) -> str:
    """A table of ``topics`` (all the garden's by default), linked from ``page``."""
    rows = ["| Topic | Items | Papers | Notes |", "| --- | ---: | ---: | ---: |"]
    for topic in garden.topics if topics is None else topics:
        target = link(page, routes.topic(topic.slug))
        rows.append(
            f"| [{esc(topic.title)}]({target}) | {topic.item_count} "
            f"| {len(topic.paper_keys)} | {len(topic.notes)} |"
        )
    return "\n".join(rows)


def summary(garden: Garden, page: str) -> str:
    counts = (
        f"{len(garden.topics):,} topics from {len(garden.notes):,} notes, "
        f"[{len(garden.library.papers):,} papers]({link(page, routes.PAPERS)}), "
        f"[{len(_authors(garden)):,} authors]({link(page, routes.AUTHORS)})"
    )
    return counts


def _authors(garden: Garden) -> set[str]:
    return {name for paper in garden.library.papers.values() for name in paper.authors}


def home_topics(garden: Garden, page: str) -> str:
    """The home page's topics: all of them, or past ``HOME_TOPICS`` the ones with the most
    papers (in the garden's order where they have as many) and a link to the topic index,
    which lists them all: a home page of 1,034 topics was 214 KB."""
    if len(garden.topics) <= HOME_TOPICS:
        return topics_table(garden, page)
    largest = sorted(garden.topics, key=lambda topic: -len(topic.paper_keys))[:HOME_TOPICS]
    index = link(page, routes.TOPICS)
    return (
        f"The {HOME_TOPICS} topics with the most papers; all {len(garden.topics):,} are in the "
        f"[topic index]({index}).\n\n{topics_table(garden, page, largest)}"
    )


def render_home(garden: Garden, intro: str = DEFAULT_INTRO) -> str:
    """The home page: ``intro`` (a hand-written ``docs/index.md`` may supply it), then topics."""
    listing = f"{summary(garden, routes.HOME)}.\n\n{home_topics(garden, routes.HOME)}\n"
    if TOPICS_MARKER in intro:
        page = intro.replace(TOPICS_MARKER, listing)
    else:
        page = f"{intro.rstrip()}\n\n## Topics\n\n{listing}"
    return page.rstrip() + "\n\n" + recently_added(garden, routes.HOME)


def recently_added(garden: Garden, page: str) -> str:
    """The ``RECENT`` papers newest in the garden, each with the note that brought it, and
    the Atom feed of them (garden/pages/feed.py)."""
    feed = f"[:material-rss: Atom feed]({link(page, routes.FEED)})"
    out = ["## Recently added", ""]
    if not garden.newest:
        return "\n".join([*out, f"No paper has a date yet. {feed}", ""])
    for key, when, mention in garden.newest[:RECENT]:
        paper = garden.library.papers[key]
        source = mention.source
        note = link(page, routes.line(routes.note(source.note_slug), source.line))
        out.append(
            f"- [{esc(paper.title)}]({link(page, routes.paper(key))}) — "
            f"{when.date().isoformat()}, [{esc(source.note_title)}]({note})"
        )
    return "\n".join([*out, "", feed, ""])


def render_topics_index(garden: Garden) -> str:
    page = routes.TOPICS
    table = f'<div class="garden-filter" markdown>\n\n{topics_table(garden, page)}\n\n</div>'
    return f"# Topics\n\n{summary(garden, page)}.\n\n{table}\n"


def render_notes_index(garden: Garden) -> str:
    page = routes.NOTES
    out = ["# Notes", "", "The notes as written, each linked to its topics and papers.", ""]
    for note in garden.notes:
        count = len(note.topics)
        out.append(
            f"- [{esc(note.title)}]({link(page, routes.note(note.slug))}) — "
            f"{count} topic{'s' * (count != 1)} · `{esc(note.path)}`"
        )
    return "\n".join(out) + "\n"
