"""Stage 2: which paper does each note item mean? (IDs in any form, or a title)."""
