"""What the external check found, grouped by note and item so the author knows what to edit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from garden.checks.external import ExternalCheck, LinkResult, Outcome
from garden.checks.html import LinkUse

LEVELS = {Outcome.DEAD: "error", Outcome.UNREACHABLE: "warning", Outcome.REDIRECT: "warning"}
MAX_PAGES = 5  # pages named for a link outside any note item before "and N more"


@dataclass(frozen=True)
class Problem:
    where: str  # "notes/x.md:12" for a note item, the site page otherwise
    url: str
    result: LinkResult
    text: str = ""
    pages: tuple[str, ...] = ()  # for a link outside any note item: every page it is on

    @property
    def level(self) -> str:
        return LEVELS[self.result.outcome]

    @property
    def message(self) -> str:
        result = self.result
        if result.outcome is Outcome.REDIRECT:
            return f"moved permanently: {self.url} → {result.final_url}"
        status = f"{result.status} {result.detail}".strip() if result.status else result.detail
        return f"{result.outcome.value} link: {self.url} ({status})"


def problems(check: ExternalCheck) -> list[Problem]:
    """Every link that is not simply OK: note items first (by file and line), then pages."""
    in_notes: dict[tuple[str, int, str], Problem] = {}
    on_pages: dict[str, list[LinkUse]] = defaultdict(list)
    for use in check.uses:
        result = check.results[use.url]
        if result.outcome is Outcome.OK:
            continue
        if use.note:
            where = f"{use.note}:{use.line}" if use.line else use.note
            in_notes.setdefault(
                (use.note, use.line, use.url), Problem(where, use.url, result, use.text)
            )
        else:
            on_pages[use.url].append(use)
    found = [in_notes[key] for key in sorted(in_notes)]
    for url in sorted(on_pages):
        pages = tuple(dict.fromkeys(use.page for use in on_pages[url]))
        found.append(Problem(pages[0], url, check.results[url], on_pages[url][0].text, pages))
    return found


def counts(check: ExternalCheck) -> dict[Outcome, int]:
    """How many distinct URLs ended in each outcome."""
    tally = dict.fromkeys(Outcome, 0)
    for result in check.results.values():
        tally[result.outcome] += 1
    return tally


def summary(check: ExternalCheck) -> str:
    """One line: how many links, how many from cache, and how many of each problem."""
    tally = counts(check)
    return (
        f"{len(check.results)} external links ({check.from_cache} from cache): "
        f"{tally[Outcome.DEAD]} dead, {tally[Outcome.UNREACHABLE]} unreachable, "
        f"{tally[Outcome.REDIRECT]} moved permanently"
    )


def render_markdown(check: ExternalCheck, now: datetime | None = None) -> str:
    """The report as Markdown: one section per note, one bullet per item, then other pages."""
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# External link report", "", f"{summary(check)}. Checked {stamp}.", ""]
    found = problems(check)
    if not found:
        return "\n".join([*lines, "Every external link works."]) + "\n"
    sections: dict[str, list[str]] = defaultdict(list)
    for problem in found:
        title = problem.where.split(":")[0] if not problem.pages else "Pages outside note items"
        sections[title].append(_bullet(problem))
    for title, bullets in sections.items():
        lines += [f"## {title}", "", *bullets, ""]
    return "\n".join(lines)


def _bullet(problem: Problem) -> str:
    head = f"**{problem.level}**: {problem.message}"
    if not problem.pages:
        line = problem.where.partition(":")[2]
        label = f" — “{problem.text}”" if problem.text and problem.text != problem.url else ""
        return f"- line {line or '?'}{label}: {head}"
    shown = ", ".join(f"`{page}`" for page in problem.pages[:MAX_PAGES])
    more = len(problem.pages) - MAX_PAGES
    return f"- {head} — on {shown}" + (f" and {more} more" if more > 0 else "")
