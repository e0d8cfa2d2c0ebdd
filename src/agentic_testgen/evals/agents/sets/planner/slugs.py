"""URL slugs from titles: lower case, ASCII, words joined by a separator."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def strip_accents(text: str) -> str:
    """`Crème brûlée` -> `Creme brulee`: decomposed, combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slugify(title: str, separator: str = "-", max_length: int | None = None) -> str:
    """The slug of `title`, cut at a word boundary when longer than `max_length`."""
    if not separator:
        raise ValueError("separator must not be empty")
    words = _NOT_WORD.split(strip_accents(title).lower())
    slug = separator.join(word for word in words if word)
    if max_length is None or len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    if separator in cut:
        cut = cut[: cut.rindex(separator)]
    return cut


def unique_slug(title: str, taken: set[str]) -> str:
    """The slug of `title`, numbered (`title-2`, `title-3`...) until it is not taken."""
    base = slugify(title)
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug
