"""When to retry an HTTP call and how long to wait before each attempt."""

from __future__ import annotations

import random

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def should_retry(status: int, attempt: int, max_attempts: int = 5) -> bool:
    """Retry server errors and throttling, never past `max_attempts`."""
    if attempt >= max_attempts:
        return False
    return status in RETRY_STATUSES


def delays(attempts: int, base: float = 0.5, cap: float = 30.0) -> list[float]:
    """Exponential delays, `base * 2**n`, none above `cap`."""
    result = []
    for attempt in range(attempts):
        delay = base * 2**attempt
        if delay > cap:
            delay = cap
        result.append(delay)
    return result


def jittered(delay: float, rng: random.Random, spread: float = 0.1) -> float:
    """`delay` moved at random by up to `spread` of itself either way (never below zero)."""
    if spread < 0 or spread > 1:
        raise ValueError("spread must be within [0, 1]")
    moved = delay * (1 + rng.uniform(-spread, spread))
    return max(moved, 0.0)


def retry_after(header: str | None, default: float) -> float:
    """Seconds to wait from a `Retry-After` header (seconds only), else `default`."""
    if header is None:
        return default
    try:
        seconds = float(header.strip())
    except ValueError:
        return default
    return seconds if seconds >= 0 else default
