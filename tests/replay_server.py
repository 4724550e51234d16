"""What the local stand-ins for arXiv (``arxiv_replay.py``) and Semantic Scholar
(``s2_replay.py``) share: a threaded HTTP server on 127.0.0.1, a queue of faults that each
answer one request, the record of every request, a gate and a hang for timing tests.

A subclass is a dataclass with ``port``, ``requests`` and ``faults`` fields; its
``__post_init__`` calls ``_listen(handler_class)``; its handler calls ``_take(record)`` per
request, and waits on ``server._gate`` / ``server.hang()`` for ``"gate"`` / ``"hang"``.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that give up (timeouts in tests) reset connections: not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalServer:
    port: int
    requests: list
    faults: object  # a deque of fault names

    def _listen(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._release, self._gate = threading.Event(), threading.Event()
        self._lock = threading.Condition()
        self._httpd = QuietServer(("127.0.0.1", self.port), handler)
        self.port = self._httpd.server_address[1]

    def _take(self, record: Callable[[str], object]) -> str:
        """The next queued fault ("" when none), with the request recorded as
        ``record(fault)``."""
        with self._lock:
            fault = self.faults.popleft() if self.faults else ""
            self.requests.append(record(fault))
            self._lock.notify_all()
            return fault

    def wait_for(self, count: int, timeout: float = 30) -> bool:
        """Block until ``count`` requests arrived (``False`` if ``timeout`` s pass first)."""
        with self._lock:
            return self._lock.wait_for(lambda: len(self.requests) >= count, timeout)

    def open_gate(self) -> None:
        """Let every ``"gate"``d request (and later ones) through."""
        self._gate.set()

    def hang(self) -> None:
        self._release.wait(timeout=60)

    def start(self) -> Self:
        threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._gate.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def run_until_interrupted(self) -> None:
        """Serve in the foreground (run by hand) until Ctrl-C."""
        self.start()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            self.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
