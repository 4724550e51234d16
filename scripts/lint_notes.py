"""Lint notes: `lint_notes.py [PATHS…]` prints file:line:col: level: text, exits 1 on errors."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from garden.cli.lint import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
