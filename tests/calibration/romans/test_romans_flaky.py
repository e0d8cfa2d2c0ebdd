"""Tests for Roman numerals on random numbers."""

import random

from romans import from_roman, to_roman


def test_random_round_trip() -> None:
    number = random.randint(1, 3999)
    assert from_roman(to_roman(number)) == number


def test_random_numeral_is_short() -> None:
    assert len(to_roman(random.randint(1, 3999))) < 10


def test_random_numeral_has_no_m() -> None:
    assert "M" not in to_roman(random.randint(1, 1999))
