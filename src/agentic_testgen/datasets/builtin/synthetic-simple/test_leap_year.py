import pytest
from leap_year import days_in_february, is_leap


@pytest.mark.parametrize(("year", "leap"), [(2000, True), (1900, False), (2024, True), (2023, False)])
def test_is_leap_follows_the_gregorian_rules(year, leap):
    assert is_leap(year) is leap


def test_february_length():
    assert days_in_february(2024) == 29
    assert days_in_february(2023) == 28
