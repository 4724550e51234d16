"""Pagefind's index read back by the tests: a result fragment is gzip of Pagefind's signature
followed by the page's record as JSON (its URL, text, meta, filters, anchors)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path


def read_fragment(path: Path) -> dict:
    """The record of one ``*.pf_fragment`` file."""
    data = gzip.decompress(path.read_bytes())
    return json.loads(data[data.index(b"{") :])  # after Pagefind's signature
