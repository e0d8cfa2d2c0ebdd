"""Byte counts as people write them: `1.5 MB`, `512 KiB`, `2G`."""

from __future__ import annotations

import re

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(i?)B?\s*$", re.IGNORECASE)
_POWERS = {"": 0, "K": 1, "M": 2, "G": 3, "T": 4}


def parse_size(text: str) -> int:
    """The number of bytes `text` names: decimal units (`kB`, `MB`), binary ones (`KiB`).

    >>> parse_size("512")
    512
    >>> parse_size("1.5 MB")
    1500000
    >>> parse_size("2 KiB")
    2048
    >>> parse_size("ten bytes")
    Traceback (most recent call last):
        ...
    ValueError: not a size: 'ten bytes'
    """
    found = _SIZE.match(text)
    if found is None:
        raise ValueError(f"not a size: {text!r}")
    number, unit, binary = found.groups()
    base = 1024 if binary else 1000
    return int(float(number) * base ** _POWERS[unit.upper()])


def format_size(count: int, binary: bool = False) -> str:
    """`count` bytes in the largest unit that keeps the number at least 1.

    >>> format_size(1500000)
    '1.5 MB'
    >>> format_size(2048, binary=True)
    '2 KiB'
    """
    if count < 0:
        raise ValueError("a size is not negative")
    base = 1024 if binary else 1000
    units = ["B", "KiB", "MiB", "GiB", "TiB"] if binary else ["B", "kB", "MB", "GB", "TB"]
    value = float(count)
    for unit in units:
        if value < base or unit == units[-1]:
            return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"
        value /= base
    raise AssertionError("unreachable")
