"""Tests for intervals written as if they were half-open."""

from intervals import contains, merge, total_length


def test_merge_two_overlapping() -> None:
    assert merge([(1, 4), (3, 6)]) == [(1, 6)]


def test_touching_intervals_stay_apart() -> None:
    assert merge([(1, 3), (4, 6)]) == [(1, 3), (4, 6)]


def test_the_end_is_not_contained() -> None:
    assert not contains([(1, 3)], 3)


def test_length_is_end_minus_start() -> None:
    assert total_length([(1, 3)]) == 2
