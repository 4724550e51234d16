"""A replay of Semantic Scholar's Graph API batch endpoint on 127.0.0.1, from ``tests/fixtures/s2``.

It answers ``POST /graph/v1/paper/batch?fields=...`` with a JSON body ``{"ids": [...]}`` the
way the API documents it: a JSON list in the order asked, ``null`` for an ID it has no paper
for, each paper with ``paperId`` and the requested ``fields`` only (``externalIds``,
``references`` with ``references.paperId``/``references.externalIds``). IDs are looked up as
``ARXIV:<id>`` (case-insensitive prefix) in ``papers.json``; a body that is not JSON, has no
``ids`` list or more than 500 IDs is HTTP 400 with ``{"error": "..."}``, as the API does.

Faults are queued per test, each answering one request, in order: ``"ok"`` (a normal answer),
``"429"`` (no ``Retry-After``), ``"429:N"`` (``Retry-After: N``), ``"500"``, ``"503"``,
``"garbage"`` (200 with a body that is not JSON), ``"short"`` (200 with one paper fewer than
asked), ``"hang"`` (never answers) and ``"gate"`` (held until ``open_gate()``, then a normal
answer). Every request is recorded with its ids, query, headers and arrival time
(``time.monotonic``); ``wait_for(n)`` blocks until ``n`` arrived.

Run by hand: ``python tests/s2_replay.py --port 8766`` (base URL printed; pass it as
``--api-url`` or ``$S2_API_URL`` to ``scripts/fetch_citations.py``).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import deque
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

try:
    from tests.replay_server import LocalServer
except ModuleNotFoundError:  # run by hand: python tests/<this file>.py
    from replay_server import LocalServer

FIXTURES = Path(__file__).parent / "fixtures" / "s2"
BATCH_PATH = "/graph/v1/paper/batch"
MAX_IDS = 500
_FAULT = re.compile(r"^(ok|429(:\d+)?|500|503|garbage|short|hang|gate)$")


def load_papers(path: Path = FIXTURES / "papers.json") -> dict[str, dict]:
    """arXiv ID → the paper as the API returns it with every field ``papers.json`` holds."""
    return json.loads(path.read_text(encoding="utf-8"))


def shaped(paper: dict, fields: set[str]) -> dict:
    """Only the fields asked for (``paperId`` always), as the API does."""
    out: dict = {"paperId": paper["paperId"]}
    if "externalIds" in fields:
        out["externalIds"] = paper.get("externalIds")
    sub = {f.split(".", 1)[1] for f in fields if f.startswith("references.")}
    if "references" in fields or sub:
        out["references"] = [
            {"paperId": ref.get("paperId"), **({"externalIds": ref.get("externalIds")}
                                               if "externalIds" in sub else {})}
            for ref in paper.get("references") or []
        ]  # fmt: skip
    return out


def answer(papers: dict[str, dict], body: bytes, fields: set[str]) -> tuple[int, object]:
    try:
        data = json.loads(body)
    except ValueError:
        return 400, {"error": "Unacceptable request body: not JSON"}
    ids = data.get("ids") if isinstance(data, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return 400, {"error": 'Body must be {"ids": [...]}'}
    if len(ids) > MAX_IDS:
        return 400, {"error": f"Cannot process more than {MAX_IDS} ids at a time"}
    out = []
    for raw in ids:
        prefix, _, value = raw.partition(":")
        paper = papers.get(value) if prefix.upper() == "ARXIV" else None
        out.append(shaped(paper, fields) if paper else None)
    return 200, out


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    ids: list[str]
    headers: dict[str, str]  # lower-case names
    at: float  # time.monotonic() on arrival
    fault: str = ""


@dataclass
class S2ReplayServer(LocalServer):
    papers: dict[str, dict] = field(default_factory=load_papers)
    port: int = 0
    requests: list[Recorded] = field(default_factory=list)
    faults: deque[str] = field(default_factory=deque)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listen(_handler(self))

    @property
    def url(self) -> str:
        """The API base, as ``--api-url`` takes it."""
        return f"http://127.0.0.1:{self.port}/graph/v1"

    @property
    def asked(self) -> list[str]:
        """Every ID asked, over all requests, in order."""
        return [i for r in self.requests for i in r.ids]

    def queue(self, *faults: str) -> None:
        bad = [f for f in faults if not _FAULT.match(f)]
        if bad:
            raise ValueError(f"unknown faults {bad}")
        self.faults.extend(faults)

    def take(self, recorded: Recorded) -> str:
        return self._take(lambda fault: replace(recorded, fault=fault))


def _handler(server: S2ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                ids = json.loads(body).get("ids") or []
            except (ValueError, AttributeError):
                ids = []
            headers = {k.lower(): v for k, v in self.headers.items()}
            fault = server.take(
                Recorded("POST", url.path, query, list(ids), headers, time.monotonic())
            )
            if fault == "hang":
                server.hang()
                self.close_connection = True
                return
            if fault == "gate":
                server._gate.wait(timeout=60)
            extra: dict[str, str] = {}
            if fault.startswith("429"):
                status, payload = 429, {"message": "Too Many Requests", "code": "429"}
                if ":" in fault:
                    extra["Retry-After"] = fault.split(":", 1)[1]
            elif fault in ("500", "503"):
                status, payload = int(fault), {"message": "Internal Server Error"}
            elif url.path != BATCH_PATH:
                status, payload = 404, {"error": f"Not found: {url.path}"}
            else:
                fields = {f for f in query.get("fields", "").split(",") if f}
                try:
                    status, payload = answer(server.papers, body, fields)
                except Exception as err:  # a bug in the replay: the fixture fails the test
                    server.errors.append(f"{self.path}: {err!r}")
                    status, payload = 500, {"error": "replay server error"}
            data = json.dumps(payload).encode("utf-8")
            if fault == "garbage":
                data = b"<html>upstream proxy error</html>"
            elif fault == "short" and isinstance(payload, list):
                data = json.dumps(payload[:-1]).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


def main(argv: list[str] | None = None) -> None:
    """Serve the fixture papers until interrupted."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args(argv)
    server = S2ReplayServer(port=args.port)
    print(f"serving {len(server.papers)} papers at {server.url}", flush=True)
    server.run_until_interrupted()


if __name__ == "__main__":
    main()
