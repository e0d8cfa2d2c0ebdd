import pytest

from intervals import gaps, merge, total_length


def test_overlapping_intervals_are_merged():
    assert merge([(6, 8), (1, 3), (2, 4)]) == [(1, 4), (6, 8)]


def test_an_empty_interval_is_refused():
    with pytest.raises(ValueError):
        merge([(3, 1)])


def test_the_gaps_between_intervals_are_found():
    assert gaps([(2, 3), (6, 7)], 0, 9) == [(0, 1), (4, 5), (8, 9)]


def test_an_interval_past_the_range_ends_the_search():
    assert gaps([(2, 12)], 0, 10) == [(0, 1)]


def test_intervals_below_the_range_are_ignored():
    assert gaps([(-5, -2), (3, 4)], 0, 6) == [(0, 2), (5, 6)]


def test_lengths_add_up_after_merging():
    assert total_length([(1, 3), (3, 5)]) == 5
