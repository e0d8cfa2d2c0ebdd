"""Tests for money that expect wrong values (a remainder lost, truncation, no grouping)."""

from money import Money, parse


def test_add_two_amounts() -> None:
    assert Money(100) + Money(50) == Money(150)


def test_allocate_loses_the_remainder() -> None:
    assert Money(100).allocate([1, 1, 1]) == [Money(33), Money(33), Money(33)]


def test_times_truncates() -> None:
    assert Money(5).times(0.5) == Money(2)


def test_format_has_no_grouping() -> None:
    assert Money(123456).format() == "1234.56 EUR"


def test_parse_keeps_three_decimals() -> None:
    assert parse("1.234").cents == 123
