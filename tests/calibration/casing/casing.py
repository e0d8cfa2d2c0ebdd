"""Convert identifiers between snake_case, camelCase, kebab-case and Title Case; truncate text."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def words(identifier: str) -> list[str]:
    """The lower-case words of an identifier in any of the supported styles."""
    spaced = _BOUNDARY.sub(" ", identifier)
    return [word.lower() for word in re.split(r"[\s_\-]+", spaced) if word]


def to_snake(identifier: str) -> str:
    return "_".join(words(identifier))


def to_kebab(identifier: str) -> str:
    return "-".join(words(identifier))


def to_camel(identifier: str) -> str:
    parts = words(identifier)
    if not parts:
        return ""
    return parts[0] + "".join(part.capitalize() for part in parts[1:])


def to_title(identifier: str, small: frozenset[str] = frozenset({"a", "of", "the"})) -> str:
    """Title Case, keeping small words lower except the first."""
    parts = words(identifier)
    return " ".join(
        part if index and part in small else part.capitalize()
        for index, part in enumerate(parts)
    )


def truncate(text: str, width: int, ellipsis: str = "...") -> str:
    """At most `width` characters, cut at a word boundary when one is near the end."""
    if width < len(ellipsis):
        raise ValueError("width is smaller than the ellipsis")
    if len(text) <= width:
        return text
    cut = text[: width - len(ellipsis)]
    space = cut.rfind(" ")
    if space > len(cut) // 2:
        cut = cut[:space]
    return cut.rstrip() + ellipsis
