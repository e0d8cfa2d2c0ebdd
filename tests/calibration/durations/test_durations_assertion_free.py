"""Tests for durations that only check nothing crashes."""

from durations import add, format_duration, parse


def test_round_trip() -> None:
    for text in ["1h30m", "2d 4h", "45s", "90"]:
        format_duration(parse(text))


def test_add() -> None:
    add("1h", "30m")
