"""Tests for intervals that call every function and check nothing."""

from intervals import contains, gaps, intersect, merge, total_length


def test_all() -> None:
    spans = [(1, 3), (2, 5), (9, 12)]
    merge(spans)
    intersect((1, 5), (3, 8))
    contains(spans, 4)
    contains(spans, 7)
    total_length(spans)
    gaps(spans)
