"""The post-build scan finds every way a page could run script, and passes the theme's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from garden.checks.inert import SiteScan, scan_page, theme_scripts

THEME = '<script>__md_scope=new URL("{root}",location)</script>'


def page(body: str, root: str = "../..", head: str = "") -> str:
    return (
        f"<html><head>{THEME.format(root=root)}{head}</head><body>"
        f'<form class="md-search__form"></form><article class="md-content__inner">{body}'
        '</article><script id="__config" type="application/json">{}</script>'
        '<script src="../../assets/app.js"></script></body></html>'
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets/app.js").write_text("//", encoding="utf-8")
    return tmp_path


def findings(html: str, site: Path) -> list[str]:
    allowed = theme_scripts(page("", root="/"))
    return [f.message for f in scan_page(html, "topics/x/index.html", site, allowed)]


def test_the_theme_alone_is_clean(site: Path) -> None:
    assert (
        findings(
            page('<p>text</p><table><tr><td style="text-align: left">1</td></tr></table>'), site
        )
        == []
    )


@pytest.mark.parametrize(
    ("body", "head", "expected"),
    [
        ('<img src="x" onerror="alert(1)">', "", "event handler onerror= on <img>"),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', "", "href=' JaVaScRiPt:alert(1)' on <a>"),
        ('<a href="data:text/html,x">x</a>', "", "href='data:text/html,x' on <a>"),
        ("<script>alert(1)</script>", "", "<script> inside the page content"),
        ("", "<title></title><script>alert(1)</script>", "an inline <script> the theme did not"),
        ("", '<script src="https://evil.example/x.js"></script>', "a script from elsewhere"),
        (
            "",
            '<script src="../../notes/x.md"></script>',
            "a script that is not one of the site's .js",
        ),
        ('<div style="position:fixed;inset:0">x</div>', "", "style='position:fixed;inset:0'"),
        ('<iframe src="x"></iframe>', "", "<iframe> element in the page content"),
        ('<meta http-equiv="refresh" content="0;url=x">', "", "<meta http-equiv='refresh'>"),
        ('<div id="__config">{}</div>', "", "2 elements with the theme's id '__config'"),
    ],
)
def test_each_way_to_run_script_is_found(body: str, head: str, expected: str, site: Path) -> None:
    found = findings(page(body, head=head), site)
    assert any(message.startswith(expected) for message in found), found


def test_data_images_are_allowed(site: Path) -> None:
    assert findings(page('<img src="data:image/png;base64,AAAA">'), site) == []


def test_case_and_namespaced_attributes_are_found(site: Path) -> None:
    body = (
        '<img src=x ONerror=alert(1)><svg><a xlink:href="javascript:x">a</a></svg><IFRAME></IFRAME>'
    )
    assert sorted(findings(page(body), site)) == [
        "<iframe> element in the page content",
        "event handler onerror= on <img>",
        "xlink:href='javascript:x' on <a>",
    ]


def test_a_scan_before_the_site_is_written_reads_the_site_as_it_will_be(tmp_path: Path) -> None:
    """A build's workers scan their pages while MkDocs is still writing the site
    (SiteScan.before_written): the theme's scripts from the 404 page's HTML, and a script is the
    site's own when MkDocs will write it, not when it is on disk already."""
    html = page("<p>text</p>")  # with the theme's script ../../assets/app.js
    reference = page("", root="/")
    early = SiteScan(tmp_path)  # nothing written yet
    early.before_written(reference, frozenset({"assets/app.js", "404.html"}))
    early.page(html, "topics/x/index.html")
    assert early.findings == []
    early.before_written(reference, frozenset({"404.html"}))
    early.page(html, "topics/y/index.html")
    assert [f.message for f in early.findings] == [
        "a script that is not one of the site's .js files: '../../assets/app.js'"
    ]
    late = SiteScan(tmp_path)  # from disk, as after the build: not there (nor is 404.html)
    late.page(html, "topics/x/index.html")
    assert "a script that is not one of the site's .js files: '../../assets/app.js'" in [
        f.message for f in late.findings
    ]
