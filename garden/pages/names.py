"""Names the generated pages write into their HTML that a later stage reads: the search index
(``garden.site_search``) leaves out a paper page's last sections by their ids and the lists
of other pages' titles by their classes. Defined once, here, where the search run can import
them without the pages' modules (its process starts with ~40 ms of imports, not ~350)."""

from __future__ import annotations

# A paper page's last three sections (garden.pages.paper_page). From the first of them on the
# page to its end, search indexes nothing (garden.site_search.unindexed_tail): other papers'
# titles, the same words on every paper page while no citation data is fetched, BibTeX
# repeating the page.
RELATED_ID = "related-papers"
CITATIONS_ID = "citations-in-your-garden"
CITE_ID = "cite"
RELATED_CLASS = "garden-related"  # the related papers' list, which search leaves out
BUTTONS_CLASS = "garden-buttons"  # "Abstract page", "PDF": on every paper, left out of search
# An author's list of papers (garden.pages.authors), which search leaves out: the titles are
# the paper pages' own, and made the author's page a hit for every one of them (a title's
# words fetched their index entries of every author page too).
PAPERS_CLASS = "garden-author-papers"
