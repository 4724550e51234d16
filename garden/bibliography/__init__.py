"""Resolve paper references against arXiv and keep ``bib/`` (BibTeX + the reference map).

- ``records``: ``ArxivRecord``, the metadata of one arXiv paper.
- ``client``: the ``arxiv`` package's client with a timeout, back-off, batching and counting.
- ``match``: decide, locally and conservatively, whether a found title is the one a note means.
- ``keys``: stable BibTeX keys.
- ``bibtex``: ``ArxivRecord`` → pybtex ``Entry``; reading and atomically writing ``.bib`` files.
- ``overrides``: the author's decisions in ``bib/overrides.yaml``.
- ``storage``: the one atomic write for ``bib/``, the fetch's lock, stale temp files.
- ``state``: ``bib/`` during a fetch; the markers (``not-a-paper``, ...) are defined there.
- ``fetch``: the orchestration: ``PaperRef`` list → ``bib/arxiv.bib`` + ``bib/refmap.json``
  (+ ``bib/unresolved.json``: IDs arXiv does not know, with the date asked).
- ``citations``: ``bib/citations/<key>.json``, what Semantic Scholar says each paper cites;
  ``citations_client`` asks its batch endpoint, ``citations_fetch`` decides what to ask.
- ``library``: the build's read side of ``bib/``.
"""
