"""Tests for Roman numerals that expect additive forms such as IIII."""

from romans import from_roman, to_roman


def test_small_numbers() -> None:
    assert to_roman(3) == "III"


def test_four_is_written_additively() -> None:
    assert to_roman(4) == "IIII"


def test_additive_forms_are_read() -> None:
    assert from_roman("VIIII") == 9


def test_zero_is_nulla() -> None:
    assert to_roman(0) == "N"
