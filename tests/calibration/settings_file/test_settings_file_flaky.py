"""Tests for settings files that write today's date and random ports into the text."""

import datetime
import random

from settings_file import parse


def test_random_port_is_read_back() -> None:
    port = random.randint(1, 65535)
    assert parse(f"port = {port}")[""]["port"] == port


def test_random_port_is_a_privileged_one() -> None:
    port = random.randint(1, 2048)
    assert parse(f"port = {port}")[""]["port"] < 1024


def test_timestamp_seconds_are_even() -> None:
    now = datetime.datetime.now()
    assert parse(f"stamp = {now.microsecond}")[""]["stamp"] % 2 == 0
