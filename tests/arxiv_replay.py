"""A replay of arXiv's query API on 127.0.0.1, serving records from ``tests/fixtures/arxiv``.

It answers ``GET /api/query`` with an Atom feed shaped like arXiv's (see
``tests/fixtures/arxiv/example-response.xml``): ``id_list=`` (comma list, versions allowed,
unknown IDs silently absent, malformed ones HTTP 400), ``search_query=`` (``ti:``/``abs:``/
``au:``/``all:`` terms, quoted phrases, ``AND``/``OR``/``ANDNOT``, parentheses; results ranked
by how many terms match, a rough stand-in for Lucene relevance), and paging through ``start``,
``max_results`` and ``opensearch:totalResults``.

Faults are queued per test and each one answers one request, in order: ``"ok"`` (a normal
answer, to let some requests through first), ``"503"``, ``"429"``,
``"500"``, ``"garbage"`` (not XML), ``"truncated"`` (a feed cut in half), ``"hang"`` (accepts
the request, never answers) and ``"gate"`` (holds the request until the test calls
``open_gate()``, then answers normally: a client is provably mid-request, e.g. while a second
fetch process starts). Every request is recorded, so tests can count them (``wait_for``
blocks until a number of them arrived); the pytest fixture fails a test that leaves a queued
fault unused.

Recorded answers: ``replay(body, id_list=...)`` serves ``body`` byte for byte to a request
whose ``id_list`` is exactly that (e.g. a real arXiv Atom document from the fixtures).

Run by hand: ``python tests/arxiv_replay.py --port 8765``.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

try:
    from tests.replay_server import LocalServer
except ModuleNotFoundError:  # run by hand: python tests/<this file>.py
    from replay_server import LocalServer
from xml.sax.saxutils import escape, quoteattr

FIXTURES = Path(__file__).parent / "fixtures" / "arxiv"
FAULTS = ("ok", "503", "429", "500", "garbage", "truncated", "hang", "gate")
_NEW_ID = re.compile(r"^\d{4}\.\d{4,5}(v\d+)?$")
_OLD_ID = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/\d{7}(v\d+)?$")
_TOKEN = re.compile(r'\(|\)|(?:\w+:)?"[^"]*"|[^\s()]+')
_STOPWORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their "  # noqa: SIM905
    "then there these they this to was will with".split()
)
_FIELDS = {"ti": ("title",), "abs": ("summary",), "au": ("authors",), "co": ("comment",)}
_ALL = ("title", "summary", "authors", "comment")


def load_records(path: Path = FIXTURES / "records.json") -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


# --- matching -------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """Lower-case, accent-free words, each lightly stemmed (plural ``s`` dropped)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return [_stem(w) for w in re.split(r"[^a-z0-9]+", text) if w]


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _field_words(record: dict, fieldname: str) -> list[str]:
    names = _ALL if fieldname == "all" else _FIELDS.get(fieldname, ())
    text = " ".join(_field_text(record, name) for name in names)
    if fieldname == "cat":
        text = " ".join(record.get("categories") or [])
    return _words(text)


def _field_text(record: dict, name: str) -> str:
    value = record.get(name) or ""
    return " ".join(value) if isinstance(value, list) else value


def _term_score(record: dict, token: str) -> int | None:
    """1 if the term matches, ``None`` if not, 0 for a stop word (Lucene drops those)."""
    fieldname, _, term = token.rpartition(":") if re.match(r"^\w+:", token) else ("", "", token)
    fieldname = fieldname or "all"
    if fieldname == "id":
        return 1 if record["arxiv_id"] == term.split("v")[0] else None
    wanted = [w for w in _words(term.strip('"')) if w not in _STOPWORDS]
    if not wanted:
        return 0
    have = [w for w in _field_words(record, fieldname) if w not in _STOPWORDS]
    have = " " + " ".join(have) + " "
    return 1 if f" {' '.join(wanted)} " in have else None


class _Query:
    """Recursive descent over ``or := and (OR and)*``, ``and := unit ((AND|ANDNOT)? unit)*``."""

    def __init__(self, text: str):
        self.tokens = _TOKEN.findall(text)

    def score(self, record: dict) -> int | None:
        self.pos, self.record = 0, record
        return self._or()

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _or(self) -> int | None:
        scores = [self._and()]
        while self._peek() == "OR":
            self.pos += 1
            scores.append(self._and())
        hits = [s for s in scores if s is not None]
        return sum(hits) if hits else None

    def _and(self) -> int | None:
        score = self._unit()
        while self._peek() not in (None, "OR", ")"):
            op = "AND"  # juxtaposition means AND here (arXiv's default operator)
            if self._peek() in ("AND", "ANDNOT"):
                op = self.tokens[self.pos]
                self.pos += 1
            right = self._unit()
            if op == "ANDNOT":
                score = score if right is None else None
            else:
                score = None if score is None or right is None else score + right
        return score

    def _unit(self) -> int | None:
        token = self._peek()
        self.pos += 1
        if token == "(":
            score = self._or()
            self.pos += self._peek() == ")"
            return score
        return None if token is None else _term_score(self.record, token)


def search(records: list[dict], query: str) -> list[dict]:
    """Records matching ``query``, best first (score, then file order)."""
    parsed = _Query(query)
    scored = [(parsed.score(r), i, r) for i, r in enumerate(records)]
    hits = [(s, i, r) for s, i, r in scored if s]
    return [r for _, _, r in sorted(hits, key=lambda hit: (-hit[0], hit[1]))]


def by_ids(records: list[dict], ids: list[str]) -> list[tuple[dict, str]]:
    """``(record, version)`` for each known ID, in the order asked; unknown IDs are absent."""
    index = {r["arxiv_id"]: r for r in records}
    found = []
    for raw in ids:
        base, _, version = raw.partition("v") if _NEW_ID.match(raw) else _split_old(raw)
        if base in index:
            found.append((index[base], f"v{version}" if version else index[base]["version"]))
    return found


def _split_old(raw: str) -> tuple[str, str, str]:
    match = re.match(r"^(.*?)(?:v(\d+))?$", raw)
    return match.group(1), "v", match.group(2) or ""


# --- the Atom feed --------------------------------------------------------------------------


def _stamp(day: str | None) -> str:
    return f"{day}T00:00:00Z"


def entry_xml(record: dict, version: str) -> str:
    abs_url = f"http://arxiv.org/abs/{record['arxiv_id']}{version}"
    parts = [
        f"<id>{abs_url}</id>",
        f"<updated>{_stamp(record.get('updated') or record['published'])}</updated>",
        f"<published>{_stamp(record['published'])}</published>",
        f"<title>{escape(record['title'])}</title>",
        f"<summary>{escape(record.get('summary') or '')}</summary>",
    ]
    parts += [f"<author><name>{escape(name)}</name></author>" for name in record["authors"]]
    for tag in ("comment", "journal_ref", "doi"):
        if record.get(tag):
            parts.append(f"<arxiv:{tag}>{escape(record[tag])}</arxiv:{tag}>")
    parts.append(f'<link href="{abs_url}" rel="alternate" type="text/html"/>')
    pdf = abs_url.replace("/abs/", "/pdf/")
    parts.append(f'<link title="pdf" href="{pdf}" rel="related" type="application/pdf"/>')
    if record.get("primary_category"):  # null in the fixtures: not read, so not served
        parts.append(f"<arxiv:primary_category term={quoteattr(record['primary_category'])}/>")
    parts += [f"<category term={quoteattr(c)}/>" for c in record.get("categories") or []]
    return "<entry>" + "\n".join(parts) + "</entry>"


def feed_xml(entries: list[str], total: int, start: int, per_page: int) -> bytes:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
        "<id>https://arxiv.org/api/replay</id><title>arXiv Query</title>"
        "<updated>2026-01-01T00:00:00Z</updated>\n"
        f"<opensearch:totalResults>{total}</opensearch:totalResults>\n"
        f"<opensearch:startIndex>{start}</opensearch:startIndex>\n"
        f"<opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>\n"
    )
    return (head + "\n".join(entries) + "\n</feed>\n").encode("utf-8")


def answer(records: list[dict], params: dict[str, str]) -> tuple[int, bytes]:
    """The status and body arXiv would send for these query parameters."""
    ids = [i.strip() for i in params.get("id_list", "").split(",") if i.strip()]
    bad = [i for i in ids if not (_NEW_ID.match(i) or _OLD_ID.match(i))]
    if bad:
        return 400, feed_xml(
            [
                f"<entry><title>Error</title><summary>incorrect id format for "
                f"{escape(bad[0])}</summary></entry>"
            ],
            1,
            0,
            1,
        )
    pool = by_ids(records, ids) if ids else [(r, r["version"]) for r in records]
    query = params.get("search_query", "")
    if query:
        rank = {id(r): n for n, r in enumerate(search([r for r, _ in pool], query))}
        pool = sorted([p for p in pool if id(p[0]) in rank], key=lambda p: rank[id(p[0])])
    elif not ids:
        pool = []
    start, size = int(params.get("start", 0)), int(params.get("max_results", 10))
    page = [entry_xml(r, v) for r, v in pool[start : start + size]]
    return 200, feed_xml(page, len(pool), start, size)


# --- the server -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    path: str
    params: dict[str, str]
    fault: str = ""

    @property
    def ids(self) -> list[str]:
        return [i for i in self.params.get("id_list", "").split(",") if i]


@dataclass
class ReplayServer(LocalServer):
    records: list[dict] = field(default_factory=load_records)
    port: int = 0
    requests: list[Recorded] = field(default_factory=list)
    faults: deque[str] = field(default_factory=deque)
    errors: list[str] = field(default_factory=list)
    recorded: dict[str, bytes] = field(default_factory=dict)  # id_list → body, byte for byte
    replayed: list[str] = field(default_factory=list)  # id_list of each recorded body served

    def __post_init__(self) -> None:
        self._listen(_handler(self))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/query"

    def queue(self, *faults: str) -> None:
        """Answer the next requests with these faults, one each, in order."""
        unknown = set(faults) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {FAULTS}")
        self.faults.extend(faults)

    def replay(self, body: bytes, id_list: str) -> None:
        """Answer ``id_list=<id_list>`` with ``body`` exactly (status 200, Atom)."""
        self.recorded[id_list] = body

    def take(self, path: str, params: dict[str, str]) -> str:
        return self._take(lambda fault: Recorded(path, params, fault))


def _handler(server: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            fault = server.take(url.path, params)
            if fault == "hang":
                server.hang()
                self.close_connection = True
                return
            if fault == "gate":
                server._gate.wait(timeout=60)
            try:
                if params.get("id_list") in server.recorded and url.path == "/api/query":
                    status, body = 200, server.recorded[params["id_list"]]
                    server.replayed.append(params["id_list"])
                else:
                    status, body = _respond(server.records, url.path, params, fault)
            except Exception as err:  # a bug in the replay: the fixture fails the test on it
                server.errors.append(f"{self.path}: {err!r}")
                status, body = 500, b"replay server error"
            self.send_response(status)
            self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


def _respond(records: list[dict], path: str, params: dict[str, str], fault: str):
    if fault in ("503", "429", "500"):
        return int(fault), f"<html><body>Error {fault}</body></html>".encode()
    if path != "/api/query":
        return 404, b"not found"
    status, body = answer(records, params)
    if fault == "garbage":
        return 200, b"\x00\x1f<<this is not the feed you are looking for"
    if fault == "truncated":
        return 200, body[: len(body) // 2]
    return status, body


def main(argv: list[str] | None = None) -> None:
    """Serve the fixture records until interrupted."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--records", type=Path, default=FIXTURES / "records.json")
    args = parser.parse_args(argv)
    server = ReplayServer(records=load_records(args.records), port=args.port)
    print(f"serving {len(server.records)} records at {server.url}", flush=True)
    server.run_until_interrupted()


if __name__ == "__main__":
    main()
