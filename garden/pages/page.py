"""The common shape of every generated file: a page family is ``(Env) -> Iterable[Page | Asset]``.

``garden.pages.site.FAMILIES`` lists the families; a new page type is one module with a
``pages(env)`` function, added there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import zstandard

from garden.join import Garden
from garden.pages.items import Context
from garden.pages.markdown import Inline, without_fragment_marks

# Zstandard at its fastest level: at 10,000 papers the site's generated texts (~200 MB) were
# packed in 2.8 s and unpacked in 0.9 s of the build's CPU with zlib at level 1; zstd's level 1
# packs them about three times as fast and unpacks them about three times as fast again, a
# little smaller. Streamed (the parts of a large file, one at a time), so a packed text holds
# no size: ``unpack`` streams too.
_ZSTD_LEVEL = 1
_CODECS = threading.local()  # a compressor and decompressor per thread (neither is thread-safe)


def _codec() -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
    codec = getattr(_CODECS, "pair", None)
    if codec is None:
        codec = _CODECS.pair = (
            zstandard.ZstdCompressor(level=_ZSTD_LEVEL),
            zstandard.ZstdDecompressor(),
        )
    return codec


def pack(parts: Iterable[str]) -> bytes:
    """The UTF-8 of the parts joined, compressed a part at a time (the same bytes as the
    joined text compressed at once: a text's packed bytes are its identity)."""
    return _packed(part.encode("utf-8") for part in parts)


def pack_bytes(data: bytes) -> bytes:
    """``pack`` of text already encoded as UTF-8 (or of any bytes)."""
    return _packed((data,))


def _packed(chunks: Iterable[bytes]) -> bytes:
    packer = _codec()[0].compressobj()
    out = [packer.compress(chunk) for chunk in chunks]
    out.append(packer.flush())
    return b"".join(out)


def unpack(packed: bytes) -> bytes:
    """The bytes ``pack`` or ``pack_bytes`` packed."""
    return _codec()[1].decompressobj().decompress(packed)


class _Packed:
    """A generated file's text, kept compressed (``pack``) until it is read: at 10,000 papers the
    site's files are about 200 MB of text (most of it not ASCII, so two bytes a character as a
    ``str``) against about 40 MB packed, and nothing reads them all at once (MkDocs renders
    pages one at a time, see hooks.py). Immutable; equal when the text (and URI, title) are."""

    __slots__ = ("uri", "packed")

    def __init__(self, uri: str, text: str) -> None:
        object.__setattr__(self, "uri", uri)
        object.__setattr__(self, "packed", pack((text,)))

    @classmethod
    def from_parts(cls, uri: str, parts: Iterable[str], *args: object) -> _Packed:
        """The file of the text ``"".join(parts)``, packed as the parts come: a large file
        (the whole garden's downloads, 15 MB each at 10,000 papers) is never one string, nor
        one block of bytes. The same packed bytes as the joined text gives."""
        made = cls(uri, "", *args)
        object.__setattr__(made, "packed", pack(parts))
        return made

    @property
    def text(self) -> str:
        return unpack(self.packed).decode("utf-8")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _key(self) -> tuple:
        return (self.uri, self.packed)

    # pickled (a page generated in a forked process, garden.pages.site) by its slots
    def __getstate__(self) -> dict:
        slots = (name for cls in type(self).__mro__ for name in getattr(cls, "__slots__", ()))
        return {name: getattr(self, name) for name in slots}

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


class Page(_Packed):
    """A generated Markdown page. ``title``: plain text, when the title comes from a note or
    arXiv: the glue hands it to the theme's slots through garden.pages.escape.title (MkDocs'
    own title is the <h1> read back as unescaped text, and its templates do not escape it).
    None: a fixed title of ours."""

    __slots__ = ("title",)

    def __init__(self, uri: str, markdown: str, title: str | None = None) -> None:
        super().__init__(uri, markdown)  # uri: source path, e.g. "topics/rmt.md" (routes)
        object.__setattr__(self, "title", title)

    @property
    def markdown(self) -> str:
        """The page's Markdown (its HTML parts as raw HTML, garden.pages.markdown.fragment)."""
        return without_fragment_marks(_Packed.text.fget(self))

    text = markdown

    @property
    def marked(self) -> str:
        """The text with its HTML parts marked (what the MkDocs glue splits)."""
        return _Packed.text.fget(self)

    def _key(self) -> tuple:
        return (self.uri, self.packed, self.title)

    def __repr__(self) -> str:
        return f"Page({self.uri!r}, title={self.title!r})"


class Asset(_Packed):
    """Any other generated file (``downloads/garden.bib``, ``previews/<key>.json``)."""

    __slots__ = ()

    @property
    def content(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Asset({self.uri!r})"


@dataclass
class Env:
    """What every page family gets: the garden, and how to write a note's inline text."""

    garden: Garden
    inline: Inline
    problems: list[str] = field(default_factory=list)  # "file:line: message" warnings
    site_url: str = ""  # mkdocs.yml's site_url, for the feed's absolute links; "" if none
    # An incremental rebuild (garden.incremental): the files of the previous build, and which
    # of their URIs the edit cannot have changed. A family asks ``kept(uri)`` before rendering.
    previous: Mapping[str, Page | Asset] = field(default_factory=dict)
    unaffected: Callable[[str], bool] = lambda uri: False

    def kept(self, uri: str) -> Page | Asset | None:
        """The previous build's file at ``uri`` when this edit cannot have changed it."""
        return self.previous.get(uri) if self.unaffected(uri) else None

    def ctx(self, uri: str) -> Context:
        return Context(uri, self.garden.library, self.inline, self.garden.missing_at)
