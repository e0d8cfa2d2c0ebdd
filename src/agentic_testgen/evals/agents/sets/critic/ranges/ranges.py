"""Numeric ranges: clamp a value into one, map a value between two, split one into steps."""

from __future__ import annotations


def clamp(value: float, low: float, high: float) -> float:
    """`value` limited to [low, high]."""
    if low > high:
        raise ValueError(f"empty range: {low} > {high}")
    if value < low:
        return low
    if value > high:
        return high
    return value


def rescale(value: float, source: tuple[float, float], target: tuple[float, float]) -> float:
    """`value` mapped linearly from the `source` range onto the `target` range."""
    (a, b), (c, d) = source, target
    if a == b:
        raise ValueError("the source range has no width")
    return c + (value - a) * (d - c) / (b - a)


def steps(start: float, stop: float, count: int) -> list[float]:
    """`count` evenly spaced values from `start` to `stop`, both included."""
    if count < 2:
        raise ValueError("count must be at least 2")
    width = (stop - start) / (count - 1)
    return [start + i * width for i in range(count)]
