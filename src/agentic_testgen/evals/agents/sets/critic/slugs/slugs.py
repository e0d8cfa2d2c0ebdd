"""URL slugs: lower-case words joined by hyphens, unique among the slugs already taken."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 50


def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """`text` as a slug: accents dropped, every run of other characters one hyphen, and cut
    at a hyphen when longer than `max_length`."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def unique_slug(text: str, taken: set[str]) -> str:
    """A slug of `text` not in `taken`: the plain one, else with -2, -3... appended."""
    base = slugify(text) or "item"
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug
