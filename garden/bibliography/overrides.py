"""The author's decisions about references, committed in ``bib/overrides.yaml``.

Three lists, each keyed by what the note says, so an override survives the line moving:

- a title, compared after ``garden.text.normalize`` (case, accents, punctuation and
  ``**markup**`` do not matter);
- a URL as written in the note (compared in canonical form: https, no ``www.``);
- or a reference identity exactly as in ``bib/refmap.json`` (``title:…``, ``url:…``, ``arxiv:…``).

``arxiv`` pins a title to an arXiv ID (quoted: YAML reads ``2102.12290`` as a number);
``not-a-paper`` lists items that only look like references; ``not-on-arxiv`` maps papers that
have no arXiv record to their ``bib/manual.bib`` key, or to ``null``.

A key written twice in one mapping is an error naming both lines (plain YAML keeps the last
one and drops the first without a word).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

from garden.bibliography.state import NOT_A_PAPER, NOT_ON_ARXIV
from garden.bibliography.storage import display
from garden.references.extract import canonical_url
from garden.references.ids import is_valid_id
from garden.references.model import PaperRef
from garden.text import normalize


class Decision(StrEnum):
    ARXIV = "arxiv"
    NOT_A_PAPER = NOT_A_PAPER
    NOT_ON_ARXIV = NOT_ON_ARXIV


SECTIONS = tuple(decision.value for decision in Decision)


class OverridesError(Exception):
    """``bib/overrides.yaml`` says something that cannot be meant."""

    def __init__(self, file: str, message: str, line: int = 0):
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")
        self.file, self.line = file, line


class _DuplicateKey(Exception):
    def __init__(self, key: object, first: int, again: int):
        super().__init__(key, first, again)
        self.key, self.first, self.again = key, first, again


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a mapping that repeats a key."""

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node.start_mark.line + 1)
                except TypeError:  # an unhashable key: the base class reports it
                    continue
                if first != key_node.start_mark.line + 1:
                    raise _DuplicateKey(key, first, key_node.start_mark.line + 1)
        return super().construct_mapping(node, deep=deep)


@dataclass(frozen=True)
class Override:
    decision: Decision
    arxiv_id: str = ""  # for ARXIV
    manual_key: str = ""  # for NOT_ON_ARXIV, when the paper is in manual.bib


@dataclass(frozen=True)
class Overrides:
    by_identity: Mapping[str, Override] = field(default_factory=dict)

    def lookup(self, ref: PaperRef) -> Override | None:
        """The override for this reference: by its identity, else by its written title."""
        for identity in _identities(ref):
            if identity in self.by_identity:
                return self.by_identity[identity]
        return None


def _identities(ref: PaperRef) -> list[str]:
    found = [ref.identity]
    if ref.kind == "url":
        found.append(f"url:{canonical_url(ref.value)}")
    if ref.title:
        found.append(f"title:{normalize(ref.title)}")
    return found


def identity_of(written: str) -> str:
    """What an override key written by a person refers to, as a reference identity."""
    text = written.strip()
    if text.startswith(("http://", "https://")):
        return f"url:{canonical_url(text)}"
    if text.startswith(("url:", "arxiv:")):
        return text
    return f"title:{normalize(text.removeprefix('title:'))}"


def load_overrides(path: Path) -> Overrides:
    """Read ``overrides.yaml``; a missing file means no overrides."""
    if not path.exists():
        return Overrides()
    file = display(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader) or {}
    except _DuplicateKey as dup:
        message = (
            f"{dup.key!r} is written twice (first at line {dup.first}); YAML would keep only "
            "this one and silently drop the first: merge the two"
        )
        raise OverridesError(file, message, dup.again) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(err, "problem", None) or str(err)
        raise OverridesError(file, f"not valid YAML: {problem}", line) from None
    except UnicodeDecodeError as err:
        raise OverridesError(file, f"not UTF-8 ({err.reason})") from None
    if not isinstance(data, dict) or set(data) - set(SECTIONS):
        raise OverridesError(file, f"top-level keys must be among {SECTIONS}")
    by_identity: dict[str, Override] = {}
    for written, override in _entries(data, file):
        by_identity[identity_of(written)] = override
    return Overrides(by_identity)


def _entries(data: dict, file: str) -> list[tuple[str, Override]]:
    pins = data.get(Decision.ARXIV) or {}
    skips = data.get(Decision.NOT_A_PAPER) or []
    elsewhere = data.get(Decision.NOT_ON_ARXIV) or {}
    if not (isinstance(pins, dict) and isinstance(skips, list) and isinstance(elsewhere, dict)):
        raise OverridesError(file, "'arxiv' and 'not-on-arxiv' are mappings, 'not-a-paper' a list")
    entries = [(str(title), _pin(title, arxiv_id, file)) for title, arxiv_id in pins.items()]
    entries += [(str(item), Override(Decision.NOT_A_PAPER)) for item in skips]
    entries += [
        (str(item), Override(Decision.NOT_ON_ARXIV, manual_key=str(key or "")))
        for item, key in elsewhere.items()
    ]
    return entries


def _pin(title: object, arxiv_id: object, file: str) -> Override:
    if not isinstance(arxiv_id, str) or not is_valid_id(arxiv_id):
        raise OverridesError(file, f"{title!r}: {arxiv_id!r} is not an arXiv ID (quote it)")
    return Override(Decision.ARXIV, arxiv_id=arxiv_id)
