"""The safety scan of a page filled into its chrome reads the page's content and what follows
it (garden.checks.inert.ChromeScan), not the chrome before it: in real builds of the seed and
the hostile gardens, with the pages rendered by two processes as on any machine of two cores
or more, it passes a page only where the scan of the whole page finds nothing."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.corpus import build, make_project
from tests.projects import add_hook, copy_project, remove_hook

# Every page the scan passes by its content is scanned whole too; each process of the build
# appends what it saw to LOG.
PROBE = """
import os

from garden.checks import inert

os.environ["GARDEN_BUILD_WORKERS"] = "2"
_filled = inert.SiteScan.filled


def _checked(self, plan, values, page):
    passed = _filled(self, plan, values, page)
    whole = self.found(plan.chrome.fill(*values), page)
    what = "MISSED" if passed and whole else "PASSED" if passed else "WHOLE"
    with open({log!r}, "a", encoding="utf-8") as log:
        log.write(what + " " + page + "\\n")
    return passed


inert.SiteScan.filled = _checked
"""


def test_a_page_passes_by_its_content_only_where_the_whole_page_is_clean(tmp_path: Path) -> None:
    (tmp_path / "seed").mkdir()
    (tmp_path / "hostile").mkdir()
    seed = copy_project(tmp_path / "seed")
    hostile = make_project(tmp_path / "hostile", generated=False)
    for project, strict in ((seed, True), (hostile, False)):
        log = tmp_path / f"{project.parent.name}.log"
        remove_hook(project)
        add_hook(project, PROBE.format(log=str(log)))
        done = build(project, tmp_path / f"{project.parent.name}-site", strict=strict)
        assert done.returncode == 0, done.stderr[-3000:]
        seen = [line.split(" ", 1) for line in log.read_text(encoding="utf-8").splitlines()]
        missed = [page for what, page in seen if what == "MISSED"]
        passed = {page for what, page in seen if what == "PASSED"}
        assert not missed, missed[:10]
        kinds = {page.split("/")[0] for page in passed}
        assert kinds == {"papers", "authors", "topics"} and len(passed) > 40, (kinds, len(passed))
