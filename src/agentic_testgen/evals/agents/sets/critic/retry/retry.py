"""Retrying an operation that fails for a while: delays that back off, jitter, and the loop."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def backoff_delays(attempts: int, base: float = 0.5, cap: float = 30.0) -> list[float]:
    """The wait before each retry of `attempts` tries: `base`, doubled each time, at most `cap`."""
    if attempts < 1:
        raise ValueError("at least one attempt is needed")
    return [min(cap, base * 2**n) for n in range(attempts - 1)]


def jittered(delay: float, spread: float = 0.5, rng: random.Random | None = None) -> float:
    """`delay` moved by up to `spread` of itself either way, so clients do not retry in step."""
    rng = rng or random.Random()
    return delay * (1 + rng.uniform(-spread, spread))


def retry(
    operation: Callable[[], T],
    attempts: int = 3,
    retry_on: tuple[type[BaseException], ...] = (OSError,),
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call `operation` until it returns, sleeping between failures; the last error propagates."""
    for delay in backoff_delays(attempts):
        try:
            return operation()
        except retry_on:
            sleep(delay)
    return operation()
