"""Save light, dark and phone (390 px) PNGs of site pages into docs-screenshots/ for the README.

    python scripts/screenshots.py                      # build the site, default pages
    python scripts/screenshots.py --site site/ graph/  # an already built site, chosen pages

Pages are URL paths relative to the site root. By default: topics/random-matrix-theory/,
the first papers/<key>/ page and graph/, each when the site has it. Uses Debian's
Chromium (/usr/bin/chromium) like the browser tests, and the same build and server.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.browser.harness import (  # noqa: E402 - needs the repo root on sys.path
    SiteBuildError,
    build_site,
    chromium_available,
    launch_chromium,
    serve_directory,
)

DEFAULT_OUT = REPO_ROOT / "docs-screenshots"
VIEWPORT = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# file suffix -> (viewport, prefers-color-scheme)
MODES = {"light": (VIEWPORT, "light"), "dark": (VIEWPORT, "dark"), "mobile": (PHONE, "light")}
SETTLE_JS = """async () => {
  await document.fonts.ready;
  return [...document.querySelectorAll(".arithmatex")].every(e => e.querySelector(".katex"));
}"""


def default_pages(site: Path) -> list[str]:
    """The README pages this site has: home, the RMT topic, a paper page, the graph."""
    pages = [""]
    if (site / "topics/random-matrix-theory/index.html").is_file():
        pages.append("topics/random-matrix-theory/")
    papers = sorted(p.parent.name for p in (site / "papers").glob("*/index.html"))
    if "wen2023transformers" in papers:  # the README's: a paper with a remark in two places
        pages.append("papers/wen2023transformers/")
    elif papers:
        pages.append(f"papers/{papers[0]}/")
    if (site / "graph/index.html").is_file():
        pages.append("graph/")
    return pages


def png_name(page: str, mode: str) -> str:
    slug = page.strip("/").replace("/", "-") or "home"
    return f"{slug}-{mode}.png"


def capture(site: Path, pages: list[str], out: Path, *, full_page: bool) -> list[Path]:
    """Screenshot each page in each mode (light, dark, phone); return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve_directory(site) as base_url, launch_chromium() as browser:
        for mode, (viewport, media) in MODES.items():
            context = browser.new_context(base_url=base_url, viewport=viewport, color_scheme=media)
            try:
                page = context.new_page()
                for path in pages:
                    response = page.goto(path, wait_until="networkidle")
                    if response is None or not response.ok:
                        raise LookupError(f"{path}: not in the built site")
                    page.wait_for_function(SETTLE_JS)
                    if path.startswith("graph"):  # the layout settles, then labels are final
                        page.wait_for_function(
                            "() => window.gardenGraph && window.gardenGraph.ready"
                        )
                    target = out / png_name(path, mode)
                    page.screenshot(path=target, full_page=full_page)
                    written.append(target)
            finally:
                context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Save light, dark and phone screenshots of site pages for the README."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("pages", nargs="*", help="URL paths, e.g. topics/random-matrix-theory/")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--full-page", action="store_true", help="whole page, not the viewport")
    args = parser.parse_args(argv)

    if not chromium_available():
        print("screenshots: /usr/bin/chromium is missing (apt-get install -y chromium)")
        return 2
    with tempfile.TemporaryDirectory(prefix="garden-site-") as tmp:
        try:
            site = args.site.resolve() if args.site else build_site(Path(tmp))
        except SiteBuildError as error:
            print(f"screenshots: {error}")
            return 1
        pages = args.pages or default_pages(site)
        if not pages:
            print("screenshots: none of the default pages exist; name pages to capture")
            return 2
        try:
            written = capture(site, pages, args.out.resolve(), full_page=args.full_page)
        except LookupError as error:
            print(f"screenshots: {error}")
            return 1
    for path in written:
        print(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
