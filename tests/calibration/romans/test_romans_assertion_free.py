"""Tests for Roman numerals that convert without checking."""

from romans import from_roman, to_roman


def test_convert_many() -> None:
    for number in (1, 4, 9, 40, 1994, 3999):
        from_roman(to_roman(number))


def test_bad_input() -> None:
    try:
        from_roman("IIII")
    except ValueError:
        pass
