"""Both link checks, lychee really running: internal (offline) on tiny sites; external against
a local HTTP server on 127.0.0.1 (tests/checks/conftest.py) whose every request is recorded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

import pytest

from garden.checks.external import (
    ARXIV_INTERVAL,
    ExternalCheck,
    LycheeOptions,
    Outcome,
    arxiv_hosts,
    check_external,
    host_config,
    link_key,
    read_report,
)
from garden.checks.internal import BrokenLink, LinkCheckError, check_site, parse_lychee_report
from garden.checks.report import problems, render_markdown
from garden.cli.links import main

from .conftest import LinkServer, serving, write_site

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

# Every host at once and no retries, so one run takes about as long as the 1 s timeout.
FAST = LycheeOptions(
    timeout=1, max_retries=0, host_request_interval="0s", host_concurrency=8, slow_hosts=()
)
FAST_CLI = ["--timeout", "1", "--max-retries", "0", "--host-request-interval", "0s"]
FAST_CLI += ["--host-concurrency", "8"]


def external_site(root: Path, base: str, paths: list[str]) -> Path:
    """Two pages listing the items of notes/a.md (lines 10, 11, ...) and a footer link."""
    items = "".join(
        f'<li><span class="garden-item" data-note="notes/a.md" data-line="{10 + i}">'
        f'<a href="{base}{p}">item {i}</a></span></li>'
        for i, p in enumerate(paths)
    )
    page = f"<html><body><ul>{items}</ul><footer><a href='{base}/gone-404'>f</a></footer></body>"
    return write_site(root, {"notes/a/index.html": page, "topics/t/index.html": page})


@dataclass(frozen=True)
class Run:
    server: LinkServer
    check: ExternalCheck


KINDS = ["/alive", "/gone-404", "/gone-410", "/moved", "/elsewhere", "/down", "/slow"]


@pytest.fixture(scope="module")
def one_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """lychee once over a site holding every kind of link (the slow one costs the 1 s timeout)."""
    root = tmp_path_factory.mktemp("external")
    with serving() as server:
        site = external_site(root / "site", server.base, [*KINDS, "/gone-410#section"])
        with (site / "notes/a/index.html").open("a", encoding="utf-8") as page:
            page.write("<a href='http://127.0.0.1:1/refused'>no server</a>")
        yield Run(server, check_external(site, root / "cache", FAST))


@pytest.mark.parametrize(
    ("path", "outcome", "status"),
    [
        ("/alive", Outcome.OK, 200),
        ("/gone-404", Outcome.DEAD, 404),
        ("/gone-410", Outcome.DEAD, 410),
        ("/moved", Outcome.REDIRECT, 200),  # 301: update the note
        ("/elsewhere", Outcome.OK, 200),  # a temporary redirect is not worth a warning
        ("/down", Outcome.UNREACHABLE, 503),
        ("/slow", Outcome.UNREACHABLE, 0),  # timed out
    ],
)
def test_each_kind_of_link(one_run: Run, path: str, outcome: Outcome, status: int) -> None:
    result = one_run.check.results[one_run.server.base + path]
    assert (result.outcome, result.status) == (outcome, status)


def test_answers_name_the_reason(one_run: Run) -> None:
    base, results = one_run.server.base, one_run.check.results
    assert results[base + "/moved"].final_url == base + "/alive"
    assert results[base + "/gone-410"].detail == "Gone"
    assert results[base + "/slow"].detail == "timed out"
    refused = results["http://127.0.0.1:1/refused"]
    assert (refused.outcome, refused.status) == (Outcome.DEAD, 0)
    assert "refused" in refused.detail.lower()


def test_each_link_is_asked_once_per_run(one_run: Run) -> None:
    """Both pages hold every link (and the footer /gone-404 again). lychee asks a working link
    once however many pages hold it; a failing one it does not keep while it is in flight, so a
    second copy asked meanwhile is sent again. GET only, never HEAD."""
    asked = Counter(path for _method, path in one_run.server.requests)
    # /alive: its own link, then as the target of /moved and of /elsewhere
    assert {p: asked[p] for p in ("/alive", "/moved", "/elsewhere")} == {
        "/alive": 3,
        "/moved": 1,
        "/elsewhere": 1,
    }
    copies = {"/gone-404": 4, "/gone-410": 4, "/down": 2, "/slow": 2}  # #section: same request
    assert all(1 <= asked[path] <= n for path, n in copies.items()), asked
    assert set(asked) == {"/alive", "/moved", "/elsewhere", *copies}
    assert {method for method, _path in one_run.server.requests} == {"GET"}


def test_problems_are_traced_to_note_file_and_line(one_run: Run) -> None:
    base = one_run.server.base
    found = [(p.where, p.level, p.url, p.text, p.pages) for p in problems(one_run.check)]
    assert found == [
        ("notes/a.md:11", "error", base + "/gone-404", "item 1", ()),  # once, though on two pages
        ("notes/a.md:12", "error", base + "/gone-410", "item 2", ()),
        ("notes/a.md:13", "warning", base + "/moved", "item 3", ()),
        ("notes/a.md:15", "warning", base + "/down", "item 5", ()),
        ("notes/a.md:16", "warning", base + "/slow", "item 6", ()),
        ("notes/a.md:17", "error", base + "/gone-410", "item 7", ()),  # written with #section
        # outside any note item: by page, every page named
        ("notes/a/", "error", "http://127.0.0.1:1/refused", "no server", ("notes/a/",)),
        ("notes/a/", "error", base + "/gone-404", "f", ("notes/a/", "topics/t/")),
    ]


def test_report_groups_by_note_and_item(one_run: Run) -> None:
    report = render_markdown(one_run.check)
    assert "8 external links (0 from cache): 3 dead, 2 unreachable, 1 moved permanently" in report
    assert "## notes/a.md" in report and "## Pages outside note items" in report
    assert f"- line 11 — “item 1”: **error**: dead link: {one_run.server.base}/gone-404" in report
    assert f"moved permanently: {one_run.server.base}/moved → {one_run.server.base}/alive" in report


def test_a_copy_answered_from_lychees_cache_does_not_hide_a_redirect(tmp_path: Path) -> None:
    """Seen on the server above, one run in a few: a link on two pages, the second copy answered
    from lychee's in-run cache ("OK (cached)", redirects gone) listed before the fresh one."""
    moved = "https://example.org/moved"
    hops = {"origin": moved, "redirects": [{"url": "https://example.org/new", "code": 301}]}
    report = {
        "success_map": {
            str(tmp_path / "a.html"): [{"url": moved, "status": {"text": "OK (cached)"}}],
            str(tmp_path / "b.html"): [{"url": moved, "status": {"code": 200}, "redirects": hops}],
            str(tmp_path / "c.html"): [{"url": "https://x.org", "status": {"text": "OK (cached)"}}],
        }
    }
    check = read_report(report, tmp_path)
    assert check.results[moved].outcome is Outcome.REDIRECT
    assert check.from_cache == 1  # https://x.org/ alone: every copy of it came from the cache
    assert [use.page for use in check.uses] == ["a.html", "b.html"]


def test_cached_rerun_sends_no_requests(link_server: LinkServer, tmp_path: Path) -> None:
    site = external_site(tmp_path / "site", link_server.base, ["/alive", "/moved", "/elsewhere"])
    (site / "topics/t/index.html").unlink()
    (site / "notes/a/index.html").write_text(
        (site / "notes/a/index.html").read_text("utf-8").replace("/gone-404", "/alive?footer")
    )
    cache = tmp_path / "cache"
    first = check_external(site, cache, FAST)
    sent = len(link_server.requests)
    assert (cache / ".lycheecache").is_file() and first.from_cache == 0 and sent == 6
    second = check_external(site, cache, FAST)
    assert (second.from_cache, len(link_server.requests)) == (4, sent)
    assert second.results.keys() == first.results.keys()
    # lychee caches the final status only: a permanent redirect warns on the uncached run alone
    assert [r.outcome for r in first.results.values()].count(Outcome.REDIRECT) == 1
    assert {r.outcome for r in second.results.values()} == {Outcome.OK}
    check_external(site, cache, replace(FAST, max_cache_age="0s"))
    assert len(link_server.requests) == 2 * sent


def test_failures_are_asked_again(link_server: LinkServer, tmp_path: Path) -> None:
    base = link_server.base
    site = write_site(tmp_path / "site", {"p.html": f"<a href='{base}/down'>d</a>"})
    (site / "q.html").write_text(f"<a href='{base}/gone-404'>g</a>", encoding="utf-8")
    cache = tmp_path / "cache"
    check_external(site, cache, FAST)
    again = check_external(site, cache, FAST)  # lychee caches successes only
    assert again.from_cache == 0
    assert sorted(link_server.requests) == [("GET", "/down")] * 2 + [("GET", "/gone-404")] * 2


def test_429_is_retried_after_retry_after(link_server: LinkServer, tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"p.html": f"<a href='{link_server.base}/busy'>b</a>"})
    check = check_external(site, tmp_path / "cache", replace(FAST, max_retries=2))
    assert check.results[link_server.base + "/busy"].outcome is Outcome.OK
    assert link_server.requests == [("GET", "/busy")] * 2
    assert link_server.times[1] - link_server.times[0] >= 0.9  # Retry-After: 1


def test_slow_hosts_get_one_request_at_a_time_and_the_interval(
    link_server: LinkServer, tmp_path: Path
) -> None:
    """What arXiv hosts get (ARXIV_INTERVAL apart), here for 127.0.0.1 at 1 s to keep it short."""
    site = external_site(tmp_path / "site", link_server.base, ["/alive", "/gone-410", "/alive?x"])
    paced = replace(FAST, slow_hosts=("127.0.0.1",), slow_interval="1s")
    check_external(site, tmp_path / "cache", paced)
    assert len(link_server.requests) == 4  # the three items and the footer's /gone-404
    gaps = [b - a for a, b in pairwise(sorted(link_server.times))]
    assert all(gap >= 0.95 for gap in gaps), gaps


def test_arxiv_hosts_on_the_site_get_arxiv_pacing(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "a.html": "<a href='https://export.arxiv.org/abs/1'>x</a> <a href='HTTPS://arXiv.org/'>",
            "b/index.html": "<img src='https://static.arxiv.org/i.png'> https://notarxiv.org/",
        },
    )
    assert arxiv_hosts(site) == {"export.arxiv.org", "arxiv.org", "static.arxiv.org"}
    assert LycheeOptions().slow_interval == ARXIV_INTERVAL == "3s"
    assert host_config(["arxiv.org"], "3s") == (
        '[hosts."arxiv.org"]\nconcurrency = 1\nrequest_interval = "3s"\n\n'
    )


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("HTTP://Example.ORG:80", "http://example.org/"),
        ("https://example.org:8443/a#frag", "https://example.org:8443/a"),
        ("https://example.org/a b?q=1 2", "https://example.org/a%20b?q=1%202"),
        ("https://example.org/caf\u00e9", "https://example.org/caf%C3%A9"),
        ("https://arxiv.org/abs/1706.03762v2", "https://arxiv.org/abs/1706.03762v2"),
    ],
)
def test_link_key_is_lychees_spelling(written: str, key: str) -> None:
    assert link_key(written) == key


def test_link_written_unlike_lychees_spelling_is_still_traced(
    link_server: LinkServer, tmp_path: Path
) -> None:
    port = link_server.server_address[1]
    site = external_site(tmp_path / "site", f"HTTP://127.0.0.1:{port}", ["/gone-410"])
    found = problems(check_external(site, tmp_path / "cache", FAST))
    assert [(p.where, p.url) for p in found][0] == ("notes/a.md:10", f"{link_server.base}/gone-410")


def test_external_cli(link_server: LinkServer, tmp_path: Path, capsys) -> None:
    site = external_site(tmp_path / "site", link_server.base, ["/alive", "/gone-410"])
    report = tmp_path / "out" / "report.md"
    args = ["--external", str(site), "--cache-dir", str(tmp_path / "c"), *FAST_CLI]
    assert main([*args, "--report", str(report)]) == 1
    out = capsys.readouterr().out
    assert f"notes/a.md:11: error: dead link: {link_server.base}/gone-410 (410 Gone)" in out
    assert f"{site}/notes/a/: error: dead link: {link_server.base}/gone-404" in out
    assert "(and 1 more pages)" in out
    assert "3 external links (0 from cache): 2 dead, 0 unreachable, 0 moved" in out
    assert "## notes/a.md" in report.read_text("utf-8")
    (site / "notes/a/index.html").write_text(f"<a href='{link_server.base}/moved'>m</a>")
    (site / "topics/t/index.html").unlink()
    assert main(args) == 0  # a permanent redirect only warns
    assert "1 moved permanently" in capsys.readouterr().out


def test_external_cli_when_lychee_cannot_run(tmp_path: Path, capsys) -> None:
    site = write_site(tmp_path / "site", {"index.html": "<a href='https://example.org/'>x</a>"})
    args = ["--external", str(site), "--cache-dir", str(tmp_path / "c")]
    assert main([*args, "--lychee", "no-such-lychee"]) == 2
    assert "no-such-lychee: not found" in capsys.readouterr().err
    assert main([*args, "--host-request-interval", "soon"]) == 2  # lychee rejects it
    assert "error: lychee failed (exit 2)" in capsys.readouterr().err
    with pytest.raises(LinkCheckError, match="no output"):
        check_external(site, tmp_path / "c", lychee="false")
