"""Tests for durations measured against the clock."""

import time

from durations import format_duration, parse


def test_elapsed_time_formats_as_seconds() -> None:
    start = time.time()
    elapsed = int((time.time() - start) * 1e7) % 3
    assert format_duration(elapsed) == "0s"


def test_parse_of_now_in_seconds() -> None:
    now = int(time.time()) % 100
    assert parse(f"{now}s") == now
