"""User mistakes in notes: each carries the file and line so the message is actionable."""

from __future__ import annotations


class NoteError(Exception):
    """A note the garden cannot read. ``str()`` is ``file:line: what is wrong; what to do``."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message

    def __reduce__(self) -> tuple[type[NoteError], tuple[str, int, str]]:
        """Pickled by its three parts (a note read in a forked process sends its problems
        back: garden.notes.read.load_notes_beside)."""
        return NoteError, (self.file, self.line, self.message)
