"""The chrome every page repeats (garden/theme): icons drawn once by a stylesheet, Material's
palette script as a file, the templates' indentation gone, and nothing a reader sees changed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import jinja2
import material
import pytest
import yaml

from garden import theme

ROOT = Path(__file__).resolve().parents[2]
MATERIAL_ICONS = Path(material.__file__).resolve().parent / "templates" / ".icons"
# a content tab set as pymdownx.tabbed writes it
TABS = (
    '<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked="checked" '
    'id="__tabbed_1_1" name="__tabbed_1" type="radio" /><div class="tabbed-labels">'
    '<label for="__tabbed_1_1">A</label></div></div>'
)


def _site_theme() -> dict:
    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml holds !ENV and !!python/name tags: only the theme is read here
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["theme"]


# --- compact --------------------------------------------------------------------------------


def test_compact_drops_indentation_and_blank_lines_between_and_inside_elements() -> None:
    html = '<ul>\n    <li>\n\n      <a href="x">\n        A title\n      </a>\n    </li>\n</ul>\n'
    assert theme.compact(html) == '<ul>\n<li>\n<a href="x">\nA title\n</a>\n</li>\n</ul>\n'


def test_compact_keeps_what_whitespace_means_where_it_means_something() -> None:
    verbatim = [
        "<pre><code>  indented\n\n    code   stays\n</code></pre>",
        '<PRE class="x">\n  a\n\n  b</PRE>',
        "<textarea>\n  typed\n\n  text</textarea>",
        "<script>\n  var s = `a\n    b`;\n</script>",
        "<style>\n  .a {\n    color: red }\n</style>",
    ]
    html = "<div>\n  <p>\n    one\n  </p>\n" + "\n   ".join(verbatim) + "\n  </div>"
    out = theme.compact(html)
    for block in verbatim:
        assert block in out
    assert "<div>\n<p>\none\n</p>\n" in out
    assert theme.compact(out) == out


def test_compact_never_joins_words_or_changes_the_text() -> None:
    html = "<p>a\n   b</p>\t\n <span>c</span>   d\n\n\ne <em>f</em>\n"
    out = theme.compact(html)
    assert out == "<p>a\nb</p>\n<span>c</span>   d\ne <em>f</em>\n"
    words = re.sub(r"<[^>]+>", " ", html).split()
    assert re.sub(r"<[^>]+>", " ", out).split() == words


# --- icons ----------------------------------------------------------------------------------


def test_the_icons_are_the_ones_mkdocs_yml_names_with_materials_defaults() -> None:
    site_theme = _site_theme()
    names = theme.icon_names(site_theme)
    toggles = [option["toggle"]["icon"] for option in site_theme["palette"]]
    assert names == ["material/library", "material/menu", "material/magnify", *toggles]
    chosen = {"icon": {"menu": "material/dots-vertical"}, "logo": "assets/logo.png"}
    roles = {"menu": "material/dots-vertical", "search": "material/magnify"}
    assert theme.icon_roles(chosen) == roles


def test_each_icon_is_drawn_by_materials_own_svg() -> None:
    names = theme.icon_names(_site_theme())
    css = theme.icons_css(names)
    for name in names:
        rule = re.search(rf'\.{theme.icon_class(name)}\{{--garden-icon:url\("([^"]+)"\)\}}', css)
        assert rule, name
        svg = unquote(rule.group(1).removeprefix("data:image/svg+xml;charset=utf-8,"))
        original = (MATERIAL_ICONS / f"{name}.svg").read_text(encoding="utf-8").strip()
        assert svg == original.replace('"', "'"), name
    assert css.count("--garden-icon:url(") == len(names)


def test_an_icon_material_lacks_is_a_clear_error() -> None:
    with pytest.raises(theme.ThemeError, match=r"'material/no-such-icon'.*icons-emojis"):
        theme.icons_css(["material/no-such-icon"])


def test_the_palette_script_is_materials_word_for_word_after_writing_the_toggles() -> None:
    partial = MATERIAL_ICONS.parent / "partials" / "javascripts" / "palette.html"
    inline = re.search(r"<script>(.*?)</script>", partial.read_text(encoding="utf-8"), re.S)
    script = theme.palette_js(_site_theme())
    first, rest = script.split("\n", 1)
    assert rest == inline.group(1).strip() + "\n"
    assert '__md_get("__palette")' in rest
    toggles = json.dumps(theme.palette_toggles(_site_theme()))
    assert (
        first
        == f"document.querySelector('form[data-md-component=\"palette\"]').innerHTML={toggles};"
    )


def _materials_palette_form(site_theme: dict) -> str:
    """Material's own partials/palette.html for ``site_theme``, each toggle's SVG replaced by
    the span the icon stylesheet draws, white space between tags and attributes collapsed."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(MATERIAL_ICONS.parent)))
    form = env.get_template("partials/palette.html").render(config={"theme": site_theme})
    for option in site_theme["palette"]:
        icon = option["toggle"]["icon"]
        svg = (MATERIAL_ICONS / f"{icon}.svg").read_text(encoding="utf-8").strip()
        form = form.replace(svg, f'<span class="garden-icon {theme.icon_class(icon)}"></span>')
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", form)).strip()


@pytest.mark.parametrize(
    "palette",
    [
        None,  # the site's own (mkdocs.yml)
        [
            {
                "scheme": "slate",
                "primary": "deep purple",
                "toggle": {"icon": "material/brightness-7", "name": 'Dark <"&>'},
            }
        ],
        [
            {
                "media": "(prefers-color-scheme)",
                "toggle": {"icon": "material/brightness-auto", "name": "Auto"},
            },
            {
                "media": "(prefers-color-scheme: light)",
                "toggle": {"icon": "material/brightness-7", "name": "Light"},
            },
            {
                "media": "(prefers-color-scheme: dark)",
                "scheme": "slate",
                "toggle": {"icon": "material/brightness-4", "name": "Dark"},
            },
        ],
    ],
)
def test_the_palette_toggles_are_the_ones_materials_partial_writes(palette) -> None:
    site_theme = _site_theme() if palette is None else {"palette": palette}
    assert len(site_theme["palette"]) >= 1
    form = '<form class="md-header__option" data-md-component="palette">{}</form>'
    ours = form.format(theme.palette_toggles(site_theme))
    expected = _materials_palette_form(site_theme)
    if palette and "<" in palette[0]["toggle"]["name"]:  # Material prints it raw; escaped here
        expected = expected.replace('Dark <"&>', "Dark &lt;&quot;&amp;&gt;")
    assert ours == expected


def test_a_palette_of_one_mapping_has_no_toggles() -> None:
    assert theme.palette_toggles({"palette": {"scheme": "slate"}}) == ""
    assert theme.palette_toggles({}) == ""


def test_the_scope_script_is_materials_but_for_where_the_scope_is_read() -> None:
    """Material's head script word for word, but ``__md_scope``: the site's root read from the
    script's own URL (``assets/javascripts/``, two folders down), not from the page's."""
    partial = MATERIAL_ICONS.parent / "partials" / "javascripts" / "base.html"
    inline = re.search(r"<script>(.*?)</script>", partial.read_text(encoding="utf-8"), re.S)
    material_url = 'new URL("{{ config.extra.scope | d(base_url) }}",location)'
    assert inline.group(1).count(material_url) == 1
    own = 'new URL("../..",document.currentScript.src)'
    assert theme.SCOPE_JS.count("/") == 2
    assert theme.scope_js() == inline.group(1).replace(material_url, own).strip() + "\n"
    custom = inline.group(1).replace(material_url, f'new URL("/",{own})').strip() + "\n"
    assert theme.scope_js("/") == custom


def test_a_changed_materials_head_script_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "partials" / "javascripts").mkdir(parents=True)
    (tmp_path / "partials" / "javascripts" / "base.html").write_text(
        "<script>__md_scope=new URL(base,location)</script>", encoding="utf-8"
    )
    with pytest.raises(theme.ThemeError, match="partials/javascripts/base.html"):
        theme.scope_js(templates=tmp_path)


@pytest.mark.parametrize(("content", "scripts"), [("<p>plain</p>", 0), (TABS, 2)])
def test_materials_tab_scripts_only_on_a_page_with_tabs(content: str, scripts: int) -> None:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(str(theme.TEMPLATES)), theme.material_loader()]
        )
    )
    template = env.get_template("partials/javascripts/content.html")
    html = template.render(page=SimpleNamespace(content=content), features=["content.tabs.link"])
    assert html.count("<script>") == scripts
    assert ('startsWith("__tabbed_")' in html) == bool(scripts)


def test_compact_squeezes_as_the_one_regex_would() -> None:
    """The line-by-line squeeze is ``[ \\t]*\\n\\s*`` → ``\\n``, also for \\r, NBSP and other
    Unicode spaces (seeded random strings over them)."""
    import random

    rng, alphabet = random.Random(11), " \t\n\r\xa0\u2003ab<>"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert theme.compact(text) == re.sub(r"[ \t]*\n\s*", "\n", text), repr(text)


# --- Repeated: chrome rendered once for the pages it is the same on ----------------------------


class _Page:
    """What Repeated reads of MkDocs' Page: its URL and its file's source path."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.file = type("File", (), {"src_uri": url.rstrip("/") + ".md"})()


def test_the_navigation_is_kept_per_folder_and_only_for_pages_outside_it() -> None:
    outside = [_Page("papers/a/"), _Page("papers/b/"), _Page("authors/c/"), _Page("topics/d/")]
    outside.append(_Page("papers/e/"))
    listed = _Page("topics/")  # a section index the navigation lists: its item is the one shown
    targets = ["", "topics/", "papers/", "assets/", "papers/a/x/"]
    repeated = theme.Repeated({page.file.src_uri for page in outside}, targets)
    keys = [repeated.key("nav", page) for page in outside]
    assert keys[0] is None  # it links to papers/a/x/ as x/, which papers/b/ does not
    assert keys[1] is not None
    assert len({keys[1], keys[2], keys[3]}) == 3  # the same links only in the same folder
    assert keys[1] == keys[4]
    assert repeated.key("nav", listed) is None  # in the navigation: never kept
    assert repeated.key("config", listed) is None  # a target, and so at or below itself
    assert repeated.key("config", _Page("about/")) == repeated.key("config", _Page("more/"))
    assert repeated.key("config", _Page("about/")) != repeated.key("config", _Page("a/b/"))
    assert repeated.key("config", _Page("")) is None  # every target is below the home page
    assert repeated.key("config", _Page("assets/")) is None  # the theme's files are below it
    assert repeated.key("nav", object()) is None  # the theme's own 404 page: no url
    assert repeated.key("", outside[1]) is None  # a part that is never kept


def test_a_kept_part_is_given_back_and_an_unkept_one_never_is() -> None:
    repeated = theme.Repeated({"papers/a.md"}, ["", "papers/"])
    key = repeated.key("nav", _Page("papers/a/"))
    assert repeated.get(key) is None
    assert repeated.put(key, "<nav>a</nav>") == "<nav>a</nav>"
    assert repeated.get(key) == "<nav>a</nav>"
    assert repeated.put(None, "<nav>mine</nav>") == "<nav>mine</nav>"
    assert repeated.get(None) is None


# --- bundle ---------------------------------------------------------------------------------


def test_bundle_joins_the_listed_files_and_generated_texts_in_order(tmp_path: Path) -> None:
    from mkdocs.config.config_options import ExtraScriptValue

    (tmp_path / "a.css").write_text("a { color: red }\n", encoding="utf-8")
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "one.js").write_text("(function () { x() })()\n", encoding="utf-8")
    (tmp_path / "js" / "two.js").write_text("(function () { y() })()", encoding="utf-8")
    module = ExtraScriptValue("js/module.js")
    module.type = "module"  # a module runs on its own terms: never inside the bundle
    made = theme.bundle(
        ["a.css", "gen.css", "https://example.org/x.css", "missing.css"],
        ["js/one.js", module, "js/two.js", "https://example.org/x.js"],
        tmp_path,
        {"gen.css": ".g { }"},
    )
    assert made.files[theme.STYLESHEET] == (
        "/* a.css */\na { color: red }\n\n/* gen.css */\n.g { }\n"
    )
    # without the ";" the second script's "(" would call what the first one's ends with
    assert made.files[theme.SCRIPT] == (
        "/* js/one.js */\n(function () { x() })()\n;\n/* js/two.js */\n(function () { y() })()\n"
    )
    assert made.css == [theme.STYLESHEET, "https://example.org/x.css", "missing.css"]
    assert made.javascript == [theme.SCRIPT, module, "https://example.org/x.js"]
    assert made.parts == {"a.css", "gen.css", "js/one.js", "js/two.js"}


def test_bundle_of_nothing_to_bundle_keeps_the_lists_as_they_are(tmp_path: Path) -> None:
    made = theme.bundle(["https://example.org/x.css"], [], tmp_path, {})
    assert made.files == {} and made.css == ["https://example.org/x.css"]
    assert made.javascript == [] and made.parts == frozenset()


def test_only_materials_own_unloaded_files_are_left_out(tmp_path: Path) -> None:
    material_js = Path(material.__file__).resolve().parent / "templates" / "assets" / "javascripts"
    lunr = next((material_js / "lunr").rglob("*.js"))
    assert theme.unused_material_file("assets/javascripts/lunr/" + lunr.name, str(lunr))
    worker = next((material_js / "workers").glob("search.*.min.js"))
    assert theme.unused_material_file("assets/javascripts/workers/" + worker.name, str(worker))
    bundle = next(material_js.glob("bundle.*.min.js"))
    assert theme.unused_material_file(f"assets/javascripts/{bundle.name}.map", f"{bundle}.map")
    assert not theme.unused_material_file(f"assets/javascripts/{bundle.name}", str(bundle))
    mine = tmp_path / "assets" / "javascripts" / "workers" / "w.js"  # a file of the site's own
    assert not theme.unused_material_file("assets/javascripts/workers/w.js", str(mine))
    assert not theme.unused_material_file("x.js.map", None)
