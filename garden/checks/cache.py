"""Link results kept between runs in a JSON file, each with the time it was checked."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from garden.checks.http import LinkResult, Outcome

log = logging.getLogger(__name__)

CACHE_VERSION = 1
REUSABLE = frozenset({Outcome.OK, Outcome.REDIRECT, Outcome.DEAD})  # never a passing failure


def load_cache(path: Path) -> dict[str, LinkResult]:
    """The results stored at ``path``; empty when there is no cache or it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != CACHE_VERSION:
            raise ValueError(f"version {data.get('version')!r}")
        return {url: _result(url, entry) for url, entry in data["results"].items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s: ignoring unreadable link cache (%s)", path, exc)
        return {}


def save_cache(path: Path, results: Mapping[str, LinkResult]) -> None:
    """Write ``results`` to ``path`` atomically, creating its directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = {url: _entry(results[url]) for url in sorted(results)}
    text = json.dumps({"version": CACHE_VERSION, "results": entries}, indent=1)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)


def fresh_results(
    results: Mapping[str, LinkResult], max_age_hours: float, now: datetime | None = None
) -> dict[str, LinkResult]:
    """The results young enough to reuse; timeouts and 5xx are always asked again."""
    cutoff = (now or datetime.now(UTC)) - timedelta(hours=max_age_hours)
    return {
        url: result
        for url, result in results.items()
        if result.outcome in REUSABLE and _checked_at(result) >= cutoff
    }


def _checked_at(result: LinkResult) -> datetime:
    try:
        when = datetime.fromisoformat(result.checked_at)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _entry(result: LinkResult) -> dict:
    entry = asdict(result)
    del entry["url"]
    entry["outcome"] = result.outcome.value
    return entry


def _result(url: str, entry: dict) -> LinkResult:
    return LinkResult(url=url, **{**entry, "outcome": Outcome(entry["outcome"])})
