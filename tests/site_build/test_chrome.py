"""The chrome of every built page (garden/theme): no icon or palette script written inline (nor
a paper's buttons' icons), every icon a page uses drawn by the generated stylesheet, no template
indentation left, the garden's stylesheets and scripts one file each, Material's settings only
what its script reads here, and none of Material's files the site never loads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.etree
import yaml
from mkdocs.config import load_config

from garden import site_search, theme
from garden.pages.paper_page import CITE_ICON
from tests.hostile.corpus import build
from tests.projects import copy_project

ROOT = Path(__file__).resolve().parents[2]
_SEARCH_JS = ROOT / "docs" / "assets" / "javascripts" / "search.js"


def test_no_page_writes_the_chromes_icons_or_palette_script_inline(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 80
    css = (built_site / theme.STYLESHEET).read_text(encoding="utf-8")
    palette = (built_site / theme.PALETTE_JS).read_text(encoding="utf-8")
    assert palette == theme.palette_js(load_config(str(ROOT / "mkdocs.yml")).theme)
    assert (built_site / theme.SCOPE_JS).read_text(encoding="utf-8") == theme.scope_js()
    chipped = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        article = html.find("<article")
        chrome = html[:article] + html[html.find("</article>") :] if article > 0 else html
        assert "<svg" not in chrome, path
        buttons = re.search(r'<p class="garden-buttons">.*?</p>', html)  # a paper's own links
        assert buttons is None or "<svg" not in buttons.group(), path
        chips = re.findall(r'<span class="garden-chip">(<span[^>]*>)', html)  # a note's papers
        assert all("garden-icon--inline" in icon for icon in chips), path
        chipped += bool(chips)
        assert 'var palette=__md_get("__palette")' not in html, path
        assert 'id="__palette_' not in html, path  # the toggles: written by palette.js
        assert "__md_scope=" not in html and "__tabbed_" not in html, path  # none has tabs
        head = html[: html.index("</head>")]
        scripts = re.findall(r"<script\b[^>]*>", head)
        assert scripts[0].endswith('assets/javascripts/scope.js">'), path  # the first, as inline
        for used in set(re.findall(r"garden-icon--[a-z0-9-]+", html)):
            assert f".{used}{{" in css, (path, used)
        if article > 0:
            assert 'src="' in html and "assets/javascripts/palette.js" in html, path
            assert not re.search(r"\n[ \t]+<(?:div|li|a|span|nav|label|ul)\b", chrome), path
    assert chipped >= 3  # the seed notes' pages


def _extra(name: str) -> list[str]:
    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV and the like
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    return [str(entry) for entry in config[name]]


def test_every_page_links_the_gardens_stylesheets_and_scripts_as_one_file_each(
    built_site: Path,
) -> None:
    styles, scripts = _extra("extra_css"), _extra("extra_javascript")
    assert len(styles) > 1 and len(scripts) > 1
    bundle_css = (built_site / theme.STYLESHEET).read_text(encoding="utf-8")
    bundle_js = (built_site / theme.SCRIPT).read_text(encoding="utf-8")
    for part in styles:  # each part once, in mkdocs.yml's order, and not in the site alone
        assert bundle_css.count(f"/* {part} */") == 1, part
        assert not (built_site / part).exists(), part
    assert [bundle_css.index(f"/* {p} */") for p in styles] == sorted(
        bundle_css.index(f"/* {p} */") for p in styles
    )
    for part in scripts:
        source = ROOT / "docs" / part
        generated = part == site_search.TEXTS_JS  # no file in docs/: made by the build
        assert source.exists() is not generated, part
        text = site_search.texts_js("en") if generated else source.read_text(encoding="utf-8")
        assert f"/* {part} */\n{text.strip()}\n" in bundle_js, part
        assert not (built_site / part).exists(), part
    assert ".garden-icon{" in bundle_css  # the generated icons' stylesheet is a part
    for path in sorted(built_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        if "<article" not in html:
            continue
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        ours = [s for s in sheets if "garden" in s or "icons" in s]
        assert len(ours) == 1 and ours[0].endswith(theme.STYLESHEET), path
        assert (path.parent / ours[0]).resolve() == (built_site / theme.STYLESHEET).resolve() or (
            ours[0] == "/" + theme.STYLESHEET  # the 404 page's links are from the site's root
        ), path
        sources = re.findall(r'<script src="([^"]+)"', html)
        assert len([s for s in sources if s.endswith(theme.SCRIPT)]) == 1, path
        # the storage scope's, the palette's, Material's and the garden's
        assert len(sources) == 4, (path, sources)


def test_materials_settings_are_what_its_script_reads_here(built_site: Path) -> None:
    for path in (built_site / "index.html", built_site / "papers" / "index.html"):
        html = path.read_text(encoding="utf-8")
        found = re.findall(r'<script id="__config" type="application/json">(.*?)</script>', html)
        assert len(found) == 1, path
        settings = json.loads(found[0])
        assert set(settings) == {"base", "features", "translations"}, path
        assert "content.code.copy" in settings["features"]
        # the clipboard's texts only (Material's script): the search box's are in the bundle
        assert set(settings["translations"]) == {"clipboard.copy", "clipboard.copied"}, path
        assert "data-placeholder" not in html, path


def test_the_search_boxs_texts_are_in_the_script_bundle_once(built_site: Path) -> None:
    """Every text search.js reads, in the theme's language, set once in the bundle before
    search.js runs (garden.site_search.TEXTS_JS), not in every page."""
    bundle = (built_site / theme.SCRIPT).read_text(encoding="utf-8")
    used = set(re.findall(r'text\("([^"]+)"\)', _SEARCH_JS.read_text()))
    assert {"search.placeholder", "search.result.none"} <= used
    assert set(site_search.TEXT_KEYS) == used
    found = re.findall(r"window\.__gardenSearchTexts = (\{.*\});\n", bundle)
    assert len(found) == 1
    assert json.loads(found[0]) == theme.translations("en", used)
    assert json.loads(found[0])["search.result.none"] == "No matching documents"
    assert bundle.index("__gardenSearchTexts =") < bundle.index("/* assets/javascripts/search.js")
    assert theme.translations("fr", ["search.reset"]) == {"search.reset": "Effacer"}


def test_a_paper_page_has_no_table_of_contents_and_a_cite_button(built_site: Path) -> None:
    """Material writes a hidden table of contents on a page that hides it; a paper page
    (garden.pages.paper_page.HIDE) has none at all, and its Cite section is a button away."""
    papers = [p for p in (built_site / "papers").glob("*/index.html")]
    assert len(papers) > 30
    for path in papers:
        html = path.read_text(encoding="utf-8")
        assert "md-sidebar--secondary" not in html and 'data-md-component="toc"' not in html
        buttons = re.search(r'<p class="garden-buttons">(.*?)</p>', html).group(1)
        cite = f'<a class="md-button" href="#cite">{theme.inline_icon(CITE_ICON)} Cite</a>'
        assert buttons.endswith(cite) and "format-quote-close" in cite, path
        assert html.count('<h2 id="cite">') == 1, path
    # the others keep theirs
    topic = (built_site / "topics" / "random-matrix-theory" / "index.html").read_text()
    assert topic.count('data-md-component="toc"') == 1


def test_materials_search_worker_lunr_and_source_maps_are_not_in_the_site(
    built_site: Path,
) -> None:
    assert (built_site / "assets" / "javascripts" / "bundle.a5f9d56c.min.js").is_file() or list(
        (built_site / "assets" / "javascripts").glob("bundle.*.min.js")
    )
    assert not (built_site / "assets" / "javascripts" / "lunr").exists()
    assert not (built_site / "assets" / "javascripts" / "workers").exists()
    assert not list(built_site.rglob("*.map"))


def test_a_page_with_content_tabs_gets_materials_tab_scripts_and_builds_clean(
    tmp_path: Path,
) -> None:
    """Material's tab scripts are written only into a page with tabs; the safety scan, which
    reads the theme's inline scripts from the 404 page (no tabs there), still allows them."""
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for line, added in [
        ("markdown_extensions:\n", "  - pymdownx.tabbed\n"),
        ("    - content.code.copy\n", "    - content.tabs.link\n"),
    ]:
        assert text.count(line) == 1
        text = text.replace(line, line + added)
    config.write_text(text, encoding="utf-8")
    (project / "docs" / "tabs.md").write_text(
        '# Tabs\n\n=== "One"\n\n    first\n\n=== "Two"\n\n    second\n', encoding="utf-8"
    )
    site = tmp_path / "site"
    done = build(project, site, strict=True)
    assert done.returncode == 0, done.stderr[-3000:]
    tabs = (site / "tabs" / "index.html").read_text(encoding="utf-8")
    assert 'class="tabbed-set' in tabs
    scripts = re.findall(r"<script>(.*?)</script>", tabs, re.S)
    assert sorted(scripts) == sorted(theme.tab_scripts())
    assert "tabbed" not in (site / "index.html").read_text(encoding="utf-8")


def test_the_sitemap_lists_every_page_once_a_line_without_build_dates(built_site: Path) -> None:
    """garden/theme/templates/sitemap.xml: a <url> a line, no <lastmod> (MkDocs wrote the
    build's date for every page). Material's instant navigation reads it (harness.py)."""
    xml = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset ')
    tree = lxml.etree.fromstring(xml.encode())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in tree.findall("s:url/s:loc", ns)]
    assert not tree.findall(".//s:lastmod", ns)
    site_url = load_config(str(ROOT / "mkdocs.yml")).site_url
    folders = [p.parent.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")]
    pages = {site_url + ("" if folder == "." else folder + "/") for folder in folders}
    assert len(pages) > 100 and site_url.endswith("/")
    assert len(locs) == len(set(locs)) and set(locs) == pages
    assert len(xml.splitlines()) == len(locs) + 3
