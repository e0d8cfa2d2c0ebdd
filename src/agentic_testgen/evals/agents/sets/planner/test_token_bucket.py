import pytest

from token_bucket import TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_full_bucket_gives_tokens_until_empty():
    bucket = TokenBucket(rate=1.0, capacity=2, clock=Clock())
    assert [bucket.take(), bucket.take(), bucket.take()] == [True, True, False]


def test_tokens_come_back_with_time():
    clock = Clock()
    bucket = TokenBucket(rate=2.0, capacity=2, clock=clock)
    assert bucket.take(2)
    assert bucket.wait_time() == 0.5
    clock.now = 0.5
    assert bucket.wait_time() == 0.0
    assert bucket.take()


def test_a_zero_rate_is_refused():
    with pytest.raises(ValueError):
        TokenBucket(rate=0, capacity=1)
