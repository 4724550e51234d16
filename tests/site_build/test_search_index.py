"""What Material's search index holds for a paper: findable by title, author and abstract,
without the BibTeX block that repeats them."""

from __future__ import annotations

import json
from pathlib import Path


def _docs(site: Path) -> list[dict]:
    return json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]


def test_paper_bibtex_is_not_indexed(built_site: Path) -> None:
    docs = _docs(built_site)
    assert not [d for d in docs if d["location"].endswith("/#cite")]
    assert not [d for d in docs if "@misc{" in d["text"]]


def test_paper_still_found_by_title_author_and_abstract(built_site: Path) -> None:
    docs = {d["location"]: d for d in _docs(built_site)}
    page = docs["papers/jagannath2018statistical/"]
    assert "Tensor PCA" in page["title"] and "Jagannath" in page["text"]
    assert "papers/jagannath2018statistical/#abstract" in docs


def test_cite_section_still_on_the_page(built_site: Path) -> None:
    html = (built_site / "papers/jagannath2018statistical/index.html").read_text(encoding="utf-8")
    assert '<h2 id="cite">' in html and ">jagannath2018statistical</span>" in html
    assert "data-search-exclude" not in html
