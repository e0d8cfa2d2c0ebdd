import pytest
from rate_limiter import TokenBucket


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_burst_up_to_capacity_then_refuse():
    clock = FakeClock()
    bucket = TokenBucket(rate=1, capacity=2, clock=clock)
    assert [bucket.allow(), bucket.allow(), bucket.allow()] == [True, True, False]


def test_tokens_refill_with_time():
    clock = FakeClock()
    bucket = TokenBucket(rate=2, capacity=2, clock=clock)
    bucket.allow(2)
    assert bucket.wait_time() == 0.5
    clock.now = 0.5
    assert bucket.allow()


def test_cost_above_capacity_is_rejected():
    with pytest.raises(ValueError):
        TokenBucket(1, 1).allow(2)
