"""Research garden: free-form reading notes → references → bibliography → pages → site.

Each stage is a subpackage holding pure functions over small frozen dataclasses:

- ``garden.notes``: parse Markdown notes into ``Note`` → ``NoteTopic`` → ``Section`` → ``Item``.
- ``garden.references``: find the paper each item means (arXiv IDs in any form, titles).
- ``garden.bibliography``: resolve references against arXiv and keep ``bib/`` (BibTeX + maps).
- ``garden.pages``: merge topics across notes and render the generated Markdown pages.
- ``garden.checks``: the note linter and the link checks.

``hooks.py`` at the repository root is the only place that talks to MkDocs.
"""
