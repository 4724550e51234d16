"""Ask Semantic Scholar what the garden's papers cite; write bib/citations/: `--help`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from garden.cli.citations import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
