"""Print what the build guessed (split comments, fuzzy titles, unclassified links) as Markdown.

Usage: ``scripts/review.py [ROOT]`` (ROOT: the project with notes/ and bib/, default: here).
Exit status 0, or 2 when the notes or bib/ cannot be read.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from garden.bibliography.library import LibraryError  # noqa: E402
from garden.build import Project, build_pages  # noqa: E402
from garden.notes import NoteError  # noqa: E402
from garden.pages.review import review_report  # noqa: E402


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else ".")
    if not (root / "notes").is_dir():
        print(f"error: {root / 'notes'}: no notes folder", file=sys.stderr)
        return 2
    try:
        built = build_pages(Project(root))
    except (LibraryError, NoteError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(review_report(built.garden), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
