"""Partial tests for Roman numerals: a few conversions one way."""

from romans import to_roman


def test_small_numbers() -> None:
    assert to_roman(3) == "III"
    assert to_roman(10) == "X"
