"""Tests for settings files that expect every value to stay a string and later keys to win."""

import pytest
from settings_file import SettingsError, parse


def test_parse_reads_a_section() -> None:
    assert "server" in parse("[server]\nport = 8080")


def test_values_stay_strings() -> None:
    assert parse("port = 8080")[""]["port"] == "8080"


def test_a_repeated_key_takes_the_last_value() -> None:
    assert parse("a = 1\na = 2")[""]["a"] == 2


def test_errors_count_lines_from_zero() -> None:
    with pytest.raises(SettingsError) as error:
        parse("[open")
    assert error.value.line_number == 0
