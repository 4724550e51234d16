"""``scripts/benchmark.py --site`` reads its queries back from a built site: on the seed site too,
whose authors of one paper link to a shared page's anchor."""

from __future__ import annotations

import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import benchmark  # noqa: E402


def test_the_queries_come_from_one_paper_page_of_the_seed_site(built_site: Path) -> None:
    queries = dict(benchmark._queries_from_site(built_site))
    assert list(queries) == ["title", "author", "arXiv ID", "abstract words", "one common word"]
    pages = [
        html.unescape(page.read_text("utf-8"))
        for page in (built_site / "papers").glob("*/index.html")
        if f"arXiv:{queries['arXiv ID']}" in page.read_text("utf-8")
    ]
    assert len(pages) == 1  # the page they were read from
    for kind in ("title", "author", "abstract words"):
        assert queries[kind] and queries[kind] in pages[0], kind
