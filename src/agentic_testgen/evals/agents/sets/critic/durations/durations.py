"""Durations written as `1h30m`, `90s` or `2d`: parsed to seconds, written back, and used to
tell whether something has outlived its time to live."""

from __future__ import annotations

import re
import time

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_PART = re.compile(r"(\d+)([dhms])")


def parse_duration(text: str) -> int:
    """The seconds in `text`: number-unit pairs (`1h30m`), each unit once, largest first."""
    text = text.strip().lower()
    if not text:
        raise ValueError("empty duration")
    position, total, last = 0, 0, None
    for match in _PART.finditer(text):
        if match.start() != position:
            raise ValueError(f"unexpected {text[position : match.start()]!r} in {text!r}")
        unit = match.group(2)
        if last is not None and _UNITS[unit] >= _UNITS[last]:
            raise ValueError(f"{unit!r} after {last!r} in {text!r}")
        total += int(match.group(1)) * _UNITS[unit]
        position, last = match.end(), unit
    if position != len(text):
        raise ValueError(f"unexpected {text[position:]!r} in {text!r}")
    return total


def format_duration(seconds: int) -> str:
    """`seconds` as `1h 30m`: the units that are not zero, largest first; `0s` for zero."""
    if seconds < 0:
        raise ValueError("a duration is never negative")
    parts = []
    for unit, size in _UNITS.items():
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return " ".join(parts) or "0s"


def is_expired(created: float, ttl: float, now: float | None = None) -> bool:
    """Whether what was created at `created` (epoch seconds) has outlived `ttl` seconds."""
    current = time.time() if now is None else now
    return current - created >= ttl
