"""Tests for money that run the code but check nothing."""

from money import Money, parse


def test_add() -> None:
    Money(100) + Money(50)


def test_times() -> None:
    Money(100).times(1.5)


def test_allocate() -> None:
    Money(100).allocate([1, 2, 3])


def test_format() -> None:
    Money(-12345).format()


def test_parse() -> None:
    parse("1,000.50")
