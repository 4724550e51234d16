"""The site's chrome: Material's templates, with what every page repeats made small.

At 10,000 papers the same header, sidebars and footer are written into some 12,600 pages;
whatever they carry is paid 12,600 times (about two thirds of a paper page was chrome). So:

- the header's icons (logo, menu, search, the palette toggles) are ``<span>`` elements drawn
  by one generated stylesheet (``assets/stylesheets/icons.css``: each icon once, as a CSS
  mask of Material's own SVG) instead of the SVG written inline into every page, twice for
  the logo;
- the palette script Material writes inline into every page is one shipped file
  (``assets/javascripts/palette.js``, Material's script word for word), which first writes the
  palette form's options and toggles, the same on every page, into the empty form each page
  carries (``palette_toggles``: 0.85 KB a page; without script they are hidden anyway), and so
  is the script
  in every page's head that says where the site's local storage starts
  (``assets/javascripts/scope.js``: Material's, the scope read from the script's own URL
  instead of the page's; 0.33 KB a page);
- Material's scripts for content tabs are written only into a page that has tabs;
- each page's HTML loses the indentation and blank lines of the templates (``compact``),
  except inside ``<pre>``, ``<textarea>``, ``<script>`` and ``<style>``;
- the parts of the chrome that are the same on many pages (the navigation sidebar of every page
  outside the navigation, the header around the page's title, the ``__config`` script) are
  rendered once per build for the pages they are the same on (``Repeated``), not once per
  page: they were half of the template's time.

The icons are the ones ``mkdocs.yml`` names (``theme.icon``, ``theme.palette``), with
Material's defaults, and a paper's buttons' (``hooks.py`` adds them); ``icon_names`` is the one
place that says which the templates draw.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, urlsplit

import jinja2
import material

TEMPLATES = Path(__file__).resolve().parent / "templates"
ICONS_CSS = "assets/stylesheets/icons.css"  # generated; served inside STYLESHEET
PALETTE_JS = "assets/javascripts/palette.js"
SCOPE_JS = "assets/javascripts/scope.js"
# mkdocs.yml's extra_css and extra_javascript, each served as one file (``bundle``); in the
# folders of their parts, whose relative URLs (a script's own ``src``) stay as they were
STYLESHEET = "assets/stylesheets/garden.bundle.css"
SCRIPT = "assets/javascripts/garden.bundle.js"

_MATERIAL = Path(material.__file__).resolve().parent / "templates"
# Material's own templates, under this prefix, for an override that wraps the original
MATERIAL_PREFIX = "material"
# Material's defaults for the icons its header draws (partials/header.html, logo.html)
_DEFAULT_ICONS = {"logo": "material/library", "menu": "material/menu", "search": "material/magnify"}


class ThemeError(Exception):
    """An icon ``mkdocs.yml`` names that Material does not have."""


def use_templates(config) -> None:
    """Put ``templates/`` before the theme's own."""
    folder = str(TEMPLATES)
    if folder not in config.theme.dirs:
        config.theme.dirs.insert(0, folder)


def material_loader() -> jinja2.BaseLoader:
    """Material's templates as ``material/<name>``: an override of ``partials/nav.html`` can
    include the original it wraps."""
    return jinja2.PrefixLoader({MATERIAL_PREFIX: jinja2.FileSystemLoader(str(_MATERIAL))})


class Repeated:
    """Chrome rendered once per build for each set of pages it is the same on.

    A template asks ``key(part, page)``; a key that is not ``None`` names the pages the part
    is the same on, and ``get``/``put`` keep it for them. A part's links are relative to the
    page, so it is kept per folder of pages and depth (``papers/a/`` and ``papers/b/`` link to
    ``authors/`` alike, ``authors/c/`` does not), and only for a page none of whose ``targets``
    (what the parts link to: the navigation's pages, the theme's ``assets/``) is at or below
    its own URL (``papers/a/`` links to ``papers/a/x/`` as ``x/``, ``papers/b/`` does not).
    Parts:

    * ``"nav"``, the navigation sidebar: the same on every page outside the navigation in one
      folder, as no item of it is the page or holds it (on a page in the navigation, an item
      is marked as the one shown: never kept);
    * ``"config"``, Material's ``__config`` script: base URL, features and translations;
    * ``"header-start"``, ``"header-end"``: the header before and after the page's title
      (logo, palette toggles, search box; the header has the navigation tabs when
      ``navigation.tabs`` is on, and is not kept then).

    Any other part (``""``) is never kept.
    """

    PARTS = ("nav", "config", "header-start", "header-end")

    def __init__(self, outside_nav: Collection[str], targets: Collection[str]) -> None:
        self._outside = outside_nav  # src_uri of the pages the navigation does not list
        self._targets = tuple(targets)
        self._kept: dict[tuple[str, str, int], str] = {}

    def key(self, part: str, page) -> tuple[str, str, int] | None:  # noqa: ANN001 - MkDocs' Page
        if part not in self.PARTS:
            return None
        url = getattr(page, "url", None)
        if url is None:  # a page of the theme's own (404.html): rendered as Material does
            return None
        if any(target.startswith(url) for target in self._targets):
            return None
        if part == "nav" and page.file.src_uri not in self._outside:
            return None
        # the folder the page is in, and how deep its own URL is ("authors/" is one folder
        # down from the home page, "authors/ada/" one down from "authors/")
        return (part, posixpath.dirname(url.rstrip("/")), url.count("/"))

    def get(self, key: tuple[str, str, int] | None) -> str | None:
        return None if key is None else self._kept.get(key)

    def put(self, key: tuple[str, str, int] | None, html: str) -> str:
        if key is not None:
            self._kept[key] = html
        return html


class Chrome:
    """A page's HTML around its slots (its title, canonical URL, content, and the id of its
    first heading, where its skip link goes), where that HTML is the same on every page of a
    kind: rendered once with a stand-in in each slot (``STAND_INS``) and cut there, it is then
    filled with each page's own in place of a template render (at 10,000 papers the paper
    pages' renders were ~5 s of the build's CPU).

    The stand-ins hold the characters an escape or a filter would change (``&<>"'``): a slot
    the template does not print as it is leaves no stand-in whole, and ``split`` refuses the
    render. The content's holds ``<h1`` and no ``tabbed-set``, the two things the templates
    look for in a page's content (Material's partials/content.html, ours/javascripts/
    content.html); ``fits`` says whether a page's content answers both the same way. Whoever
    uses a chrome checks it against a real render of another page of the kind first, and of
    some pages after (the glue: hooks.py)."""

    TITLE = "\x00garden-title&<>\"'\x00"
    URL = "\x00garden-url&<>\"'\x00"
    CONTENT = "\x00garden-content<h1 &<>\"'\x00"
    ANCHOR = "\x00garden-anchor&<>\"'\x00"  # the id of the page's first heading (its skip link)
    STAND_INS = (TITLE, URL, CONTENT, ANCHOR)
    _SLOT = re.compile("|".join(re.escape(stand_in) for stand_in in STAND_INS))

    def __init__(self, literals: list[str], slots: list[str]) -> None:
        self._literals, self._slots = literals, slots  # literal, slot, literal, ..., literal

    @classmethod
    def split(cls, rendered: str) -> Chrome | None:
        """The chrome of a render with the stand-ins in its slots; ``None`` where the content's
        stand-in is not there once, or something of a stand-in is left outside them."""
        slots = cls._SLOT.findall(rendered)
        literals = cls._SLOT.split(rendered)
        if slots.count(cls.CONTENT) != 1 or any("\x00garden-" in part for part in literals):
            return None
        return cls(literals, slots)

    @staticmethod
    def fits(content: str) -> bool:
        """Whether the templates' tests of a page's content come out for ``content`` as they do
        for the content's stand-in."""
        return "<h1" in content and "tabbed-set" not in content and "\x00" not in content

    def fill(self, title: str, url: str, content: str, anchor: str = "") -> str:
        values = {self.TITLE: title, self.URL: url, self.CONTENT: content, self.ANCHOR: anchor}
        return self._filled(values, 0)

    def after_content(self, title: str, url: str, anchor: str = "") -> str:
        """What ``fill`` writes after the content."""
        values = {self.TITLE: title, self.URL: url, self.ANCHOR: anchor}
        return self._filled(values, self._slots.index(self.CONTENT) + 1)

    def _filled(self, values: dict[str, str], first: int) -> str:
        """The chrome from its ``first`` slot's literal on, each slot after it filled."""
        out = [self._literals[first]]
        for slot, literal in zip(self._slots[first:], self._literals[first + 1 :], strict=True):
            out.append(values[slot])
            out.append(literal)
        return "".join(out)


def translations(language: str, keys: Collection[str]) -> dict[str, str]:
    """Material's texts ``keys`` in ``language`` (``theme.language``), as its templates say
    them (partials/language.html: the language's own, else English, else the key)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_MATERIAL)), autoescape=False)
    template = env.from_string(
        '{% import "partials/language.html" as lang with context %}'
        "{% for key in keys %}{{ lang.t(key) }}\x00{% endfor %}"
    )
    try:
        said = template.render(config={"theme": {"language": language}}, keys=list(keys))
    except jinja2.TemplateNotFound:
        raise ThemeError(
            f"mkdocs.yml sets theme.language to {language!r}, which Material does not have; "
            "see https://squidfunk.github.io/mkdocs-material/setup/changing-the-language/"
        ) from None
    return dict(zip(keys, said.split("\x00")[:-1], strict=True))


def icon_roles(theme) -> dict[str, str]:
    """The icon the header draws for each role (logo, menu, search): ``theme.icon``'s, else
    Material's default. The logo role is absent when ``theme.logo`` is an image file."""
    chosen = theme.get("icon") or {}
    roles = {role: chosen.get(role) or default for role, default in _DEFAULT_ICONS.items()}
    if theme.get("logo"):
        del roles["logo"]
    return roles


def icon_names(theme) -> list[str]:
    """Every icon the templates draw: the header's roles and the palette toggles'."""
    names = list(icon_roles(theme).values())
    palette = theme.get("palette") or []
    for option in palette if isinstance(palette, list) else []:
        toggle = option.get("toggle") or {}
        if toggle.get("icon"):
            names.append(toggle["icon"])
    return list(dict.fromkeys(names))


def icon_class(name: str) -> str:
    """The class that draws icon ``name`` (``material/menu`` → ``garden-icon--material-menu``)."""
    return "garden-icon--" + re.sub(r"[^a-z0-9-]+", "-", name.lower())


def inline_icon(name: str) -> str:
    """Icon ``name`` in a line of text, drawn by the icon stylesheet (``icons_css``, which must
    list it): a ``<span>`` of 80 bytes instead of Material's SVG of 200-700."""
    return f'<span class="garden-icon garden-icon--inline {icon_class(name)}"></span>'


def icons_css(names: list[str], icons: Path | None = None) -> str:
    """The stylesheet drawing each icon: Material's SVG as a mask, painted in the text colour
    (as Material draws its inline SVGs, ``fill: currentcolor``)."""
    icons = icons or _MATERIAL / ".icons"
    rules = [
        ".garden-icon{display:block;width:1.2rem;height:1.2rem;background-color:currentcolor;"
        "-webkit-mask:var(--garden-icon) center/contain no-repeat;"
        "mask:var(--garden-icon) center/contain no-repeat}",
        ".md-nav__title .md-nav__button.md-logo .garden-icon{width:2.4rem;height:2.4rem}",
        # in a line of text, sized as Material sizes an emoji icon (.twemoji)
        ".garden-icon--inline{display:inline-block;width:1.125em;height:1.125em;"
        "vertical-align:text-top}",
        "[dir=rtl] .md-header__button[for=__search] .garden-icon{transform:scaleX(-1)}",
        "@media (forced-colors:active){.garden-icon{forced-color-adjust:none;"
        "background-color:CanvasText}}",
    ]
    for name in names:
        path = icons / f"{name}.svg"
        if not path.is_file():
            raise ThemeError(
                f"mkdocs.yml names the icon {name!r}, which Material does not have "
                f"(looked for {path}); pick one from https://squidfunk.github.io/"
                "mkdocs-material/reference/icons-emojis/"
            )
        svg = path.read_text(encoding="utf-8").strip().replace('"', "'")
        uri = "data:image/svg+xml;charset=utf-8," + quote(svg, safe=" '/=:;,.-")
        rules.append(f'.{icon_class(name)}{{--garden-icon:url("{uri}")}}')
    return "\n".join(rules) + "\n"


def _scripts(partial: str, templates: Path | None) -> tuple[Path, list[str]]:
    """The inline scripts of Material's ``partials/javascripts/<partial>``, and its path."""
    path = (templates or _MATERIAL) / "partials" / "javascripts" / partial
    return path, re.findall(r"<script>(.*?)</script>", path.read_text(encoding="utf-8"), re.S)


def palette_toggles(theme) -> str:
    """The palette form's inputs and toggles, as Material 9.8.1's partials/palette.html writes
    them for ``theme.palette`` (a list of options; a single mapping has none), each toggle's
    icon drawn by the icon stylesheet instead of its SVG."""
    palette = theme.get("palette") or []
    options = palette if isinstance(palette, list) else []
    out = []
    for index, option in enumerate(options):
        colors = {
            name: (option.get(name) or default).replace(" ", "-")
            for name, default in _PALETTE_DEFAULTS.items()
        }
        toggle = option.get("toggle") or {}
        label = f'aria-label="{_attr(toggle.get("name"))}"' if toggle else 'aria-hidden="true"'
        out.append(
            f'<input class="md-option" data-md-color-media="{_attr(option.get("media"))}"'
            + "".join(f' data-md-color-{name}="{_attr(value)}"' for name, value in colors.items())
            + f' {label} type="radio" name="__palette" id="__palette_{index}">'
        )
        if toggle:
            out.append(
                f'<label class="md-header__button md-icon" title="{_attr(toggle.get("name"))}" '
                f'for="__palette_{(index + 1) % len(options)}" hidden>'
                f'<span class="garden-icon {icon_class(str(toggle.get("icon")))}"></span></label>'
            )
    return "".join(out)


_PALETTE_DEFAULTS = {"scheme": "default", "primary": "indigo", "accent": "indigo"}


def _attr(value: object) -> str:
    """A value for a double-quoted attribute, escaped; nothing for a missing one, as Jinja
    prints it."""
    return "" if value is None else html.escape(str(value), quote=True)


def palette_js(theme, templates: Path | None = None) -> str:
    """Material's inline palette script (partials/javascripts/palette.html), as a file, after
    a line writing ``palette_toggles(theme)`` into the palette form before the page goes on
    (the script that reads them follows the form: templates/partials/palette.html)."""
    path, found = _scripts("palette.html", templates)
    if not found:
        raise ThemeError(f"no <script> in {path}: has Material's palette partial changed?")
    toggles = json.dumps(palette_toggles(theme))
    form = "document.querySelector('form[data-md-component=\"palette\"]')"
    return f"{form}.innerHTML={toggles};\n" + found[0].strip() + "\n"


def tab_scripts(templates: Path | None = None) -> frozenset[str]:
    """The inline scripts of Material's partials/javascripts/content.html (selecting a content
    tab), which only a page with tabs carries (templates/partials/javascripts/content.html),
    so the 404 page, where the safety scan reads the theme's inline scripts, has none."""
    return frozenset(script.strip() for script in _scripts("content.html", templates)[1])


# Material's scope: new URL(<scope, or the page's base URL>, location)
_SCOPE = re.compile(r'new URL\("\{\{ config\.extra\.scope \| d\(base_url\) \}\}",location\)')


def scope_js(scope: str | None = None, templates: Path | None = None) -> str:
    """Material's inline script of every page's head (partials/javascripts/base.html: the
    local storage helpers, ``__md_scope`` the URL their keys start with), as a file at
    ``SCOPE_JS``. Its scope is the site's root, found from the script's own URL (two folders
    below the root) instead of from the page's base URL; ``scope`` (``extra.scope`` in
    mkdocs.yml, such as ``/`` for every site of the host) is resolved from that root."""
    path, found = _scripts("base.html", templates)
    if not found or len(_SCOPE.findall(found[0])) != 1:
        raise ThemeError(f"{path} is not the script expected: has Material's partial changed?")
    depth = "/".join([".."] * SCOPE_JS.count("/"))
    root = f'new URL("{depth}",document.currentScript.src)'
    url = f"new URL({json.dumps(scope)},{root})" if scope else root
    return _SCOPE.sub(lambda _: url, found[0]).strip() + "\n"


# What Material ships that this site never loads: its search's worker and lunr (the header's
# box is Pagefind's, garden.site_search) and the source maps of its minified files (2.5 MB)
_UNUSED_FOLDERS = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


def unused_material_file(uri: str, source: str | None) -> bool:
    """Whether the theme file at ``uri`` (read from ``source``) is one of Material's that no
    page of this site loads, and so is left out of the site."""
    if not (uri.startswith(_UNUSED_FOLDERS) or uri.endswith(".map")) or source is None:
        return False  # the URI first: asked of every file (25,000 at 10,000 papers)
    return Path(source).resolve().is_relative_to(_MATERIAL)


class Bundle(NamedTuple):
    """mkdocs.yml's stylesheets and scripts as the site serves them: ``files`` (URI: text)
    to write, ``css`` and ``javascript`` for ``extra_css``/``extra_javascript`` (the bundles,
    then any entry not bundled), ``parts`` the URIs now inside a bundle (not written alone)."""

    files: dict[str, str]
    css: list
    javascript: list
    parts: frozenset[str]


def bundle(
    extra_css: list, extra_javascript: list, docs: Path, generated: Mapping[str, str]
) -> Bundle:
    """``extra_css`` and ``extra_javascript`` (mkdocs.yml) as one stylesheet and one script,
    each part in the order listed after a comment naming it. A page links two files instead
    of nine: ~0.4 KB less on each of 12,600 pages at 10,000 papers, and seven fewer requests
    on a reader's first page.

    A part is a file under ``docs`` or a generated text (``generated``, by URI); an entry
    that is neither (a URL, a missing file) or a script with a ``type``, ``async`` or
    ``defer`` stays its own entry, after the bundle. Scripts are joined with ``;`` so that
    one's last expression never runs on into the next's first."""
    files: dict[str, str] = {}
    parts: set[str] = set()
    lists = []
    for entries, uri, joiner in (
        (extra_css, STYLESHEET, "\n"),
        (extra_javascript, SCRIPT, ";\n"),
    ):
        texts, kept = [], []
        for entry in entries:
            path = str(entry)
            plain = not any(getattr(entry, a, None) for a in ("type", "async_", "defer"))
            text = generated.get(path) if plain else None
            if text is None and plain and not urlsplit(path).scheme and not path.startswith("/"):
                source = docs / path
                text = source.read_text(encoding="utf-8") if source.is_file() else None
            if text is None:
                kept.append(entry)
                continue
            texts.append(f"/* {path} */\n{text.strip()}\n")
            parts.add(path)
        if texts:
            files[uri] = joiner.join(texts)
            kept.insert(0, uri)
        lists.append(kept)
    return Bundle(files, lists[0], lists[1], frozenset(parts))


_VERBATIM = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)


def compact(html: str) -> str:
    """``html`` without the templates' indentation and blank lines: every run of whitespace
    holding a line break becomes one line break (the same as a space to a browser, and to
    TeX), outside ``<pre>``, ``<textarea>``, ``<script>`` and ``<style>``, which stay as
    written."""
    out, start = [], 0
    for verbatim in _VERBATIM.finditer(html):
        out.append(_squeeze(html[start : verbatim.start()]))
        out.append(verbatim.group(0))
        start = verbatim.end()
    out.append(_squeeze(html[start:]))
    return "".join(out)


def _squeeze(text: str) -> str:
    r"""``re.sub(r"[ \t]*\n\s*", "\n", text)``, line by line: a quarter of the time (it runs
    on every page; the regex tried a match at every space)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    rest = [kept for line in lines[1:-1] if (kept := line.lstrip().rstrip(" \t"))]
    rest.append(lines[-1].lstrip())
    return lines[0].rstrip(" \t") + "\n" + "\n".join(rest)
