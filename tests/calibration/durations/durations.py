"""Parse and format durations such as '1h30m', '45s' or '2d 4h'."""

from __future__ import annotations

import re

UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_PART = re.compile(r"(\d+)\s*([dhms])")


class DurationError(ValueError):
    """Text that is not a duration."""


def parse(text: str) -> int:
    """Seconds in `text`; units in decreasing order, each at most once."""
    compact = text.strip().lower()
    if not compact:
        raise DurationError("empty duration")
    if compact.isdigit():
        return int(compact)
    position = 0
    seen: list[str] = []
    total = 0
    for match in _PART.finditer(compact):
        if compact[position : match.start()].strip():
            raise DurationError(f"unexpected text in {text!r}")
        number, unit = int(match.group(1)), match.group(2)
        if seen and list(UNITS).index(unit) <= list(UNITS).index(seen[-1]):
            raise DurationError(f"units out of order in {text!r}")
        seen.append(unit)
        total += number * UNITS[unit]
        position = match.end()
    if not seen or compact[position:].strip():
        raise DurationError(f"unexpected text in {text!r}")
    return total


def format_duration(seconds: int) -> str:
    """The shortest form: '1h30m', '0s' for zero."""
    if seconds < 0:
        raise ValueError("durations are not negative")
    if seconds == 0:
        return "0s"
    parts = []
    for unit, size in UNITS.items():
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def add(first: str, second: str) -> str:
    return format_duration(parse(first) + parse(second))
