"""Paired statistics over the entries two runs share: a seeded bootstrap of the mean difference.

Written here rather than taken from SciPy: it is a dozen lines, it must be exactly repeatable
from a seed, and it is the only statistic the regression and A/B checks need.
"""

from __future__ import annotations

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
