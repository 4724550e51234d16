"""Resolve the notes' paper references against arXiv and write bib/: `fetch_arxiv.py --help`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from garden.cli.fetch import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
