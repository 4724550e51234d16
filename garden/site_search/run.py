"""The Pagefind run over a built site, in shards.

Pagefind 1.5's search ranks each matching page by walking every (word, page) pair the query
matched (``pagefind_web/src/search.rs``, ``search_term``: a ``words.iter().filter(..)`` per
result page), so a query's cost grows with the square of the pages it matches. At 10,000 papers
a common word matches ~10,000 pages: 0.8 s in Chromium for one word, 1.2 s for two, on every
keystroke. The site's pages are therefore indexed as ``k`` bundles of about ``SHARD_PAGES``
pages each (``pagefind/0/``, ``pagefind/1/``, ...), which the browser searches in a few
Pagefind modules at once and merges (``docs/assets/javascripts/search.js``): the same results,
at ``1/k`` of the ranking work, spread over the reader's cores. A shard is a page's path
hashed, so it is stable from build to build and every shard gets a like share of each kind of
page.

``pagefind/shards.json`` lists the bundles; it is written last, once every shard is in place.
Each shard is indexed from a folder of hard links to its pages (copies where links cannot be
made), next to the site, never inside it; the bundles are written beside the site too and
moved in together, so a reader of ``mkdocs serve`` never sees half an index.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from garden import workers
from garden.pages.names import BUTTONS_CLASS, PAPERS_CLASS, RELATED_CLASS

BUNDLE = "pagefind"  # the index's folder in the site: site/pagefind/
MANIFEST = "shards.json"  # site/pagefind/shards.json: {"shards": ["0/", "1/", ...]}
SHARD_PAGES = 2000  # pages per shard, about: the bundle count is pages / SHARD_PAGES, even
INDEXED_MARK = b"data-pagefind-body"  # set on the article of a page to index (templates/)
IGNORED_MARK = b'data-pagefind-ignore="all"'  # what follows it, Pagefind does not index
VOCABULARY = "garden-search-vocabulary/index.html"  # in each shard only, not in the site
VOCABULARY_KIND = "vocabulary"
_TAG = re.compile(rb"<[^>]*>")
# Kept out of the indexed text (Pagefind's selectors: no sibling combinators). A paper page's
# Cite section is wrapped in data-pagefind-ignore="all" by garden.site_search.prepare_page.
EXCLUDE_SELECTORS = (
    ".arithmatex",
    ".headerlink",
    ".md-tags",
    "." + RELATED_CLASS,  # related papers: other pages' titles (garden.pages.paper_page)
    "." + PAPERS_CLASS,  # an author's papers: their pages' titles (garden.pages.authors)
    "." + BUTTONS_CLASS,  # "Abstract page · PDF", the same words on every paper page
)
# The classes of EXCLUDE_SELECTORS that the garden writes on a <div> of their own, which
# ``indexed_part`` cuts out of what Pagefind reads (it would skip them)
_CUT_CLASSES = frozenset({b"md-tags", RELATED_CLASS.encode(), PAPERS_CLASS.encode()})
_CLASS_DIV = re.compile(rb'<div class="([^"<>]*)">')
# where tags alone may not find a div's end: an attribute value with a "<" (or in single
# quotes), a comment
_UNSURE = re.compile(rb"""="[^"]*<|=\s*'|<!--""")
# Pagefind's own search UIs, written into every bundle; the site has its own box (search.js)
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class SearchIndexError(RuntimeError):
    """Pagefind could not be run, or failed; the message says why."""


def shard_count(pages: int, shard_pages: int = SHARD_PAGES) -> int:
    """How many bundles ``pages`` indexed pages are split into: at least one, and an even
    number where more than one (an odd count rounded down). The build runs two Pagefinds at
    a time on two cores (``parallel_runs``): the last shard of an odd count ran alone, on
    about one core, 1.4 s at 10,000 papers; and the browser searches the shards in two
    groups on two cores (search.js), whose slower one had one shard more."""
    count = max(1, math.ceil(pages / shard_pages))
    return count - 1 if count > 1 and count % 2 else count


def shard_of(path: str, count: int) -> int:
    """The shard of the page at ``path`` (relative to the site, POSIX): its hash, so a page
    keeps its shard while the count stays the same."""
    return zlib.crc32(path.encode("utf-8")) % count


def html_files(site: Path) -> list[str]:
    """The site's HTML files, relative paths, sorted; the bundle's own folder is skipped."""
    found = []
    for folder, dirs, files in os.walk(site):
        if folder == str(site):
            dirs[:] = [d for d in dirs if d != BUNDLE]
        pages = (Path(folder, name) for name in files if name.endswith(".html"))
        found += [page.relative_to(site).as_posix() for page in pages]
    return sorted(found)


def indexed_pages(site: Path) -> list[str]:
    """The site's pages Pagefind indexes (those marked ``data-pagefind-body``), relative
    paths, sorted."""
    return [page for page in html_files(site) if INDEXED_MARK in (site / page).read_bytes()]


def read_shards(site: Path, shard_pages: int = SHARD_PAGES) -> list[tuple[list[str], set]]:
    """Each shard's indexed pages and their words, every page read once: the site's HTML files
    are split (``plan_shards``: the count from all of them, the few section indexes and the
    404 page included), then each is kept if it is indexed. Shards left empty are dropped."""
    plans = plan_shards(html_files(site), shard_pages)
    count = min(len(plans), workers.workers())
    if count < 2:
        read = [_read_shard(site, files) for files in plans]
    else:  # every page is read once (~1 s at 10,000 papers): in a fork too, on every core
        forked = workers.fork_each(
            [plans[n::count] for n in range(1, count)],
            lambda share: [_read_shard(site, files) for files in share],
        )
        try:
            mine = [_read_shard(site, files) for files in plans[::count]]
        except BaseException:
            forked.stop()
            raise
        groups = [mine, *forked.join()]
        read = [groups[n % count][n // count] for n in range(len(plans))]
    return [(pages, words) for pages, words in read if pages]


def _read_shard(site: Path, files: list[str]) -> tuple[list[str], set[bytes]]:
    """The pages of ``files`` that are indexed, and their words."""
    pages, words = [], set()
    for page in files:
        html = (site / page).read_bytes()
        if INDEXED_MARK in html:
            pages.append(page)
            words |= page_words(html)
    return pages, words


def page_words(html: bytes) -> set[bytes]:
    """The words of a page's indexed article, about as Pagefind splits them (at tags and
    white space), without the parts Pagefind ignores or excludes where ``indexed_part`` cuts
    them (a word only there would be a word of the garden to every shard, and none to one
    index of the whole site; and a shard whose pages had it only there would get no
    vocabulary page entry for it, and so answer a search for it with what it falls back
    to)."""
    html = indexed_part(html) or html
    mark = html.find(INDEXED_MARK)
    if mark < 0:
        return set()
    start, end = html.find(b">", mark) + 1, html.rfind(b"</article>")
    ignored = html.find(IGNORED_MARK, start)  # a paper's Cite section, its last (prepare_page)
    end = ignored if ignored > 0 else end
    return set(_TAG.sub(b" ", html[start : end if end > start else len(html)]).split())


def vocabulary_page(words: set[bytes]) -> bytes:
    """The shard's page of the garden's words it has no page for, kind ``vocabulary`` (no
    result shows it: search.js asks for the four kinds only).

    Why: Pagefind, finding no word in an index that starts with a query's term, falls back to
    the longest word of that index the term starts with (``find_word_extensions``). One index
    of the whole site does so only for a term the garden lacks; a shard would do it for every
    term it lacks but another shard has: a search for "Miolane" listed, besides the pages
    naming him, pages of other shards matching "mi". With every word of the garden in every
    shard, a shard without the term finds it here and shows nothing."""
    body = b" ".join(sorted(words))
    return (
        b'<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>'
        b'<article data-pagefind-body data-pagefind-filter="kind:'
        + VOCABULARY_KIND.encode()
        + b'">'
        + body
        + b"</article></body></html>"
    )


def plan_shards(pages: list[str], shard_pages: int = SHARD_PAGES) -> list[list[str]]:
    """``pages`` split into shards; none is empty (Pagefind fails on a folder with no page),
    so a garden with nothing to index has no shard."""
    count = shard_count(len(pages), shard_pages)
    shards: list[list[str]] = [[] for _ in range(count)]
    for page in pages:
        shards[shard_of(page, count)].append(page)
    return [shard for shard in shards if shard]


def pagefind_executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchIndexError(
            "pagefind-bin is not installed: pip install -r requirements.txt"
        ) from None
    try:
        return Path(get_executable())
    except FileNotFoundError as exc:
        raise SearchIndexError(f"pagefind-bin has no binary: {exc}") from None


def pagefind_command(source: Path, output: Path, exclude: tuple[str, ...] = ()) -> list[str]:
    """Pagefind over the pages under ``source``, writing its bundle to ``output``."""
    command = [str(pagefind_executable()), "--site", str(source), "--output-path", str(output)]
    for selector in exclude:
        command += ["--exclude-selectors", selector]
    return [*command, "--quiet"]


def link_pages(site: Path, pages: list[str], into: Path, parts: bool = True) -> None:
    """``pages`` of ``site`` under ``into`` at the same relative paths (Pagefind takes a page's
    URL from its path there), each as ``indexed_part`` of it (``parts``), else a hard link (a
    copy where the file system has none)."""
    for page in pages:
        target = into / page
        target.parent.mkdir(parents=True, exist_ok=True)
        part = indexed_part((site / page).read_bytes()) if parts else None
        if part is not None:
            target.write_bytes(part)
            continue
        try:
            os.link(site / page, target)
        except OSError:
            shutil.copyfile(site / page, target)


_BODY = re.compile(rb"<body\b[^>]*>")


def indexed_part(html: bytes) -> bytes | None:
    """What Pagefind reads of a page: its language and title (``_head``) and its indexed
    article, without the chrome around the article (navigation, header, footer: nothing of it is
    indexed, and parsing it was a fifth of Pagefind's time), without the part of the article
    it ignores at its end (``_without_ignored_tail``) and without the divs it excludes
    (``_without_excluded_divs``: an author's papers, a topic's related papers, a paper's
    categories). The index is the same, every result and word chunk. ``None`` for a page not
    laid out so (one body, one indexed article in it)."""
    body = _BODY.search(html)
    mark = html.find(INDEXED_MARK)
    if body is None or mark < body.end() or html.count(b"<article") != 1:
        return None
    start, end = html.rfind(b"<article", body.end(), mark), html.rfind(b"</article>")
    if start < 0 or end < mark:
        return None
    end = _without_ignored_tail(html, mark, end)
    inside = html.find(b">", mark) + 1  # the article's start tag ends
    article = _without_excluded_divs(html, inside, end)
    return _head(html, body) + html[start:inside] + article + b"</article></body></html>"


_HTML_TAG = re.compile(rb"<html\b[^>]*>")
_TITLE = re.compile(rb"<title>[^<]*</title>")


def _head(html: bytes, body: re.Match[bytes]) -> bytes:
    """The page up to its body's start tag, as Pagefind reads it: the ``<html>`` tag (its
    language) and the ``<title>``, without the stylesheets, links and metadata around them
    (a third of what it was given of a paper page); the whole head where either is not
    found once before the body."""
    tag, title = _HTML_TAG.search(html, 0, body.start()), _TITLE.search(html, 0, body.start())
    if tag is None or title is None or html.count(b"<title>", 0, body.start()) != 1:
        return html[: body.end()]
    return (
        b"<!doctype html>\n"
        + tag.group()
        + b'\n<head>\n<meta charset="utf-8">\n'
        + title.group()
        + b"\n</head>\n"
        + body.group()
    )


def _without_excluded_divs(html: bytes, start: int, end: int) -> bytes:
    """``html[start:end]`` without each ``<div class="...">`` whose classes include one of
    ``_CUT_CLASSES``, with its nested divs, to its own end tag, where a line break follows
    that tag, as the garden writes them (the line break is kept: the words on either side
    stay apart). A div holding what tags alone cannot be followed through (``_UNSURE``) is
    kept."""
    kept, at = [], start
    for opening in _CLASS_DIV.finditer(html, start, end):
        if opening.start() < at or not _CUT_CLASSES.intersection(opening[1].split()):
            continue
        close = _div_end(html, opening.start(), end)
        if close < 0 or html[close : close + 1] != b"\n":
            continue
        if _UNSURE.search(html, opening.start(), close):
            continue
        kept.append(html[at : opening.start()])
        at = close
    kept.append(html[at:end])
    return b"".join(kept)


_DIV = re.compile(rb"<div\b|</div\s*>")


def _without_ignored_tail(html: bytes, mark: int, end: int) -> int:
    """Where the article's indexed text ends: before a ``data-pagefind-ignore="all"`` div that
    runs to the article's end (a paper page's last sections, garden.site_search.unindexed_tail:
    half of a paper page's article, which Pagefind parsed to ignore), else at ``end`` (its
    ``</article>``). The div is followed through its nested divs to its own end tag; anything
    after that tag but white space, and the article is given whole."""
    ignored = html.find(IGNORED_MARK, mark, end)
    opening = html.rfind(b"<div", mark, ignored) if ignored > 0 else -1
    if opening < 0 or b">" in html[opening:ignored]:
        return end  # no such div (the mark is not one of its attributes)
    close = _div_end(html, opening, end)
    return opening if close >= 0 and not html[close:end].strip() else end


def _div_end(html: bytes, opening: int, end: int) -> int:
    """Where the div whose start tag is at ``opening`` ends (after its own end tag), followed
    through its nested divs before ``end``; -1 if it does not end there."""
    depth = 0
    for tag in _DIV.finditer(html, opening, end):
        depth += 1 if tag.group().startswith(b"<div") else -1
        if depth == 0:
            return tag.end()
    return -1


def prepare_shards(
    site: Path, shards: list[tuple[list[str], set]], into: Path, parts: bool = True
) -> Callable[[int], None]:
    """What puts a shard's pages (``read_shards``) under ``into/<number>/``, with the vocabulary
    page of the words only other shards have (none when there is one shard), when called with
    its number: each is made just before its Pagefind starts, while the others' run.
    ``parts``: see ``link_pages``."""
    everything = set().union(*(words for _, words in shards)) if len(shards) > 1 else set()

    def prepare(number: int) -> None:
        pages, words = shards[number]
        link_pages(site, pages, into / str(number), parts)
        missing = everything - words
        if missing:
            (into / str(number) / VOCABULARY).parent.mkdir(parents=True)
            (into / str(number) / VOCABULARY).write_bytes(vocabulary_page(missing))

    return prepare


def unused_wasm(bundle: Path) -> list[Path]:
    """Pagefind's WebAssembly files of ``bundle`` that its script never loads: it loads the
    one its entry names for the page's language (pagefind.js, ``init``: ``index.wasm``), and
    ``wasm.unknown.pagefind`` only for a language the entry names none for (68 KB a shard)."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    named = {language.get("wasm") for language in entry.get("languages", {}).values()}
    if not named or None in named or "" in named:
        return []  # some language falls back to the unknown one
    files = bundle.glob("wasm.*.pagefind")
    return [p for p in files if p.name.removeprefix("wasm.").removesuffix(".pagefind") not in named]


def drop_vocabulary_fragment(bundle: Path) -> None:
    """The vocabulary page's result fragment (all its words) out of a shard's bundle: no
    result shows it. Often the largest fragment, so those are read first."""
    url = b'"url":"/' + VOCABULARY.removesuffix("index.html").encode() + b'"'
    fragments = sorted((bundle / "fragment").glob("*.pf_fragment"), key=lambda p: -p.stat().st_size)
    for path in fragments:
        if url in gzip.decompress(path.read_bytes()):
            path.unlink()
            return


def parallel_runs() -> int:
    """Pagefind processes at once: one per core, at most four (each is multi-threaded)."""
    return max(1, min(4, os.cpu_count() or 1))


class IndexRun:
    """A sharded Pagefind run over a built site, in a process of its own (``main``): its
    Python work (reading every page for its words, linking the shards) takes no time from the
    build's own threads, and in serve it runs at the lowest priority, its pagefinds too.
    ``finish`` waits for it and says how it went; ``stop`` ends it early (a newer run)."""

    def __init__(self, site: Path, shard_pages: int, low: bool, after: float = 0.0):
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - read by finish: no pipe to fill
        self._stopped, self._text = False, ""
        command = [sys.executable, "-m", "garden.site_search", str(site), str(shard_pages)]
        self._process = subprocess.Popen(
            [*command, "--after", str(after), *(["--low"] if low else [])],
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            env={**os.environ, "PYTHONPATH": _import_path()},
        )

    def finish(self, timeout: float = 1800) -> None:
        try:
            code = self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise SearchIndexError(f"pagefind ran over {timeout:.0f} s and was stopped") from None
        output = self._output()
        if self._stopped:
            raise SearchIndexError("pagefind was stopped")
        if code != 0:
            raise SearchIndexError(output or f"pagefind's run exited {code}")

    def stop(self) -> None:
        """End the run; it removes its work folder and ends its pagefinds (``main``)."""
        self._stopped = True
        if self._process.poll() is None:
            self._process.terminate()
            self._process.wait()
        self._output()

    def _output(self) -> str:
        """What the run wrote to stderr (read once: the file is closed then)."""
        if not self._log.closed:
            self._log.seek(0)
            self._text = self._log.read().decode("utf-8", "replace").strip()
            self._log.close()
        return self._text


def _import_path() -> str:
    """PYTHONPATH for the run's process: this package's folder first (MkDocs may run from
    anywhere), then the caller's."""
    here = str(Path(__file__).resolve().parents[2])
    return os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)


def run_shards(site: Path, shard_pages: int = SHARD_PAGES, parts: bool = True) -> int:
    """The whole run, in this process: split ``site``, index each shard, move the bundles
    in. Returns the number of shards. ``parts``: Pagefind is given each page's indexed part
    (``indexed_part``: less for it to parse, more for this process to write), in memory where
    the machine has room (``_pages_folder``), else hard links to the pages (in ``mkdocs
    serve``'s background run, whose writing would slow the rebuild of the next edit)."""
    work = _work_folder(site)
    pages = work / "pages"
    running: list[subprocess.Popen] = []
    try:
        shards = read_shards(site, shard_pages)
        if parts:
            pages = _pages_folder(site, shards, pages)
        prepare = prepare_shards(site, shards, pages, parts)
        index_shards(work, pages, len(shards), running, prepare)
        install(site, work / BUNDLE, len(shards))
        return len(shards)
    finally:  # also when stopped (SIGTERM: main) or when a shard failed
        for process in running:
            if process.poll() is None:
                process.terminate()
                process.wait()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(pages, ignore_errors=True)


def index_shards(
    work: Path,
    pages: Path,
    count: int,
    running: list[subprocess.Popen],
    prepare: Callable[[int], None],
) -> None:
    """Pagefind once per shard, ``parallel_runs()`` at a time, over ``pages/<number>`` into
    ``work/pagefind/<number>``; each process started is added to ``running`` (for the caller
    to end if this is cut short); once a shard is indexed its pages are removed and its bundle
    tidied (``tidy``).
    ``prepare(number)`` makes a shard's folder: the next is made while Pagefind runs (at
    10,000 papers the links took 3 s, with a core idle)."""
    waiting, going, prepared = list(range(count)), {}, 0
    while waiting or going:
        while waiting and waiting[0] < prepared and len(going) < parallel_runs():
            number = waiting.pop(0)
            going[number] = _spawn(pages / str(number), work / BUNDLE / str(number))
            running.append(going[number][0])
        if prepared < count:
            prepare(prepared)
            prepared += 1
            continue
        for number, (process, log) in list(going.items()):
            if process.poll() is not None:
                del going[number]
                _check(process, log, number)
                shutil.rmtree(pages / str(number), ignore_errors=True)
                tidy(work / BUNDLE / str(number), sharded=count > 1)  # while the others run
        time.sleep(0.02)


def _spawn(source: Path, output: Path) -> tuple[subprocess.Popen, object]:
    log = tempfile.TemporaryFile()  # noqa: SIM115 - read by _check: no pipe to fill up
    command = pagefind_command(source, output, EXCLUDE_SELECTORS)
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), log


def _check(process: subprocess.Popen, log, number: int) -> None:  # noqa: ANN001
    log.seek(0)
    output = log.read().decode("utf-8", "replace")
    log.close()
    if process.returncode != 0:
        tail = "\n".join(output.strip().splitlines()[-15:])
        code = process.returncode
        raise SearchIndexError(f"pagefind failed on shard {number} (exit {code}):\n{tail}")


def tidy(bundle: Path, sharded: bool) -> None:
    """A shard's bundle without what no reader loads: Pagefind's own UI files (the site has
    its own box), WebAssembly for other languages, and (``sharded``: a shard of several) the
    vocabulary page's fragment."""
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    for path in unused_wasm(bundle):
        path.unlink()
    if sharded:
        drop_vocabulary_fragment(bundle)


def install(site: Path, bundles: Path, count: int) -> None:
    """Move the finished bundles (each ``tidy``) into ``site/pagefind/`` in one step, with the
    manifest that lists them."""
    for number in range(count):
        if not (bundles / str(number) / "pagefind-entry.json").is_file():
            raise SearchIndexError(f"pagefind wrote no index for shard {number} in {bundles}")
    manifest = {"shards": [f"{number}/" for number in range(count)]}  # none: nothing indexed
    bundles.mkdir(parents=True, exist_ok=True)
    (bundles / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    target = site / BUNDLE
    old = bundles.with_name(BUNDLE + ".old")
    if target.exists():
        shutil.move(target, old)  # a rename, unless the work folder is on another disk
    shutil.move(bundles, target)
    shutil.rmtree(old, ignore_errors=True)


MEMORY = Path("/dev/shm")  # a file system in memory, where Linux has one


def _pages_folder(site: Path, shards: list[tuple[list[str], set]], beside: Path) -> Path:
    """Where the shards' pages are written for Pagefind to read: in memory (``MEMORY``) when it
    has room for all of them twice over, else ``beside``. At 10,000 papers, writing 12,600
    pages and their folders on the disk and removing them took ~1.5 s of this process's
    time, most of it the file system's (a file system in memory has no blocks to find), and
    left as many freshly deleted files for the next build's to be placed among."""
    try:
        need = sum((site / page).stat().st_size for pages, _ in shards for page in pages)
        room = os.statvfs(MEMORY)
        if MEMORY.is_dir() and room.f_bavail * room.f_frsize > 2 * need:
            return Path(tempfile.mkdtemp(prefix="garden-pagefind-", dir=MEMORY))
    except OSError:
        pass
    return beside


def _work_folder(site: Path) -> Path:
    """Beside the site (hard links need the same file system), else the system's temp."""
    try:
        return Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site.parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix="pagefind-"))


def main(argv: list[str]) -> int:
    """``python -m garden.site_search SITE SHARD_PAGES [--after SECONDS] [--low]``, as
    ``IndexRun`` starts it: ``--after``, wait that long first (serve: a run that a newer
    rebuild replaces within it never starts); ``--low``, at the lowest priority, with hard
    links to the pages (``run_shards``). A failure is one message on stderr and exit 1;
    SIGTERM ends it cleanly."""
    site, shard_pages = Path(argv[0]), int(argv[1])
    after = float(argv[argv.index("--after") + 1]) if "--after" in argv else 0.0
    if "--low" in argv and hasattr(os, "nice"):
        os.nice(19)  # the next rebuild and the browser's reload come first; pagefinds inherit it
    signal.signal(signal.SIGTERM, _stopped)
    try:
        time.sleep(after)
        run_shards(site, shard_pages, parts="--low" not in argv)
    except SearchIndexError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"pagefind: {exc}", file=sys.stderr)
        return 1
    return 0


def _stopped(signum: int, frame: object) -> None:
    raise SearchIndexError("pagefind was stopped")
