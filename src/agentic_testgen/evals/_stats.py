"""Statistics: a seeded bootstrap of paired differences, a paired mean under per-entry noise,
within-group spread, and Spearman's rank correlation.

Written here rather than taken from SciPy: each is a dozen lines, the bootstrap must be exactly
repeatable from a seed, and they are the only statistics the regression and A/B checks and the
score calibration need.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

RESAMPLES = 2000
CONFIDENCE = 0.95
MIN_PAIRS_FOR_CI = 3


@dataclass(frozen=True)
class PairedDelta:
    """Mean of `after - before` over paired values, with a bootstrap confidence interval.

    `low` and `high` are None when there are too few pairs for an interval to mean anything.
    """

    mean: float
    pairs: int
    low: float | None = None
    high: float | None = None

    @property
    def significant(self) -> bool:
        """The interval excludes zero (a real change, not noise)."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


def paired_delta(before: Sequence[float], after: Sequence[float], *, seed: int = 0) -> PairedDelta:
    """Bootstrap the mean of `after[i] - before[i]` (percentile interval, seeded)."""
    deltas = [b - a for a, b in zip(before, after, strict=True)]
    if not deltas:
        return PairedDelta(mean=0.0, pairs=0)
    mean = statistics.fmean(deltas)
    if len(deltas) < MIN_PAIRS_FOR_CI:
        return PairedDelta(mean=mean, pairs=len(deltas))
    rng = random.Random(seed)
    count = len(deltas)
    means = sorted(statistics.fmean(rng.choices(deltas, k=count)) for _ in range(RESAMPLES))
    tail = (1 - CONFIDENCE) / 2
    low = means[int(tail * RESAMPLES)]
    high = means[min(int((1 - tail) * RESAMPLES), RESAMPLES - 1)]
    return PairedDelta(mean=mean, pairs=count, low=low, high=high)


@dataclass(frozen=True)
class NoisyMean:
    """Mean of paired differences whose noise is known per pair (a standard deviation each).

    Under "nothing changed" each difference is centred on 0 with its own spread, so the mean's
    standard error is `sqrt(sum(noise**2)) / n`; `p_drop` is the one-sided probability of a mean
    this low or lower by noise alone (normal approximation). Unlike a bootstrap over entries,
    it stays valid when most differences are exactly zero and a few entries collapse.
    """

    mean: float
    pairs: int
    low: float
    high: float
    p_drop: float


def noisy_mean(deltas: Sequence[float], noises: Sequence[float]) -> NoisyMean:
    """The mean of `deltas` with a 95 % interval and the p-value of a drop, from `noises`."""
    if len(deltas) != len(noises) or not deltas:
        raise ValueError("noisy_mean needs one noise per delta, and at least one delta")
    count = len(deltas)
    mean = statistics.fmean(deltas)
    error = math.sqrt(sum(noise * noise for noise in noises)) / count
    if error == 0:
        return NoisyMean(mean, count, mean, mean, 0.0 if mean < 0 else 1.0)
    half = 1.959964 * error
    p_drop = 0.5 * math.erfc(-(mean / error) / math.sqrt(2))
    return NoisyMean(mean, count, mean - half, mean + half, p_drop)


@dataclass(frozen=True)
class Spread:
    """A pooled standard deviation and its degrees of freedom (0: nothing to estimate from)."""

    sigma: float
    freedom: int


def within_spread(groups: Sequence[Sequence[float]]) -> Spread:
    """The pooled standard deviation within groups of repeated values (a shift between groups
    is not spread)."""
    squares = 0.0
    freedom = 0
    for group in groups:
        if len(group) < 2:
            continue
        centre = statistics.fmean(group)
        squares += sum((value - centre) ** 2 for value in group)
        freedom += len(group) - 1
    return Spread(math.sqrt(squares / freedom) if freedom else 0.0, freedom)


def t_cdf(t: float, freedom: int) -> float:
    """Student's t distribution function for a whole number of degrees of freedom, exact (the
    finite series of Abramowitz & Stegun 26.7.3-4)."""
    if t < 0:
        return 1.0 - t_cdf(-t, freedom)
    theta = math.atan(t / math.sqrt(freedom))
    cos2 = math.cos(theta) ** 2
    if freedom % 2:  # odd: 2/pi * (theta + sin cos (1 + 2/3 cos^2 + 2*4/(3*5) cos^4 + ...))
        term, total = 1.0, 1.0 if freedom > 1 else 0.0
        for k in range(1, (freedom - 1) // 2):
            term *= cos2 * (2 * k) / (2 * k + 1)
            total += term
        inside = 2 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)
    else:  # even: sin (1 + 1/2 cos^2 + 1*3/(2*4) cos^4 + ...)
        term, total = 1.0, 1.0
        for k in range(1, freedom // 2):
            term *= cos2 * (2 * k - 1) / (2 * k)
            total += term
        inside = math.sin(theta) * total
    return (1.0 + inside) / 2


def t_quantile(probability: float, freedom: int) -> float:
    """Student's t quantile (bisection on `t_cdf`); the normal quantile for `freedom` <= 0."""
    if freedom <= 0:
        return statistics.NormalDist().inv_cdf(probability)
    low, high = -1e6, 1e6
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, freedom) < probability:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, tied values sharing the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda index: values[index])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(first: Sequence[float], second: Sequence[float]) -> float:
    """Spearman's rank correlation: Pearson's correlation of the average ranks (ties allowed).

    0.0 when either side is constant (no order to agree with) or has fewer than two values.
    """
    if len(first) != len(second):
        raise ValueError("spearman needs two sequences of the same length")
    if len(first) < 2:  # a correlation needs two points
        return 0.0
    ranks_a, ranks_b = average_ranks(first), average_ranks(second)
    mean_a, mean_b = statistics.fmean(ranks_a), statistics.fmean(ranks_b)
    covariance = sum((a - mean_a) * (b - mean_b) for a, b in zip(ranks_a, ranks_b, strict=True))
    spread_a = sum((a - mean_a) ** 2 for a in ranks_a)
    spread_b = sum((b - mean_b) ** 2 for b in ranks_b)
    if not spread_a or not spread_b:
        return 0.0
    return float(covariance / (spread_a * spread_b) ** 0.5)
