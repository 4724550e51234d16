"""A real ``mkdocs serve``: an edit shows at once, and what it serves equals a full build."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.projects import copy_project

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - 127.0.0.1 only
        return response.read().decode("utf-8")


def wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            page = fetch(url)
            if text in page:
                return page
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} never showed {text!r}")
        time.sleep(0.2)


def wait_idle(log: Path, seconds: float = 60) -> None:
    """Until every rebuild the server started has finished, and none started for a second (one
    save can fire two file events, and a rebuild empties the site folder while it runs)."""
    deadline, quiet_since, last = time.monotonic() + seconds, time.monotonic(), ""
    while time.monotonic() < deadline:
        text = log.read_text("utf-8", errors="replace")
        # (not "Documentation built": MkDocs logs each distinct message once, so a rebuild
        # as fast as an earlier one logs none; each rebuild after the first ends in one of these)
        ended = text.count("Reloading browsers") + text.count(
            "An error happened during the rebuild"
        )
        busy = text.count("Building documentation") - 1 != ended
        if busy or text != last:
            quiet_since, last = time.monotonic(), text
        elif time.monotonic() - quiet_since > 1.0:
            return
        time.sleep(0.1)
    raise AssertionError("mkdocs serve never settled")


def wait_gone(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fetch(url)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} is still served")


def comparable(html: str) -> str:
    """A served page as a built one: without the live-reload script and the serve address."""
    html = re.sub(r"<script>\s*var livereload = .*?</script>", "", html, flags=re.S)
    html = re.sub(r'<link rel="canonical" href="[^"]*">', "", html)
    return re.sub(r"\s+", " ", html)


def _first_difference(served: str, built: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(served, built, strict=False)) if a != b), None)
    at = min(len(served), len(built)) if at is None else at
    start = max(0, at - 150)
    return f"served …{served[start : at + 150]}… built …{built[start : at + 150]}…"


def test_edits_show_and_served_pages_equal_a_full_build(tmp_path: Path) -> None:
    copy_project(tmp_path)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    log = tmp_path / "serve.log"
    log_file = log.open("w", encoding="utf-8")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    try:
        wait_for(f"{base}/topics/physics-lens/", "Particles here")
        note = tmp_path / "notes/research-map.md"
        note.write_text(
            note.read_text("utf-8").replace("Particles here!!", "Particles here!! SERVE-EDIT"),
            encoding="utf-8",
        )
        wait_for(f"{base}/topics/physics-lens/", "SERVE-EDIT")
        (tmp_path / "notes/zz-added.md").write_text(
            "## Physics Lens\n\n+ https://arxiv.org/abs/2006.02425 ADDED-NOTE\n", encoding="utf-8"
        )
        wait_for(f"{base}/notes/zz-added/", "ADDED-NOTE")
        wait_for(f"{base}/topics/physics-lens/", "ADDED-NOTE")
        wait_idle(log)
        # the first build rendered every page; each rebuild kept those no edit touched
        kept = [
            int(n)
            for n in re.findall(
                r"garden: \d+ of \d+ generated pages rendered, (\d+) kept", log.read_text("utf-8")
            )
        ]
        assert kept[0] == 0 and len(kept) >= 3 and all(n > 80 for n in kept[1:]), kept
        (tmp_path / "notes/zz-added.md").unlink()  # a deleted note's page goes from the site
        wait_gone(f"{base}/notes/zz-added/")
        wait_for(f"{base}/topics/physics-lens/", "Particles here!! SERVE-EDIT")
        wait_idle(log)
        site = tmp_path / "full"
        build = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-d", str(site)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert build.returncode == 0, build.stderr
        # the generated assets too: kept from the previous build when unchanged
        for folder in ("downloads", "previews"):
            for asset in sorted((site / folder).rglob("*.*")):
                path = asset.relative_to(site).as_posix()
                assert fetch(f"{base}/{path}") == asset.read_text("utf-8"), path
        host = re.compile(r"https?://[^/\"<]+")  # serve writes its own address as site_url
        served_feed = host.sub("", fetch(f"{base}/feed.xml"))
        assert served_feed == host.sub("", (site / "feed.xml").read_text("utf-8"))
        pages = sorted(site.rglob("index.html"))
        assert len(pages) > 80
        for page in pages:
            uri = page.relative_to(site).parent.as_posix()
            url = f"{base}/" if uri == "." else f"{base}/{uri}/"
            served, built = comparable(fetch(url)), comparable(page.read_text("utf-8"))
            assert served == built, f"{uri}: {_first_difference(served, built)}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log_file.close()
    errors = log.read_text("utf-8", errors="replace")
    assert "Traceback" not in errors, errors[-3000:]
    assert errors.count("Building documentation") >= 3  # the start and at least two edits


def test_a_rebuild_cancels_the_collection_waiting_for_idle(monkeypatch) -> None:
    """After a serve rebuild, one full collection once the server is idle; a rebuild starting
    first cancels it (at 10,000 papers it held an edit right after the first build ~2 s)."""
    import hooks

    collected: list[int] = []
    monkeypatch.setattr(hooks.gc, "collect", lambda: collected.append(1) or 0)
    monkeypatch.setattr(hooks.gc, "freeze", lambda: None)
    monkeypatch.setattr(hooks.gc, "unfreeze", lambda: None)
    hooks._collect_when_idle(delay=0.3)
    waiting = hooks._SERVE["collection"]
    hooks._collect_when_idle(delay=0.3)  # a second rebuild's end: one collection, not two
    assert waiting.finished.is_set() and hooks._SERVE["collection"] is not waiting
    hooks._cancel_collection()
    time.sleep(0.6)
    assert collected == [] and "collection" not in hooks._SERVE
    hooks._collect_when_idle(delay=0.05)
    hooks._SERVE["collection"].join(5)
    assert collected == [1]
    hooks._cancel_collection()
