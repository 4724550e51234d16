"""Work split over forked processes: each child is a copy of this process (everything built so
far, shared until written to), runs ``work`` on its share and sends back what it returns.

A build of 10,000 papers spends most of its time rendering pages one after another, each on
its own, with every core but one idle; ``mkdocs build`` renders the generated pages in
``workers()`` processes this way (hooks.py). Forking, not spawning: a fresh interpreter would
have to build the garden again (a minute at 10,000 papers) before rendering anything.

``mkdocs serve`` forks for its first build only: it serves from threads after, and its
rebuilds render a few pages.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

WORKERS_ENV = "GARDEN_BUILD_WORKERS"
MAX_WORKERS = 4  # each is a copy of a process of ~500 MB at 10,000 papers (shared until written)

T = TypeVar("T")
R = TypeVar("R")


class WorkerError(RuntimeError):
    """A child failed: its message names what it raised."""


def workers() -> int:
    """How many processes work: ``$GARDEN_BUILD_WORKERS`` (1: no child), else, on Linux,
    the cores this process may use, at most ``MAX_WORKERS``; elsewhere 1. Always 1 in a
    process with more than one thread (``mkdocs serve`` once it serves: its first build
    forks, its rebuilds do not)."""
    asked = os.environ.get(WORKERS_ENV, "").strip()
    if not hasattr(os, "fork") or _threaded():
        return 1
    if asked:
        try:
            count = int(asked)
        except ValueError:
            count = 0
        if count < 1:
            raise WorkerError(
                f"{WORKERS_ENV}={asked!r}: give a whole number of processes, 1 or more"
            )
        return count
    if not sys.platform.startswith("linux"):
        return 1  # no fork on Windows; on macOS, forking a process that has used system
        # frameworks is unsafe (Python itself spawns there)
    return max(1, min(MAX_WORKERS, len(os.sched_getaffinity(0))))


def _threaded() -> bool:
    """Whether this process runs other threads: a fork copies only the thread that forks, and
    a lock another one held stays held in the child."""
    return threading.active_count() > 1


class Forked(Generic[R]):
    """Children started by ``fork_each``; ``join()`` gives their results in order."""

    def __init__(self, children: list[tuple[int, int]]) -> None:
        self._children = children  # (pid, read end of its pipe)

    def stop(self) -> None:
        """End every child now (the caller failed: their results would not be used)."""
        _kill(self._children)
        self._children = []

    def join(self) -> list[R]:
        """Each child's result, in the order of the shares; ``WorkerError`` if one failed
        (after all have ended: none is left running)."""
        results, failures = [], []
        for pid, fd in self._children:
            # read before waiting (a child blocks until its result is read), unpickled as it
            # arrives: never the whole result as bytes besides the objects made of it
            with os.fdopen(fd, "rb") as pipe:
                try:
                    outcome, value = pickle.load(pipe)
                except EOFError:  # none, or one cut short by the child's death
                    outcome, value = "error", None
                except Exception as exc:  # noqa: BLE001 - garbled: the child failed writing it
                    outcome, value = "error", f"its result could not be read ({exc})"
                    pipe.read()  # the rest, so that the child is not left blocked writing it
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            if value is None and outcome == "error":
                value = f"it exited with {code}, no result" if code else "it exited, no result"
            if outcome == "ok" and code == 0:
                results.append(value)
            else:
                reason = value if outcome == "error" else f"it exited with {code}"
                failures.append(f"worker process {pid}: {reason}")
        self._children = []
        if failures:
            raise WorkerError("; ".join(failures))
        return results


def fork_each(shares: Sequence[T], work: Callable[[T], R]) -> Forked[R]:
    """One child per share, each running ``work(share)``; its return value must pickle.

    The child never returns into the caller's code: it ends with ``os._exit`` (no ``atexit``
    handler, no buffered file of the parent's flushed twice). Python's collector is told that
    everything that exists at the fork is permanent, in both processes: a collection would
    otherwise write to every object it walks and so copy the memory the two share."""
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()
    release_free_memory()
    children = []
    try:
        for share in shares:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child
                os.close(read)
                for _, other in children:
                    os.close(other)
                _run_child(work, share, write)
            os.close(write)
            children.append((pid, read))
    except BaseException:
        _kill(children)
        raise
    return Forked(children)


class Queue(Generic[T]):
    """Items taken a few at a time, in order, by whichever process is free: this one and the
    children it forks after making the queue (the position of the next item is shared
    memory, forked with it). A fixed share each left one of them idle for seconds at the end.
    ``take`` gives ``(index, item)`` pairs, so that what each process made can be put back in
    the items' order."""

    BATCH = 8  # items taken at once; fewer for a few items, so that each process takes many

    def __init__(self, items: Sequence[T], processes: int) -> None:
        self.items = items
        self.batch = max(1, min(self.BATCH, len(items) // (8 * processes)))
        self._next = multiprocessing.Value("q", 0)

    def take(self) -> list[tuple[int, T]]:
        with self._next.get_lock():
            start = self._next.value
            self._next.value = start + self.batch
        return list(enumerate(self.items[start : start + self.batch], start))

    def drain(self, work: Callable[[int, T], R]) -> list[R]:
        """``work(index, item)`` for each item taken until none is left; what it returned."""
        done = []
        while batch := self.take():
            done += [work(index, item) for index, item in batch]
        return done


def release_free_memory() -> bool:
    """Give the C heap's free memory back to the system (glibc's ``malloc_trim``); whether it
    could. Python frees its large objects (a page's text, an abstract) to the C heap, which
    keeps the memory: at 10,000 papers ~80 MB of it once the garden has been let go. A child
    forked then would share those pages, and each process's next allocations in them would
    copy them (their memory counted twice). Elsewhere than glibc: nothing, ``False``."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    trim(0)
    return True


def _kill(children: list[tuple[int, int]]) -> None:
    for pid, fd in children:  # none is left behind, running or as a zombie
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.close(fd)
        os.waitpid(pid, 0)


def _run_child(work: Callable[[T], R], share: T, fd: int) -> None:  # pragma: no cover - a child
    code = 0
    try:
        outcome = ("ok", work(share))
    except BaseException as exc:  # noqa: BLE001 - sent to the parent, which reports it
        outcome, code = ("error", f"{type(exc).__name__}: {exc}"), 1
    try:
        with os.fdopen(fd, "wb") as pipe:
            sent = _Counted(pipe)
            try:  # pickled into the pipe as it goes: never the whole result as bytes too
                pickle.dump(outcome, sent, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # noqa: BLE001
                code, why = 1, f"its result would not pickle ({exc})"
                if not sent.count:  # else the parent cannot read what was sent, and says so
                    pickle.dump(("error", why), pipe)
                print(f"worker process {os.getpid()}: {why}", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


class _Counted:
    """A file that counts the bytes written through it."""

    def __init__(self, file) -> None:  # noqa: ANN001
        self.file, self.count = file, 0

    def write(self, data) -> int:  # noqa: ANN001 - bytes, or a buffer (pickle protocol 5)
        self.count += memoryview(data).nbytes
        return self.file.write(data)
