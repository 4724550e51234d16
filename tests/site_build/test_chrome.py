"""The chrome of every built page (garden/theme): no icon or palette script written inline (nor
a paper's buttons' icons), every icon a page uses drawn by the generated stylesheet, no template
indentation left."""

from __future__ import annotations

import re
from pathlib import Path

from garden import theme


def test_no_page_writes_the_chromes_icons_or_palette_script_inline(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 100
    css = (built_site / theme.ICONS_CSS).read_text(encoding="utf-8")
    assert (built_site / theme.PALETTE_JS).read_text(encoding="utf-8") == theme.palette_js()
    for path in pages:
        html = path.read_text(encoding="utf-8")
        article = html.find("<article")
        chrome = html[:article] + html[html.find("</article>") :] if article > 0 else html
        assert "<svg" not in chrome, path
        buttons = re.search(r'<p class="garden-buttons">.*?</p>', html)  # a paper's own links
        assert buttons is None or "<svg" not in buttons.group(), path
        assert 'var palette=__md_get("__palette")' not in html, path
        for used in set(re.findall(r"garden-icon--[a-z0-9-]+", html)):
            assert f".{used}{{" in css, (path, used)
        if article > 0:
            assert 'src="' in html and "assets/javascripts/palette.js" in html, path
            assert not re.search(r"\n[ \t]+<(?:div|li|a|span|nav|label|ul)\b", chrome), path
