"""The post-build scan finds every way a page could run script, and passes the theme's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import Markup

from garden.checks.inert import ChromeScan, SiteScan, scan_page, theme_scripts
from garden.theme import Chrome

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


@pytest.mark.parametrize(
    "url", ["java&#9;script:x", "java&#10;script:x", "&#1;javascript:x", " jav&#13;ascript:x"]
)
def test_a_scheme_hidden_by_what_a_browser_drops_is_found(url: str, site: Path) -> None:
    """A browser drops tabs and line breaks anywhere in a URL and C0 controls at its start
    before it reads the scheme: "java&#9;script:" runs script as "javascript:" does."""
    found = findings(page(f'<p><a href="{url}">a</a></p>'), site)
    assert len(found) == 1 and found[0].startswith("href="), found


# A page of a kind as the theme writes it, with the stand-ins in its slots (garden.theme.Chrome)
CHROME = (
    "<!doctype html><html><head><title>{t}</title>"
    '<link rel="canonical" href="{u}"><meta property="og:title" content="{t}">'
    + THEME.format(root="../..")
    + '</head><body><input class="md-toggle" id="__drawer" type="checkbox"><a href="#{a}" '
    'class="md-skip">Skip</a><header><form class="md-header__option"></form>'
    '<div class="md-header__topic"><span>{t}</span></div></header><div class="md-container">'
    '<main><div class="md-grid"><div class="md-content"><article class="md-content__inner">'
    "{c}</article></div></div></main><footer></footer></div>"
    '<script id="__config" type="application/json">{{}}</script>'
    '<script src="../../assets/app.js"></script></body></html>'
)
# Contents that try the seams between a page's content and the chrome around it
SEAMS = [
    "<p>text</p>",
    "<h1 id='t'>T</h1><p>a <em>b</em></p>",
    '<img src="x" onerror="alert(1)">',
    '</div></div><table><tr><td style="text-align: left">1</td></tr></table>',
    '<table><tr><td style="text-align: left">1</td></tr></table>',
    "</article><form></form>",
    "</div><form></form>",
    '<div id="__drawer">x</div>',
    '<div id="__config">x</div>',
    '<a title="x',
    "<a title='x",
    "<img src=x ",
    "<img src=x on",
    "<!--",
    "<textarea>",
    "<plaintext>",
    "<script>",
    "<style>",
    "<script>alert(1)</script>",
    "</body><img src=x onerror=alert(1)>",
    "</html><script>alert(1)</script>",
    "</main></div><iframe></iframe>",
    '<svg><a xlink:href="javascript:x">a</a></svg>',
    '<base href="//evil.example/">',
    '<meta http-equiv="refresh" content="0;url=x">',
    "<table><tr><td><div style=position:fixed>x",
    '<a href="java&#9;script:x">a</a>',
    '<p><a href="../../x/">x</a></p><div class="x"><p>y</p>',
]
SLOTS = [
    ("A paper &amp; its title", "https://site.example/papers/x/", "title"),
    ('A "quoted" title', "https://site.example/papers/x/", "title"),
    ("T", "javascript:alert(1)", "title"),
    ("T", "https://site.example/papers/x/", 'x" onfocus="alert(1)'),
    ("</title><script>alert(1)</script>", "https://site.example/", "t"),
    (Markup("A title"), "https://site.example/papers/x/", 'x" onfocus="alert(1)'),
]


@pytest.mark.parametrize("slots", SLOTS)
def test_a_filled_page_is_scanned_by_its_content_only_where_that_finds_what_the_whole_does(
    slots: tuple[str, str, str], site: Path
) -> None:
    """SiteScan.filled scans a page filled into a chrome by its content and what follows it
    (ChromeScan): it passes a page only where the scan of the whole page finds nothing (a
    page it does not pass is scanned whole, which says where), and with escaped slots it
    passes every such page."""
    stand_ins = CHROME.format(t=Chrome.TITLE, u=Chrome.URL, a=Chrome.ANCHOR, c=Chrome.CONTENT)
    chrome = Chrome.split(stand_ins)
    assert chrome is not None
    scan = SiteScan(site)
    scan.before_written(page("", root="/"), frozenset({"assets/app.js"}))
    plan = ChromeScan.of(chrome, scan, "papers/x/index.html")
    assert plan is not None and plan.opening.endswith("<article>")
    title, url, anchor = slots
    clean, passed = 0, 0
    for content in SEAMS:
        whole = scan.found(chrome.fill(title, url, content, anchor), "papers/x/index.html")
        by_content = scan.filled(plan, (title, url, content, anchor), "papers/x/index.html")
        assert not (by_content and whole), (content, whole)  # never passes what the whole fails
        clean, passed = clean + (not whole), passed + by_content
    assert scan.findings == []
    if slots == SLOTS[0]:  # slots as escape.title writes them: every clean page passes so
        assert passed == clean >= 8
    else:  # a slot that could end its text or attribute: the page is scanned whole
        assert passed == 0


def test_a_chrome_with_a_finding_of_its_own_is_scanned_whole(site: Path) -> None:
    bad = CHROME.replace("<footer>", '<footer onclick="x()">')
    chrome = Chrome.split(
        bad.format(t=Chrome.TITLE, u=Chrome.URL, a=Chrome.ANCHOR, c=Chrome.CONTENT)
    )
    scan = SiteScan(site)
    scan.before_written(page("", root="/"), frozenset({"assets/app.js"}))
    assert chrome is not None and ChromeScan.of(chrome, scan, "papers/x/index.html") is None
