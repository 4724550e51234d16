"""Build the site, serve it on 127.0.0.1 and drive Debian's Chromium against it.

Shared by the browser tests (``conftest.py``) and ``scripts/screenshots.py``. Stdlib and
Playwright only; nothing here reads anything outside the repository.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, never Playwright's download (`playwright install` needs the internet).
# No sandbox: CI runs as root. The rest keeps the browser itself from phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
LOCAL_HOST = "127.0.0.1"


class SiteBuildError(RuntimeError):
    """``mkdocs build --strict`` failed; the message carries the end of its log."""


def build_site(dest: Path, *, repo: Path = REPO_ROOT) -> Path:
    """Run ``mkdocs build --strict -d dest`` from the repository root and return ``dest``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(dest)]
    proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
        raise SiteBuildError(f"mkdocs build --strict failed ({proc.returncode}):\n{tail}")
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - extends the class attribute on purpose
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".woff2": "font/woff2",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # one line per request would drown pytest's output

    def do_GET(self) -> None:
        if self.path.split("?")[0] != "/sitemap.xml":
            super().do_GET()
            return
        path = Path(self.translate_path("/sitemap.xml"))
        if not path.is_file():
            self.send_error(404)
            return
        body = relocate_sitemap(path.read_text("utf-8"), self._base_url()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"


def relocate_sitemap(xml: str, base_url: str) -> str:
    """Point the sitemap's URLs at ``base_url`` instead of the configured ``site_url``.

    Material's instant navigation only intercepts links listed in sitemap.xml, after
    swapping in the current scheme and host name but not the port (``resolve()`` in
    material/templates/assets/javascripts/integrations/sitemap/index.ts, 9.8.1). A site
    built for https://example.org/ and served here on 127.0.0.1:PORT would therefore fall
    back to full page loads. ``mkdocs serve`` avoids this by building with ``site_url`` set
    to its own address; a static build needs the sitemap moved instead.
    """
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    if not locs:
        return xml  # no site_url: empty sitemap, instant navigation stays off
    root = min(locs, key=len)  # the home page's URL is site_url itself
    if not all(loc.startswith(root) for loc in locs):
        return xml
    return xml.replace(f"<loc>{root}", f"<loc>{base_url}")


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that cancels a request (navigation, closing the page) resets the socket;
        # that is normal here and not worth a traceback on stderr.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` over HTTP on 127.0.0.1 (free port) and yield its base URL ending in /."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = _Server((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


@contextlib.contextmanager
def launch_chromium() -> Iterator[Browser]:
    """Start headless Debian Chromium through Playwright; stop both on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def is_local(url: str) -> bool:
    """True for URLs that cannot leave the machine: 127.0.0.1 over HTTP, data:, local blob:."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme == "blob":  # blob:http://127.0.0.1:PORT/<uuid>
        return is_local(url[len("blob:") :])
    return parts.scheme in ("http", "https") and parts.hostname == LOCAL_HOST
