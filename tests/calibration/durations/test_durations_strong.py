"""Strong tests for durations: every unit, ordering rules, bad text and formatting."""

import pytest
from durations import DurationError, add, format_duration, parse


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("45s", 45), ("1m", 60), ("1h30m", 5400), ("2d 4h", 187200), (" 90 ", 90),
     ("1H 1M 1S", 3661), ("0s", 0), ("1d1s", 86401)],
)  # fmt: skip
def test_parse_reads_every_unit(text: str, seconds: int) -> None:
    assert parse(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty duration"), ("  ", "empty duration"), ("30m1h", "out of order"),
     ("1m1m", "out of order"), ("x1h", "unexpected text"), ("1h x", "unexpected text"),
     ("abc", "unexpected text"), ("1h2", "unexpected text")],
)  # fmt: skip
def test_parse_refuses_what_is_not_a_duration(text: str, message: str) -> None:
    with pytest.raises(DurationError, match=message):
        parse(text)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (59, "59s"), (60, "1m"), (3661, "1h1m1s"), (86400, "1d"), (90061, "1d1h1m1s")],
)
def test_format_gives_the_shortest_form(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


def test_negative_durations_cannot_be_formatted() -> None:
    with pytest.raises(ValueError, match="not negative"):
        format_duration(-1)


def test_add_sums_two_durations() -> None:
    assert add("1h", "30m") == "1h30m"
    assert add("59s", "1s") == "1m"
    assert add("0s", "0") == "0s"
