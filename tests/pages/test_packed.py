"""Generated files are kept packed (garden/pages/page.py): the text read back is the text
written, equality is the text's (garden.incremental compares builds by it), and SiteFiles'
``pages`` / ``assets`` are views over the one ``files`` dict."""

from __future__ import annotations

import pytest

from garden.pages.page import Asset, Page, pack, pack_bytes, unpack
from garden.pages.site import SiteFiles

TEXT = "# Théorème $\\alpha$ — 𝔼[x] 🌱\n\n" + "a line of a paper page\n" * 500


def test_text_read_back_is_the_text_written_and_smaller_held() -> None:
    page = Page("papers/a.md", TEXT, "Théorème")
    assert page.markdown == TEXT and page.title == "Théorème" and page.uri == "papers/a.md"
    assert len(page.packed) < len(TEXT.encode()) / 10
    assert Asset("downloads/a.bib", "@misc{a}\n").content == "@misc{a}\n"
    with pytest.raises(AttributeError):
        page.title = "other"  # type: ignore[misc]


def test_equal_when_uri_text_and_title_are() -> None:
    assert Page("a.md", TEXT, "T") == Page("a.md", TEXT, "T")
    assert hash(Page("a.md", TEXT, "T")) == hash(Page("a.md", TEXT, "T"))
    assert Page("a.md", TEXT, "T") != Page("a.md", TEXT + "x", "T")
    assert Page("a.md", TEXT, "T") != Page("a.md", TEXT, None)
    assert Page("a.md", TEXT) != Page("b.md", TEXT)
    assert Page("a.md", "x") != Asset("a.md", "x")


def test_site_files_views() -> None:
    site = SiteFiles()
    site.files = {"p.md": Page("p.md", "# P\n"), "d.bib": Asset("d.bib", "@misc{d}\n")}
    assert dict(site.pages) == {"p.md": "# P\n"}
    assert dict(site.assets) == {"d.bib": "@misc{d}\n"}
    assert "p.md" in site.pages and "p.md" not in site.assets and "x" not in site.pages
    assert len(site.pages) == len(site.assets) == 1
    with pytest.raises(KeyError):
        site.pages["d.bib"]


def test_packed_bytes_are_the_texts_however_it_came_in_parts() -> None:
    """A file made from parts (``from_parts``: a large download is never one string) packs to
    the same bytes as its whole text: the incremental build compares files by them."""
    parts = [TEXT[i : i + 97] for i in range(0, len(TEXT), 97)]
    assert Page.from_parts("a.md", parts, "T") == Page("a.md", TEXT, "T")
    assert Asset.from_parts("d.bib", iter(parts)).packed == Asset("d.bib", TEXT).packed
    assert pack_bytes(TEXT.encode()) == pack([TEXT]) == pack(parts)
    assert unpack(pack(parts)).decode() == TEXT and unpack(pack([])) == b""
