"""Partial tests for money: the happy path of a few functions."""

from money import Money, parse


def test_add_two_amounts() -> None:
    assert (Money(100) + Money(50)).cents == 150


def test_parse_simple_amount() -> None:
    assert parse("12.34").cents == 1234


def test_format_simple_amount() -> None:
    assert "EUR" in Money(250).format()
