"""Closed integer intervals: merging, intersection, containment and total length."""

from __future__ import annotations

Interval = tuple[int, int]


def check(interval: Interval) -> Interval:
    start, end = interval
    if start > end:
        raise ValueError(f"interval {interval} ends before it starts")
    return interval


def merge(intervals: list[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same points; touching ones join."""
    merged: list[Interval] = []
    for start, end in sorted(check(i) for i in intervals):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def intersect(a: Interval, b: Interval) -> Interval | None:
    start = max(check(a)[0], check(b)[0])
    end = min(a[1], b[1])
    return (start, end) if start <= end else None


def contains(intervals: list[Interval], point: int) -> bool:
    """Whether a point lies in any interval (binary search over the merged list)."""
    merged = merge(intervals)
    low, high = 0, len(merged) - 1
    while low <= high:
        middle = (low + high) // 2
        start, end = merged[middle]
        if point < start:
            high = middle - 1
        elif point > end:
            low = middle + 1
        else:
            return True
    return False


def total_length(intervals: list[Interval]) -> int:
    """How many integer points the intervals cover together."""
    return sum(end - start + 1 for start, end in merge(intervals))


def gaps(intervals: list[Interval]) -> list[Interval]:
    """The uncovered stretches between the merged intervals."""
    merged = merge(intervals)
    return [(a[1] + 1, b[0] - 1) for a, b in zip(merged, merged[1:])]
