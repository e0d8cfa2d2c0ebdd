"""Closed integer intervals: merge overlapping ones, find the gaps between them."""

from __future__ import annotations

from collections.abc import Iterable

Interval = tuple[int, int]


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping or touching intervals joined, sorted by start."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if start > end:
            raise ValueError(f"empty interval ({start}, {end})")
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def gaps(intervals: Iterable[Interval], low: int, high: int) -> list[Interval]:
    """The parts of `[low, high]` no interval covers."""
    found = []
    cursor = low
    for start, end in merge(intervals):
        if end < cursor:
            continue
        if start > cursor:
            found.append((cursor, min(start - 1, high)))
        cursor = max(cursor, end + 1)
        if cursor > high:
            break
    if cursor <= high:
        found.append((cursor, high))
    return [gap for gap in found if gap[0] <= gap[1]]


def total_length(intervals: Iterable[Interval]) -> int:
    return sum(end - start + 1 for start, end in merge(intervals))
