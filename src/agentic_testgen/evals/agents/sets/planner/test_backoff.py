import random

import pytest

from backoff import delays, jittered, retry_after, should_retry


def test_a_server_error_is_retried():
    assert should_retry(503, attempt=1) is True


def test_a_client_error_is_not_retried():
    assert should_retry(404, attempt=1) is False


def test_delays_double_each_attempt():
    assert delays(3, base=1.0) == [1.0, 2.0, 4.0]


def test_jitter_stays_within_its_spread():
    delay = jittered(10.0, random.Random(7), spread=0.2)
    assert 8.0 <= delay <= 12.0


def test_a_spread_above_one_is_refused():
    with pytest.raises(ValueError):
        jittered(1.0, random.Random(0), spread=2)


def test_a_missing_header_gives_the_default():
    assert retry_after(None, 3.0) == 3.0


def test_a_header_in_seconds_is_read():
    assert retry_after(" 12 ", 3.0) == 12.0
