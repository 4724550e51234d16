"""Stage 1: notes. Read Markdown notes into ``Note`` → ``NoteTopic`` → ``Section`` → ``Item``."""

from garden.notes.errors import NoteError
from garden.notes.model import Block, Item, Link, Note, NoteTopic, Paragraph, Preformatted, Section
from garden.notes.parse import links_in, parse_note
from garden.notes.read import load_notes, read_note, repair_text

__all__ = [
    "Block",
    "Item",
    "Link",
    "Note",
    "NoteError",
    "NoteTopic",
    "Paragraph",
    "Preformatted",
    "Section",
    "links_in",
    "load_notes",
    "parse_note",
    "read_note",
    "repair_text",
]
