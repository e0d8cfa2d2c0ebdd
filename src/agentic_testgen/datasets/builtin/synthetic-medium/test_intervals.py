import pytest
from intervals import covers, merge, total_length


def test_overlapping_and_adjacent_intervals_merge():
    assert merge([(5, 8), (1, 3), (4, 4), (10, 12)]) == [(1, 8), (10, 12)]


def test_covers_finds_points_inside():
    assert covers([(1, 3)], 2)
    assert not covers([(1, 3)], 4)


def test_total_length_counts_each_point_once():
    assert total_length([(1, 5), (3, 7)]) == 7


def test_reversed_interval_is_rejected():
    with pytest.raises(ValueError):
        merge([(3, 1)])
