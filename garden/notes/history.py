"""When each note entered the garden: the date a paper it mentions is "added" (feed, home page).

A note's date is the author date of the commit that added the file, following renames
(``git log --follow --diff-filter=A --format=%aI -- <note>``, the oldest such commit), asked
once per note and build and cached by (HEAD commit, path): ``mkdocs serve`` keeps the cache
(``garden.incremental``), so a rebuild asks git again only after a commit.

A note git does not know (not committed yet, or no git at all: a source tarball, a temporary
copy) gets its file's modification time, in UTC. ``bib/`` records no fetch date, so there is
nothing better to fall back to. A shallow clone (CI's default ``fetch-depth: 1``) dates every
note to its one commit: the deploy workflow fetches the whole history.

The date is per file, not per line: a paper added to a note that already existed gets the
note's date (and, among papers of the same date, a later line counts as newer). ``git blame``
would date each line, but by its last edit, not by when the paper first appeared.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, MutableMapping
from datetime import UTC, datetime
from pathlib import Path

GIT_TIMEOUT = 30  # seconds per call


def note_dates(
    root: Path, paths: Iterable[str], cache: MutableMapping[tuple[str, str], str] | None = None
) -> dict[str, str]:
    """Note path (relative to ``root``, as ``Note.path``) → ISO 8601 date it entered."""
    root = Path(root).resolve()
    cache = {} if cache is None else cache
    head = _git(root, "rev-parse", "HEAD")
    out = {}
    for path in paths:
        when = ""
        if head:
            if (head, path) not in cache:
                log = _git(root, "log", "--follow", "--diff-filter=A", "--format=%aI", "--", path)
                cache[(head, path)] = log.split()[-1] if log.split() else ""
            when = cache[(head, path)]
        out[path] = when or _mtime(root / path)
    return out


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _mtime(path: Path) -> str:
    try:
        stamp = path.stat().st_mtime
    except OSError:
        stamp = 0.0
    return datetime.fromtimestamp(int(stamp), UTC).isoformat()
