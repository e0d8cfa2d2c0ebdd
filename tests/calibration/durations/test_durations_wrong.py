"""Tests for durations that expect minutes where there are seconds and any order."""

from durations import format_duration, parse


def test_parse_seconds() -> None:
    assert parse("45s") == 45


def test_a_bare_number_is_minutes() -> None:
    assert parse("90") == 5400


def test_units_may_come_in_any_order() -> None:
    assert parse("30m1h") == 5400


def test_format_zero_is_empty() -> None:
    assert format_duration(0) == ""
