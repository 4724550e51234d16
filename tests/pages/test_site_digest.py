"""Every generated file of the seed garden, by digest: a restructuring changes none of them.

``golden/site-digest.json`` maps each generated URI to the SHA-256 of its content (and the
plain-text title the theme receives). A change to any page shows here as the URIs it touched;
``pytest --update-goldens`` rewrites the file when a change is intended: say so in the commit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from golden import check_text

from garden.bibliography.library import load_library
from garden.join import build_garden
from garden.notes import load_notes
from garden.pages.site import generate_site
from tests.pages.seed_dates import SEED_DATES

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "site-digest.json"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def test_every_generated_file_is_unchanged(update_goldens: bool) -> None:
    notes = load_notes(ROOT / "notes", ROOT)
    site = generate_site(build_garden(notes, load_library(ROOT / "bib"), SEED_DATES))
    files = {**site.pages, **site.assets}
    table = {
        uri: {"sha256": digest(files[uri]), "title": site.titles.get(uri)} for uri in sorted(files)
    }
    check_text(GOLDEN, json.dumps(table, indent=1, ensure_ascii=False) + "\n", update_goldens)
