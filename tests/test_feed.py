"""What's new: the Atom feed (garden/pages/feed.py), the home page's "Recently added" and the
dates they rest on (garden/notes/history.py: git, else the file's modification time)."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from garden.bibliography.library import Library, Paper, load_library
from garden.build import Project, build_pages
from garden.join import build_garden
from garden.notes import load_notes, parse_note
from garden.notes.history import note_dates
from garden.pages.feed import MAX_ENTRIES, render_feed
from garden.pages.home import RECENT
from garden.pages.site import generate_site
from tests.pages.seed_dates import SEED_DATES

ROOT = Path(__file__).resolve().parents[1]
NS = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture(scope="module")
def seed():
    return build_garden(load_notes(ROOT / "notes", ROOT), load_library(ROOT / "bib"), SEED_DATES)


def parse(xml: str) -> ET.Element:
    root = ET.fromstring(xml.encode("utf-8"))  # raises on anything not well-formed
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root


def check_atom(root: ET.Element) -> list[ET.Element]:
    """RFC 4287's required elements: the feed's id, title, updated (and an author, here on
    the feed); each entry's id, title, updated, a link; no element outside Atom's names."""
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"a:{tag}", NS)) == 1, tag
        assert (root.find(f"a:{tag}", NS).text or "").strip(), tag
    assert root.find("a:author/a:name", NS) is not None
    datetime.fromisoformat(root.find("a:updated", NS).text)
    entries = root.findall("a:entry", NS)
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"a:{tag}", NS)) == 1, tag
            assert (entry.find(f"a:{tag}", NS).text or "").strip(), tag
        assert datetime.fromisoformat(entry.find("a:updated", NS).text).tzinfo is not None
        assert entry.find("a:link[@rel='alternate']", NS).get("href")
    ids = [e.find("a:id", NS).text for e in entries]
    assert len(set(ids)) == len(ids)
    for element in root.iter():
        assert element.tag.startswith("{http://www.w3.org/2005/Atom}"), element.tag
        assert "script" not in element.tag.lower()
    return entries


def test_seed_feed_is_atom_newest_first_with_absolute_links(seed) -> None:
    xml = generate_site(seed, site_url="https://garden.example.org/sub/").assets["feed.xml"]
    entries = check_atom(parse(xml))
    assert 0 < len(entries) <= MAX_ENTRIES
    first = entries[0]
    # llm-internals.md is the newest note in SEED_DATES; its last paper line comes first
    assert first.find("a:updated", NS).text.startswith("2026-12-01")
    href = first.find("a:link", NS).get("href")
    assert href.startswith("https://garden.example.org/sub/papers/") and href.endswith("/")
    assert first.find("a:id", NS).text == href
    updated = [e.find("a:updated", NS).text for e in entries]
    assert updated == sorted(updated, key=datetime.fromisoformat, reverse=True)
    summary = first.find("a:summary", NS)
    assert summary.get("type") == "text" and summary.text
    assert [a.text for a in first.findall("a:author/a:name", NS)]
    assert parse(xml).find("a:link[@rel='self']", NS).get("href").endswith("/sub/feed.xml")


def test_without_site_url_links_are_relative_and_ids_urns(seed) -> None:
    entries = check_atom(parse(render_feed(seed)))
    href = entries[0].find("a:link", NS).get("href")
    assert href.startswith("papers/") and "://" not in href
    assert entries[0].find("a:id", NS).text.startswith("urn:uuid:")


def test_hostile_text_is_text_never_markup() -> None:
    evil = Paper(
        "evil",
        "<script>alert(1)</script> & ]]> \x01\x0b title",
        ("<img src=x onerror=alert(1)>",),
        abstract="<script>alert(2)</script> " + "word " * 200,
    )
    note = parse_note("## T\n+ https://arxiv.org/abs/2001.00001\n", "notes/n.md", stem="n")
    garden = build_garden(
        [note],
        Library({"evil": replace(evil, eprint="2001.00001")}, {}, {"2001.00001": "evil"}),
        {"notes/n.md": "2024-05-01T00:00:00+00:00"},
    )
    xml = render_feed(garden, "https://x.example/")
    (entry,) = check_atom(parse(xml))
    assert "<script" not in xml and "<img" not in xml
    assert entry.find("a:title", NS).text == "<script>alert(1)</script> & ]]>  title"
    assert len(entry.find("a:summary", NS).text) < 500


def test_home_lists_the_ten_newest_and_links_the_feed(seed) -> None:
    home = generate_site(seed).pages["index.md"]
    recent = home.split("## Recently added")[1]
    rows = [row for row in recent.splitlines() if row.startswith("- ")]
    assert len(rows) == RECENT
    assert [row.split("](papers/")[1].split(".md")[0] for row in rows] == [
        key for key, _, _ in seed.newest[:RECENT]
    ]
    assert "[:material-rss: Atom feed](feed.xml)" in recent
    assert "2026-12-01" in rows[0]


def test_no_dates_no_entries_but_still_a_valid_feed() -> None:
    garden = build_garden(load_notes(ROOT / "notes", ROOT), load_library(ROOT / "bib"))
    assert check_atom(parse(render_feed(garden))) == []
    assert "No paper has a date yet" in generate_site(garden).pages["index.md"]


def git(repo: Path, *args: str, date: str = "") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def test_note_dates_from_git_following_renames_else_mtime(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "old.md").write_text("## A\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first", date="2021-03-04T05:06:07+02:00")
    git(tmp_path, "mv", "notes/old.md", "notes/new.md")
    git(tmp_path, "commit", "-qm", "renamed", date="2024-01-01T00:00:00+00:00")
    (notes / "draft.md").write_text("## B\n", encoding="utf-8")
    os.utime(notes / "draft.md", (1_700_000_000, 1_700_000_000))
    cache: dict = {}
    dates = note_dates(tmp_path, ["notes/new.md", "notes/draft.md"], cache)
    assert dates["notes/new.md"] == "2021-03-04T05:06:07+02:00"  # added, not renamed
    assert dates["notes/draft.md"] == "2023-11-14T22:13:20+00:00"  # not in git: its mtime
    assert len(cache) == 2
    # a build of the project uses them: the draft (newer) is on top
    (tmp_path / "bib").mkdir()
    assert build_pages(Project(tmp_path)).garden.added == dates


def test_note_dates_without_git(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text("x", encoding="utf-8")
    os.utime(tmp_path / "n.md", (86_400, 86_400))
    assert note_dates(tmp_path, ["n.md"]) == {"n.md": "1970-01-02T00:00:00+00:00"}


def test_dates_with_and_without_a_time_zone_compare() -> None:
    notes = [
        parse_note("## T\n+ https://arxiv.org/abs/2001.00001\n", "notes/a.md", stem="a"),
        parse_note("## T\n+ https://arxiv.org/abs/2001.00002\n", "notes/b.md", stem="b"),
    ]
    papers = {
        k: Paper(k, k.upper(), ("A B",), eprint=e)
        for k, e in (("a", "2001.00001"), ("b", "2001.00002"))
    }
    library = Library(papers, {}, {"2001.00001": "a", "2001.00002": "b"})
    added = {"notes/a.md": "2024-01-02", "notes/b.md": "2024-01-01T12:00:00-06:00"}
    garden = build_garden(notes, library, added)
    # b: 18:00 UTC on the 1st, older than a (the 2nd, taken as UTC)
    assert [key for key, _, _ in garden.newest] == ["a", "b"]
    first, _ = check_atom(parse(render_feed(garden)))
    assert first.find("a:updated", NS).text == "2024-01-02T00:00:00+00:00"
