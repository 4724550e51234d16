"""``python -m garden.site_search SITE SHARD_PAGES [--low]``: the sharded Pagefind run, in the
process ``garden.site_search.run.IndexRun`` starts for it."""

from __future__ import annotations

import sys

from garden.site_search.run import main

sys.exit(main(sys.argv[1:]))
