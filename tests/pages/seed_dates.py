"""Fixed dates for the seed notes in golden tests: the pages must not depend on the checkout.

A real build dates each note by git (``garden.notes.history``); a golden cannot, as a shallow
clone or a copy without ``.git`` dates the notes differently.
"""

SEED_DATES = {
    "notes/reading-list-2023.md": "2023-12-30T18:00:00+01:00",
    "notes/research-map.md": "2026-11-24T08:26:35+00:00",
    "notes/llm-internals.md": "2026-12-01T09:30:00+00:00",
}
