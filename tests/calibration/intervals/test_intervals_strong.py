"""Strong tests for intervals: merging rules, edges of containment, gaps and errors."""

import pytest
from intervals import contains, gaps, intersect, merge, total_length


@pytest.mark.parametrize(
    ("given", "merged"),
    [
        ([], []),
        ([(5, 7), (1, 3)], [(1, 3), (5, 7)]),
        ([(1, 3), (4, 6)], [(1, 6)]),
        ([(1, 10), (2, 3)], [(1, 10)]),
        ([(1, 4), (3, 8), (10, 10)], [(1, 8), (10, 10)]),
        ([(-3, -1), (0, 0)], [(-3, 0)]),
    ],
)
def test_merge_joins_overlapping_and_touching_intervals(given, merged) -> None:
    assert merge(given) == merged


def test_an_interval_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\(3, 1\) ends before it starts"):
        merge([(3, 1)])
    with pytest.raises(ValueError):
        intersect((0, 1), (5, 4))


def test_intersect_gives_the_common_part_or_none() -> None:
    assert intersect((1, 5), (3, 9)) == (3, 5)
    assert intersect((1, 5), (5, 9)) == (5, 5)
    assert intersect((1, 5), (6, 9)) is None
    assert intersect((2, 3), (0, 10)) == (2, 3)


@pytest.mark.parametrize(
    ("point", "inside"),
    [(0, False), (1, True), (3, True), (4, False), (6, True), (8, True), (9, False),
     (20, True), (21, False)],
)  # fmt: skip
def test_contains_checks_both_edges(point: int, inside: bool) -> None:
    assert contains([(6, 8), (1, 3), (20, 20)], point) is inside


def test_nothing_is_contained_in_no_interval() -> None:
    assert contains([], 0) is False


def test_total_length_counts_shared_points_once() -> None:
    assert total_length([(1, 3), (2, 5)]) == 5
    assert total_length([(0, 0)]) == 1
    assert total_length([]) == 0


def test_gaps_lie_between_merged_intervals() -> None:
    assert gaps([(10, 12), (1, 3), (5, 6)]) == [(4, 4), (7, 9)]
    assert gaps([(1, 3), (4, 5)]) == []
