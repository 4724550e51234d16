"""Fixtures for the checks: tiny hand-written sites and a local HTTP server with known links."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SLOW_SECONDS = 3.0  # the /slow endpoint answers after this; lychee's --timeout 1 gives up first


def write_site(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``root`` and return ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


class _Handler(BaseHTTPRequestHandler):
    server: LinkServer

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(with_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(with_body=True)

    def _answer(self, with_body: bool) -> None:
        path = self.path.split("?")[0]
        self.server.requests.append((self.command, path))
        self.server.times.append(time.monotonic())
        status, headers = self.server.route(self.command, path)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class LinkServer(ThreadingHTTPServer):
    """Endpoints: alive, dead (404, 410), moved (301, 302), slow, busy (429 then 200), ..."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str]] = []
        self.times: list[float] = []  # when each request came, monotonic seconds
        self.busy_left = 1

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def route(self, method: str, path: str) -> tuple[int, dict[str, str]]:
        match path:
            case "/alive":
                return 200, {}
            case "/gone-404":
                return 404, {}
            case "/gone-410":
                return 410, {}
            case "/moved":
                return 301, {"Location": "/alive"}
            case "/elsewhere":
                return 302, {"Location": "/alive"}
            case "/slow":
                time.sleep(SLOW_SECONDS)
                return 200, {}
            case "/busy":
                self.busy_left -= 1
                return (429, {"Retry-After": "1"}) if self.busy_left >= 0 else (200, {})
            case "/no-head":
                return (405, {}) if method == "HEAD" else (200, {})
            case "/down":
                return 503, {}
        return 404, {}

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hung up on /slow: expected, not worth a traceback


@contextmanager
def serving() -> Iterator[LinkServer]:
    """A LinkServer answering on 127.0.0.1 in a thread, for as long as the block lasts."""
    server = LinkServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def link_server() -> Iterator[LinkServer]:
    with serving() as server:
        yield server
