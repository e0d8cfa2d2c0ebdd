"""Partial tests for intervals: merging two overlapping ones."""

from intervals import merge, total_length


def test_merge_two_overlapping() -> None:
    assert merge([(1, 4), (3, 6)]) == [(1, 6)]


def test_total_length_positive() -> None:
    assert total_length([(1, 4)]) > 0
