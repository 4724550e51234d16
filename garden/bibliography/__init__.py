"""Resolve paper references against arXiv and keep ``bib/`` (BibTeX + the reference map).

- ``records``: ``ArxivRecord``, the metadata of one arXiv paper.
- ``client``: the ``arxiv`` package's client with a timeout, back-off, batching and counting.
- ``match``: decide, locally and conservatively, whether a found title is the one a note means.
- ``keys``: stable BibTeX keys.
- ``bibtex``: ``ArxivRecord`` → pybtex ``Entry``; reading and atomically writing ``.bib`` files.
- ``overrides``: the author's decisions in ``bib/overrides.yaml``.
- ``fetch``: the orchestration: ``PaperRef`` list → ``bib/arxiv.bib`` + ``bib/refmap.json``.
"""
