"""Save light and dark PNGs of site pages into docs-screenshots/ for the README.

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
SCHEMES = {"light": "light", "dark": "dark"}  # file suffix -> prefers-color-scheme
SETTLE_JS = """async () => {
  await document.fonts.ready;
  return [...document.querySelectorAll(".arithmatex")].every(e => e.querySelector(".katex"));
}"""


def default_pages(site: Path) -> list[str]:
    """The README pages this site has: the RMT topic, the first paper page, the graph."""
    pages = []
    if (site / "topics/random-matrix-theory/index.html").is_file():
        pages.append("topics/random-matrix-theory/")
    papers = sorted(p.parent.name for p in (site / "papers").glob("*/index.html"))
    if papers:
        pages.append(f"papers/{papers[0]}/")
    if (site / "graph/index.html").is_file():
        pages.append("graph/")
    return pages


def png_name(page: str, scheme: str) -> str:
    slug = page.strip("/").replace("/", "-") or "home"
    return f"{slug}-{scheme}.png"


def capture(site: Path, pages: list[str], out: Path, *, full_page: bool) -> list[Path]:
    """Screenshot each page in each colour scheme; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve_directory(site) as base_url, launch_chromium() as browser:
        for scheme, media in SCHEMES.items():
            context = browser.new_context(base_url=base_url, viewport=VIEWPORT, color_scheme=media)
            try:
                page = context.new_page()
                for path in pages:
                    response = page.goto(path, wait_until="networkidle")
                    if response is None or not response.ok:
                        raise LookupError(f"{path}: not in the built site")
                    page.wait_for_function(SETTLE_JS)
                    target = out / png_name(path, scheme)
                    page.screenshot(path=target, full_page=full_page)
                    written.append(target)
            finally:
                context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Save light and dark screenshots of site pages for the README."""
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
