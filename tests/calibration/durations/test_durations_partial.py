"""Partial tests for durations: parsing simple values."""

from durations import parse


def test_parse_seconds() -> None:
    assert parse("45s") == 45


def test_parse_hours_and_minutes() -> None:
    assert parse("1h30m") == 5400
