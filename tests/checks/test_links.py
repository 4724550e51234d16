"""Both link checks: internal (lychee, offline) on tiny sites; external on a local server."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from garden.checks.cache import load_cache, save_cache
from garden.checks.external import check_external, check_urls
from garden.checks.html import external_links
from garden.checks.http import CheckConfig, Clock, LinkResult, Outcome, parse_retry_after
from garden.checks.internal import BrokenLink, check_site, parse_lychee_report
from garden.checks.report import problems, render_markdown
from garden.cli.links import main

from .conftest import FakeClock, LinkServer, write_site

GOOD_SITE = {
    "index.html": """<!doctype html><html><head>
<link rel="stylesheet" href="css/site.css"><script src="js/app.js"></script></head>
<body><h1 id="top">Garden</h1>
<a href="papers/x/">x</a> <a href="papers/x/#intro">intro</a> <a href="/papers/x/index.html">abs</a>
<a href="#top">top</a> <a href="https://example.invalid/">ext</a> <a href="mailto:a@b.c">mail</a>
<img src="img/logo.png" alt="logo">
</body></html>""",
    "papers/x/index.html": '<html><body><h2 id="intro">Intro</h2><a href="../../">home</a>'
    '<script src="/js/app.js"></script></body></html>',
    "css/site.css": '@import "more.css";\n@font-face { src: url(../fonts/a.woff2) }',
    "css/more.css": ".x { background: url('../img/logo.png'); }",
    "fonts/a.woff2": "",
    "img/logo.png": "",
    "js/app.js": "",
}
INDEX = GOOD_SITE["index.html"]
CSS = GOOD_SITE["css/site.css"]

# (case, files changed from GOOD_SITE, page reported, text in the target, text in the reason)
BROKEN_CASES = [
    (
        "href",
        {"index.html": INDEX.replace('papers/x/"', 'papers/y/"')},
        "index.html",
        "/papers/y",
        "not found",
    ),
    (
        "fragment",
        {"index.html": INDEX.replace("#intro", "#nowhere")},
        "index.html",
        "#nowhere",
        "fragment",
    ),
    (
        "own fragment",
        {"index.html": INDEX.replace('href="#top"', 'href="#bottom"')},
        "index.html",
        "#bottom",
        "fragment",
    ),
    (
        "css url() asset",
        {"css/site.css": CSS.replace("a.woff2", "b.woff")},
        "css/site.css",
        "/fonts/b.woff",
        "not found",
    ),
    (
        "css @import string",
        {"css/site.css": CSS.replace("more.css", "less.css")},
        "css/site.css",
        "/css/less.css",
        "not found",
    ),
    (
        "script src",
        {"index.html": INDEX.replace("js/app.js", "js/gone.js")},
        "index.html",
        "/js/gone.js",
        "not found",
    ),
    (
        "image",
        {"index.html": INDEX.replace("img/logo.png", "img/gone.png")},
        "index.html",
        "/img/gone.png",
        "not found",
    ),
    (
        "directory without index",
        {"index.html": INDEX.replace('papers/x/"', 'img/"')},
        "index.html",
        "/img",
        "index file",
    ),
]


def test_internal_passes_a_good_site(tmp_path: Path) -> None:
    assert check_site(write_site(tmp_path, GOOD_SITE)) == []


@pytest.mark.parametrize(
    ("files", "page", "target", "reason"),
    [case[1:] for case in BROKEN_CASES],
    ids=[c[0] for c in BROKEN_CASES],
)
def test_internal_finds_each_kind_of_break(
    tmp_path: Path, files: dict[str, str], page: str, target: str, reason: str
) -> None:
    broken = check_site(write_site(tmp_path, {**GOOD_SITE, **files}))
    assert len(broken) == 1, broken
    assert broken[0].page == page
    assert target in broken[0].target
    assert reason in broken[0].reason.lower()
    assert broken[0].line > 0


def test_internal_cli_exit_codes_and_output(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    site = write_site(tmp_path / "site", GOOD_SITE)
    assert main([str(site)]) == 0
    (site / "papers/x/index.html").write_text('<a href="../../nowhere.html">x</a>', "utf-8")
    assert main([str(site)]) == 1
    out = capsys.readouterr().out
    assert f"{site}/papers/x/index.html:1: error: broken link /nowhere.html" in out
    assert main([str(tmp_path / "missing")]) == 2
    assert main(["--lychee", "no-such-lychee", str(site)]) == 2
    assert "no-such-lychee: not found" in capsys.readouterr().err


def test_lychee_report_is_read_relative_to_the_site(tmp_path: Path) -> None:
    site = tmp_path.resolve()
    entry = {
        "url": f"{site.as_uri()}/a#b",
        "status": {"text": "Cannot find fragment"},
        "span": {"line": 3, "column": 9},
    }
    report = {"error_map": {str(site / "p/index.html"): [entry]}, "timeout_map": {}}
    assert parse_lychee_report(report, site) == [
        BrokenLink("p/index.html", "/a#b", "Cannot find fragment", 3)
    ]


# ---- external ------------------------------------------------------------------------------

FAST = CheckConfig(timeout=0.2, retries=2, backoff=0.5, default_interval=0.0, host_intervals=())


def external_site(root: Path, base: str, paths: list[str]) -> Path:
    items = "".join(
        f'<li data-note="notes/a.md" data-line="{10 + i}"><a href="{base}{p}">item {i}</a></li>'
        for i, p in enumerate(paths)
    )
    page = f"<html><body><ul>{items}</ul><footer><a href='{base}/gone-404'>f</a></footer></body>"
    return write_site(root, {"notes/a/index.html": page, "topics/t/index.html": page})


def fake(clock: FakeClock) -> Clock:
    return Clock(now=clock.now, sleep=clock.sleep)


@pytest.mark.parametrize(
    ("path", "outcome", "status"),
    [
        ("/alive", Outcome.OK, 200),
        ("/gone-404", Outcome.DEAD, 404),
        ("/gone-410", Outcome.DEAD, 410),
        ("/moved", Outcome.REDIRECT, 200),
        ("/elsewhere", Outcome.OK, 200),  # a temporary redirect is not worth a warning
        ("/no-head", Outcome.OK, 200),  # HEAD refused, GET works
        ("/down", Outcome.UNREACHABLE, 503),
        ("/slow", Outcome.UNREACHABLE, 0),
    ],
)
def test_each_kind_of_link(
    link_server: LinkServer, clock: FakeClock, path: str, outcome: Outcome, status: int
) -> None:
    url = link_server.base + path
    result = check_urls([url], FAST, fake(clock))[url]
    assert (result.outcome, result.status) == (outcome, status)


def test_permanent_redirect_names_the_new_address(link_server: LinkServer, clock) -> None:
    url = link_server.base + "/moved"
    assert check_urls([url], FAST, fake(clock))[url].final_url == link_server.base + "/alive"


def test_timeouts_are_retried_with_back_off(link_server: LinkServer, clock: FakeClock) -> None:
    url = link_server.base + "/slow"
    assert check_urls([url], FAST, fake(clock))[url].detail == "timed out"
    assert link_server.requests == [("HEAD", "/slow")] * 3
    assert clock.sleeps == [0.5, 1.0]


def test_429_waits_as_long_as_retry_after_says(link_server: LinkServer, clock) -> None:
    url = link_server.base + "/busy"
    assert check_urls([url], FAST, fake(clock))[url].outcome is Outcome.OK
    assert link_server.requests == [("HEAD", "/busy")] * 2
    assert clock.sleeps == [2.0]


def test_one_host_is_paced_by_its_interval(link_server: LinkServer, clock: FakeClock) -> None:
    config = replace(FAST, host_intervals=(("127.0.0.1", 3.0),))  # as arXiv is
    urls = [link_server.base + p for p in ("/alive", "/gone-410", "/elsewhere")]
    check_urls(urls, config, fake(clock))
    # /gone-410 costs two requests (HEAD, then GET in case only HEAD is refused)
    assert clock.sleeps == [3.0] * 3


def test_arxiv_gets_three_seconds_by_default() -> None:
    config = CheckConfig()
    assert config.interval_for("arxiv.org") == config.interval_for("export.arxiv.org") == 3.0
    assert config.interval_for("example.org") == config.default_interval


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("7", 7.0), ("", None), ("soon", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)
def test_retry_after_forms(header: str, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


def test_links_are_traced_to_their_note_item(link_server: LinkServer, tmp_path: Path) -> None:
    uses = external_links(external_site(tmp_path, link_server.base, ["/alive"]))
    item = [use for use in uses if use.note]
    assert {(use.page, use.note, use.line, use.text) for use in item} == {
        ("notes/a/", "notes/a.md", 10, "item 0"),
        ("topics/t/", "notes/a.md", 10, "item 0"),
    }
    assert {use.page for use in uses if not use.note} == {"notes/a/", "topics/t/"}


def test_cache_is_reused_until_it_is_too_old(
    link_server: LinkServer, tmp_path: Path, clock: FakeClock
) -> None:
    site = external_site(tmp_path / "site", link_server.base, ["/alive", "/moved", "/gone-410"])
    cache = tmp_path / "cache" / "links.json"
    first = check_external(site, cache, 24, FAST, fake(clock))
    sent = len(link_server.requests)
    second = check_external(site, cache, 24, FAST, fake(clock))
    assert (first.from_cache, second.from_cache, len(link_server.requests)) == (0, 4, sent)
    assert second.results == first.results
    check_external(site, cache, 0, FAST, fake(clock))
    assert len(link_server.requests) == 2 * sent


def test_passing_failures_are_not_cached(link_server: LinkServer, tmp_path: Path, clock) -> None:
    site = external_site(tmp_path / "site", link_server.base, ["/down"])
    cache = tmp_path / "links.json"
    check_external(site, cache, 24, FAST, fake(clock))
    assert check_external(site, cache, 24, FAST, fake(clock)).from_cache == 1  # only the 404


def test_cache_round_trip_keeps_timestamps(tmp_path: Path) -> None:
    stamp = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
    results = {
        "https://x.org/": LinkResult(
            "https://x.org/", Outcome.DEAD, 404, "Not Found", checked_at=stamp
        )
    }
    save_cache(tmp_path / "c.json", results)
    assert load_cache(tmp_path / "c.json") == results
    assert (
        json.loads((tmp_path / "c.json").read_text())["results"]["https://x.org/"]["checked_at"]
        == stamp
    )


def test_unreadable_cache_is_ignored(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "c.json").write_text("{not json", "utf-8")
    assert load_cache(tmp_path / "c.json") == {}
    assert "ignoring unreadable link cache" in caplog.text


def test_report_groups_by_note_and_item(link_server: LinkServer, tmp_path: Path, clock) -> None:
    site = external_site(tmp_path, link_server.base, ["/alive", "/gone-404", "/moved"])
    check = check_external(site, tmp_path / "c.json", 24, FAST, fake(clock))
    found = problems(check)
    assert [(p.where, p.level) for p in found] == [
        ("notes/a.md:11", "error"),  # once, though it is on two pages
        ("notes/a.md:12", "warning"),
        ("notes/a/", "error"),  # the footer link belongs to no note item
    ]
    assert found[2].pages == ("notes/a/", "topics/t/")
    report = render_markdown(check)
    assert "## notes/a.md" in report
    assert "- line 11 — “item 1”: **error**: dead link" in report
    assert "moved permanently" in report and "## Pages outside note items" in report


def test_external_cli(link_server: LinkServer, tmp_path: Path, capsys) -> None:
    site = external_site(tmp_path / "site", link_server.base, ["/alive", "/gone-410"])
    args = [
        "--external",
        str(site),
        "--cache",
        str(tmp_path / "c.json"),
        "--interval",
        "0",
        "--timeout",
        "1",
        "--report",
        str(tmp_path / "out" / "report.md"),
    ]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert f"notes/a.md:11: error: dead link: {link_server.base}/gone-410 (410 Gone)" in out
    assert "3 external links (0 from cache): 2 dead" in out
    assert "notes/a.md" in (tmp_path / "out" / "report.md").read_text("utf-8")
    (site / "notes/a/index.html").write_text(f"<a href='{link_server.base}/moved'>m</a>")
    (site / "topics/t/index.html").unlink()
    assert main(args) == 0  # a permanent redirect only warns
