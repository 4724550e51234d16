"""``python -m garden build-pages DIR``: the garden without MkDocs, as plain Markdown + assets."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from garden.build import Project, build_pages

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "garden", "build-pages", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def project(tmp_path: Path) -> Path:
    for name in ("docs", "notes", "bib"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def test_writes_the_same_files_the_site_is_built_from(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(str(out), "--root", str(ROOT))
    assert result.returncode == 0, result.stderr
    site = build_pages(Project(ROOT)).site
    files = {**site.pages, **site.assets}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk == set(files)
    for uri, content in files.items():
        assert (out / uri).read_text("utf-8") == content, uri
    # the home page is the hand-written intro with the topics put in, as on the site
    assert (out / "index.md").read_text("utf-8").startswith("# Research garden")
    assert "| Topic | Items | Papers | Notes |" in (out / "index.md").read_text("utf-8")
    again = run(str(out), "--root", str(ROOT))
    assert "(0 changed)" in again.stderr


def test_a_bad_note_is_a_warning_and_strict_fails(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "notes/zz-bad.md").write_bytes(b"---\ntitle: [broken\n---\n## Fine topic\n+ item\n")
    out = tmp_path / "out"
    result = run(str(out), "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "warning: notes/zz-bad.md:2: front matter is not valid YAML" in result.stderr
    assert (out / "topics/fine-topic.md").is_file()
    strict = run(str(tmp_path / "strict"), "--root", str(root), "--strict")
    assert strict.returncode == 1 and not (tmp_path / "strict").exists()
    assert "Traceback" not in result.stderr + strict.stderr


def test_a_broken_bibliography_is_fatal_and_located(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "bib/refmap.json").write_text("{broken", encoding="utf-8")
    (root / "bib/manual.bib").write_text("@misc{x, title={unclosed\n", encoding="utf-8")
    result = run(str(tmp_path / "out"), "--root", ".", cwd=root)
    assert result.returncode == 2
    assert result.stderr.startswith("error: bib/")
    assert "Traceback" not in result.stderr


def test_mkdocs_garden_options_are_checked(tmp_path: Path) -> None:
    from garden.build import OptionsError, Project

    assert Project.from_options(tmp_path, {"notes": "papers-notes"}).notes == "papers-notes"
    assert Project.from_options(tmp_path, None) == Project(tmp_path)
    for bad, message in [
        ({"note": "x"}, "extra.garden.note: unknown option; known: bib, notes"),
        ({"bib": 3}, "extra.garden.bib: must be a folder name, not 3"),
        ({"bib": "../elsewhere"}, "must be a folder inside the project"),
        (["notes"], "extra.garden must be a mapping"),
    ]:
        try:
            Project.from_options(tmp_path, bad)
        except OptionsError as exc:
            assert message in str(exc)
        else:
            raise AssertionError(f"{bad!r} accepted")


def test_a_mistyped_option_stops_mkdocs_with_a_clear_message(tmp_path: Path) -> None:
    root = project(tmp_path)
    for name in ("mkdocs.yml", "hooks.py"):
        shutil.copy(ROOT / name, root / name)
    config = (root / "mkdocs.yml").read_text("utf-8").replace("    bib: bib\n", "    bibs: bib\n")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(root / "site")],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
    )
    assert result.returncode == 1
    assert "extra.garden.bibs: unknown option; known: bib, notes" in result.stderr
    assert "Traceback" not in result.stderr


def test_forked_generation_gives_the_same_files(monkeypatch, request) -> None:  # noqa: ANN001
    """With more than one worker a large garden's notes, related papers and some page families
    are read or computed in forked processes (garden.notes.read.load_notes_beside,
    garden.join.similar.vectorize_beside, garden.pages.site BESIDE); the seed garden, made to
    count as large, gives the same files, titles and warnings as one process, in the same
    order."""
    from garden import workers
    from garden.join import similar
    from garden.notes import read
    from garden.pages import site

    monkeypatch.setenv(workers.WORKERS_ENV, "1")
    one = build_pages(Project(ROOT))
    monkeypatch.setattr(similar, "FORK_AT", 2)
    monkeypatch.setattr(site, "FORK_AT", 2)
    monkeypatch.setattr(read, "FORK_AT", 2)
    forked = request.getfixturevalue("forks")  # two workers from here on
    two = build_pages(Project(ROOT))
    assert len(forked) == 3  # the notes, the related papers, the pages beside
    assert list(two.site.files) == list(one.site.files)
    assert two.site.files == one.site.files
    assert two.site.titles == one.site.titles
    assert two.site.problems_of == one.site.problems_of
    assert two.warnings == one.warnings
    assert two.garden.similar == one.garden.similar
