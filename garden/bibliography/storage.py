"""Writing ``bib/`` safely: the one atomic write, the fetch's lock, stale temp files.

- ``write_atomic``: every file the fetch writes goes through it (temp file in the same folder,
  ``fsync``, ``os.replace``, ``fsync`` of the folder). The new file keeps the old one's mode;
  a new file gets ``0666 & ~umask`` (0644 under the usual umask), like any file a program
  creates, instead of ``tempfile``'s 0600.
- ``fetch_guard``: what a fetch does before it reads ``bib/``: check that ``bib/`` can be
  written (before any request is spent), take ``bib/.fetch.lock`` for the whole run (two
  fetches at once would each rewrite ``bib/`` from what they read at the start), and remove
  temp files an interrupted run (``kill -9``) left behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_NAME = ".fetch.lock"
TEMP_PATTERN = ".*.tmp"  # what write_atomic's temp files look like (and .gitignore ignores)


class BibLocked(Exception):
    """Another fetch holds ``bib/.fetch.lock``."""

    def __init__(self, lock: Path, pid: int | None):
        holder = f" (pid {pid})" if pid else ""
        super().__init__(
            f"another fetch holds {display(lock)}{holder}; wait for it or remove the lock if "
            "it died (--wait SECONDS waits for it)"
        )
        self.lock, self.pid = lock, pid


class BibUnwritable(Exception):
    """``bib/`` cannot be written: found out before anything is asked of arXiv."""

    def __init__(self, folder: Path, err: OSError):
        reason = err.strerror or type(err).__name__
        super().__init__(
            f"{display(folder)}: cannot write there ({reason}); nothing was asked of arXiv. "
            "Make the folder writable (or pass --bib DIR) and run again"
        )


def display(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it, else as it is."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def write_atomic(path: Path, text: str | bytes) -> bool:
    """Replace ``path`` with ``text`` in one step; an interrupted write leaves the old file
    whole. Returns ``False`` and touches nothing if the bytes are unchanged."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        old_mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        old_mode = None
    if old_mode is not None and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), old_mode if old_mode is not None else 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
    return True


def remove(path: Path) -> bool:
    """Delete ``path`` (durably); ``False`` if it was not there."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    _fsync_folder(path.parent)
    return True


def _umask() -> int:
    """The process umask, read without changing it where Linux allows."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable: ``fsync`` the folder (POSIX; a no-op where it cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def check_writable(folder: Path) -> None:
    """Create ``folder`` if needed and prove a file can be made in it (``BibUnwritable``)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-probe.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise BibUnwritable(folder, err) from None


def stale_temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob(TEMP_PATTERN) if p.is_file())


def lock_holder(lock: Path) -> int | None:
    """The pid the holder wrote into the lock file, if it can be read."""
    try:
        return int(lock.read_text("ascii").strip() or 0) or None
    except (OSError, ValueError):
        return None


def _write_pid(fd: int) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)


@contextlib.contextmanager
def fetch_guard(
    folder: Path, wait: float = 0.0, on_wait: Callable[[str], None] | None = None
) -> Iterator[list[Path]]:
    """Hold ``folder/.fetch.lock`` for the block; yields the stale temp files it removed.

    Waits at most ``wait`` seconds for another fetch to finish (``on_wait`` is told once),
    then raises ``BibLocked``. ``BibUnwritable`` if ``folder`` cannot be written.
    """
    check_writable(folder)
    path = folder / LOCK_NAME
    lock = FileLock(path, on_acquired=_write_pid)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if wait <= 0:
                raise BibLocked(path, lock_holder(path)) from None
            if on_wait:
                pid = lock_holder(path)
                holder = f" (held by pid {pid})" if pid else ""
                on_wait(f"waiting up to {wait:g} s for {display(path)}{holder}")
            try:
                lock.acquire(timeout=wait)
            except Timeout:
                raise BibLocked(path, lock_holder(path)) from None
    except OSError as err:
        raise BibUnwritable(folder, err) from None
    try:
        removed = stale_temp_files(folder)
        for temp in removed:
            temp.unlink(missing_ok=True)
        yield removed
    finally:
        lock.release()
