"""A token bucket rate limiter with an injectable clock."""

from __future__ import annotations

import time
from collections.abc import Callable


class TokenBucket:
    """`rate` tokens per second, at most `capacity` saved up."""

    def __init__(
        self, rate: float, capacity: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0 or capacity <= 0:
            raise ValueError("rate and capacity must be positive")
        self.rate = rate
        self.capacity = capacity
        self._clock = clock
        self._tokens = float(capacity)
        self._last = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
        self._last = now

    def take(self, tokens: int = 1) -> bool:
        """Spend `tokens` if the bucket holds them; False (and nothing spent) otherwise."""
        self._refill()
        if tokens > self._tokens:
            return False
        self._tokens -= tokens
        return True

    def wait_time(self, tokens: int = 1) -> float:
        """Seconds until `tokens` can be taken."""
        self._refill()
        missing = tokens - self._tokens
        return max(missing, 0.0) / self.rate
