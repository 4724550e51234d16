"""Check a built site's links: `check_links.py site/` (internal) or `--external site/`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from garden.cli.links import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
