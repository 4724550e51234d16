"""mkdocs-bibtex gets a registry over the garden's own ``Library`` (hooks.py
``_bibtex_registry``) instead of parsing ``bib/`` a second time: MkDocs' real config and plugin
events, in process, on a copy of the repository."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs_bibtex.citation import Citation

from garden.bibliography.library import Library, load_library
from tests.projects import copy_project


def test_the_plugin_keeps_the_gardens_registry_and_parses_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)  # the garden's hook first, then the plugin's
    registry = config.plugins["bibtex"].registry
    assert type(registry).__name__ == "_GardenRegistry"
    papers = load_library(project / "bib").papers
    entries = registry.bib_data.entries
    assert sorted(entries) == sorted(papers) and len(entries) > 40
    key = next(iter(papers))
    assert key in entries and key.upper() in entries and "nosuchkey2099" not in entries
    text = registry.reference_text(Citation(key=key.upper()))
    assert papers[key].eprint in text and papers[key].title.split()[0] in text
    # mkdocs build: the registry does not keep the library alive through the rendering
    assert not [part for part in registry.made_from if isinstance(part, Library)]
