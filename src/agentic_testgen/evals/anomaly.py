"""Anomalies in a metric's history: a spike in the latest run, or a slow drift over the window.

The regression check compares one run with a baseline and needs a drop of more than 5 %; a
metric that loses one point per run never crosses that between two runs, and a baseline reset
along the way hides it. These detectors read the whole history of a series (oldest first, a
value per completed suite) instead. Pure functions: no storage, no randomness.

**Spike** (the latest value against the ones before it): the robust z-score
`z = (latest - median) / scale` of Iglewicz & Hoaglin, flagged at `|z| >= 3.5`. `scale` is
1.4826 x the median absolute deviation (MAD) of the earlier values, the standard deviation for
normal noise. Two guards:

- a MAD of 0 (more than half the earlier values equal, usual for deterministic evaluations)
  falls back to 1.2533 x the mean absolute deviation from the median, then to `min_scale`
  (0.01, one point on the 0-1 scale of every atg metric, as the regression check's noise
  floor): a change of 3.5 points after a flat history is a spike, a rounding wobble is not;
- the MAD of a few values is often small by chance, so alone it makes `|z| >= 3.5` a 4.6 %
  event on white noise with 9 earlier values (0.6 % with 29; 20,000 simulated series each).
  `scale` is therefore the larger of it and the noise estimated from the earlier values' first
  differences (below): two estimates of the same noise are rarely both low, and the rate drops
  to 1.6 % (0.2 % with 29).

**Drift** (a trend over the window): the Mann-Kendall test, with Theil-Sen's slope for its size.
Mann-Kendall's `S` counts the pairs of runs that went up minus those that went down; its
normal score `z` (tie-corrected variance, continuity correction) is flagged at
`|z| >= 2.576`, a two-sided `drift_alpha` of 1 %. It was chosen over CUSUM/EWMA (they need a
reference level, itself estimated from the first few runs of a short window, whose error they
accumulate) and over a t-test on the slope (its noise estimate from 10 or 15 runs has heavy
tails, so its false alarms depend on the window): ranks keep its false-alarm rate under the
nominal 1 % for independent noise of any distribution (0.15 to 0.6 % from 10 to 30 runs in
the bench), with no noise estimate at all, and a single outlier moves `S` by at most `n - 1`.
Ranks ignore size, though, and a deterministic series creeping by 0.001 a run is perfectly
monotone; so a drift is flagged only when it also moved the series by at least
`drift_min_change` (2) noise standard deviations over the window: `|slope| x (n - 1) >= 2
sigma`, where `slope` is the Theil-Sen slope (the median of the pairwise slopes, robust to
outliers) and `sigma` = 1.4826 x MAD(first differences) / sqrt(2), at least `min_scale`.
Differences of a steady drift are centred on the drift, so their MAD does not grow with it:
the drift does not hide in its own noise estimate.

Sensitivity with the defaults, on white noise of standard deviation `sigma`, 2,000 seeded
series per cell (`python bench/anomaly_power.py`; docs/observability.md has the table):

- false alarms (spike or drift, flat series), sigma = 3 points (the floor never binds): 5.5 %
  over 5 runs, 2.1 % over 10, 1.4 % over 15, 0.3 % over 30; sigma = 1 point: at most 0.35 %;
- drifts (per run, in sigmas): over 15 runs 0.3 sigma is flagged in 88 % of windows and
  0.5 sigma in 100 %; over 30 runs 0.1 sigma in 87 % and 0.2 sigma in 100 %; over 10 runs
  0.5 sigma in 63 % and 1 sigma in 99.6 %. Over 5 runs no drift can be significant at 1 %
  (Mann-Kendall's smallest two-sided p-value there is 2/120): only spikes are found.
- one point per run under half a point of noise over 15 runs (`tests/evals/test_anomaly.py`):
  200 of 200 seeds flagged, though no step between two runs comes near 5 points.

Both detectors are two-sided: `direction` says "down" or "up" (every atg metric is better
higher, so "down" is the one to alert on). A spike is reported before a drift when both fire.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

Kind = Literal["spike", "drift"]
Direction = Literal["down", "up"]

MAD_TO_SIGMA = 1.4826  # the MAD of normal noise is 0.6745 sigma
MEAN_DEVIATION_TO_SIGMA = math.sqrt(math.pi / 2)  # its mean absolute deviation is 0.7979 sigma
SPIKE_THRESHOLD = 3.5  # Iglewicz & Hoaglin (1993)
DRIFT_ALPHA = 0.01  # two-sided level of the Mann-Kendall test
DRIFT_MIN_CHANGE = 2.0  # noise standard deviations a flagged drift moved over its window
MIN_POINTS = 5
MIN_SCALE = 0.01  # one point on a 0-1 metric: the regression check's NOISE_FLOOR


@dataclass(frozen=True)
class Sensitivity:
    """The detectors' settings; the defaults are those measured in the module docstring.

    `min_scale` is in the series' units: the smallest noise standard deviation assumed, so that
    a perfectly flat history does not make any later wobble infinitely significant.
    """

    spike_threshold: float = SPIKE_THRESHOLD
    drift_alpha: float = DRIFT_ALPHA
    drift_min_change: float = DRIFT_MIN_CHANGE
    min_points: int = MIN_POINTS
    min_scale: float = MIN_SCALE

    @property
    def drift_threshold(self) -> float:
        """The |z| of Mann-Kendall's statistic at which a drift is significant."""
        return statistics.NormalDist().inv_cdf(1 - self.drift_alpha / 2)


DEFAULT_SENSITIVITY = Sensitivity()


@dataclass(frozen=True)
class Anomaly:
    """What the detectors say about one series.

    `statistic` and `threshold` belong to the detector that fired (`kind`), or, when none did,
    to the one closer to firing: the robust z of the latest value for a spike, Mann-Kendall's
    z for a drift; both signed, negative for a drop. `direction` is None when not flagged.
    """

    flagged: bool
    kind: Kind | None
    direction: Direction | None
    statistic: float
    threshold: float
    points: int
    reason: str

    @property
    def signed_flag(self) -> int:
        """-1 for a flagged drop, +1 for a flagged rise, 0 when not flagged."""
        return 0 if self.direction is None else -1 if self.direction == "down" else 1


def robust_sigma(values: Sequence[float]) -> float:
    """1.4826 x MAD; when the MAD is 0, 1.2533 x the mean absolute deviation from the median
    (0 only when every value is the median)."""
    if not values:
        return 0.0
    centre = statistics.median(values)
    deviations = [abs(value - centre) for value in values]
    mad = statistics.median(deviations)
    if mad > 0:
        return MAD_TO_SIGMA * mad
    return MEAN_DEVIATION_TO_SIGMA * statistics.fmean(deviations)


def difference_sigma(values: Sequence[float]) -> float:
    """The noise standard deviation from the first differences: robust_sigma(diffs) / sqrt(2).

    A difference of two independent values has sqrt(2) times their spread, and the MAD is taken
    around the differences' median, so a steady drift (every difference shifted alike) leaves it
    unchanged, and a single step or outlier moves one or two differences only.
    """
    return robust_sigma([after - before for before, after in pairwise(values)]) / math.sqrt(2)


def robust_z(values: Sequence[float], min_scale: float = MIN_SCALE) -> float:
    """The latest value's robust z against the values before it (at least two values).

    `(latest - median(earlier)) / max(robust_sigma(earlier), difference_sigma(earlier),
    min_scale)`.
    """
    if len(values) < 2:
        raise ValueError("robust_z needs the latest value and at least one before it")
    earlier, latest = values[:-1], values[-1]
    scale = max(robust_sigma(earlier), difference_sigma(earlier), min_scale)
    return (latest - statistics.median(earlier)) / scale


def theil_sen_slope(values: Sequence[float]) -> float:
    """The median of the slopes between every two points, per run (0 for fewer than two)."""
    slopes = [
        (values[later] - values[earlier]) / (later - earlier)
        for earlier in range(len(values))
        for later in range(earlier + 1, len(values))
    ]
    return statistics.median(slopes) if slopes else 0.0


def mann_kendall_z(values: Sequence[float]) -> float:
    """Mann-Kendall's trend statistic as a normal score: S = sum of sign(x_j - x_i) over i < j,
    its variance under "no trend" corrected for ties, and a continuity correction of 1."""
    count = len(values)
    s = 0
    for index, value in enumerate(values):
        later = values[index + 1 :]
        s += sum(1 for after in later if after > value) - sum(1 for after in later if after < value)
    ties = sum(t * (t - 1) * (2 * t + 5) for t in Counter(values).values())
    variance = (count * (count - 1) * (2 * count + 5) - ties) / 18
    if s == 0 or variance <= 0:
        return 0.0
    return (s - math.copysign(1, s)) / math.sqrt(variance)


def detect(values: Sequence[float], sensitivity: Sensitivity = DEFAULT_SENSITIVITY) -> Anomaly:
    """Both detectors on one series, oldest value first (see the module docstring)."""
    count = len(values)
    if count < sensitivity.min_points:
        return Anomaly(
            flagged=False, kind=None, direction=None, statistic=0.0, threshold=0.0,
            points=count, reason=f"too few points ({count} < {sensitivity.min_points})",
        )  # fmt: skip
    spike = _spike(values, sensitivity)
    if spike.flagged:
        return spike
    drift = _drift(values, sensitivity)
    if drift.flagged:
        return drift
    closer = max(spike, drift, key=lambda found: abs(found.statistic) / found.threshold)
    return Anomaly(
        flagged=False, kind=None, direction=None, statistic=closer.statistic,
        threshold=closer.threshold, points=count,
        reason=f"no anomaly over {count} runs: {spike.reason}; {drift.reason}",
    )  # fmt: skip


def detect_all(
    histories: Mapping[str, Sequence[float]], sensitivity: Sensitivity = DEFAULT_SENSITIVITY
) -> dict[str, Anomaly]:
    """`detect` on each series of many (a metric name -> its values, oldest first)."""
    return {name: detect(values, sensitivity) for name, values in histories.items()}


def metric_series(runs: Sequence[Mapping[str, float]]) -> dict[str, list[float]]:
    """Each metric's values over the runs that have it, oldest first, for the metrics of the
    latest run (a metric no longer measured has no series to watch)."""
    latest = runs[-1] if runs else {}
    return {name: [run[name] for run in runs if name in run] for name in sorted(latest)}


def _direction(statistic: float) -> Direction:
    return "down" if statistic < 0 else "up"


def _spike(values: Sequence[float], sensitivity: Sensitivity) -> Anomaly:
    z = robust_z(values, sensitivity.min_scale)
    threshold = sensitivity.spike_threshold
    if abs(z) < threshold:
        return Anomaly(False, None, None, z, threshold, len(values),
                       f"latest at robust z {z:+.2f} (a spike from ±{threshold:g})")  # fmt: skip
    direction = _direction(z)
    centre = statistics.median(values[:-1])
    reason = (
        f"spike {direction}: latest {values[-1]:.4g} is {z:+.1f} robust z from the median "
        f"{centre:.4g} of the {len(values) - 1} runs before (flagged from ±{threshold:g})"
    )
    return Anomaly(True, "spike", direction, z, threshold, len(values), reason)


def _drift(values: Sequence[float], sensitivity: Sensitivity) -> Anomaly:
    z = mann_kendall_z(values)
    threshold = sensitivity.drift_threshold
    count = len(values)
    if abs(z) < threshold:
        return Anomaly(False, None, None, z, threshold, count,
                       f"trend z {z:+.2f} (a drift from ±{threshold:.2f})")  # fmt: skip
    slope = theil_sen_slope(values)
    change = slope * (count - 1)
    sigma = max(difference_sigma(values), sensitivity.min_scale)
    needed = sensitivity.drift_min_change * sigma
    if abs(change) < needed:
        reason = (
            f"trend z {z:+.2f}, but a change of {change:+.4g} over the window, under "
            f"{sensitivity.drift_min_change:g} noise sd ({needed:.4g})"
        )
        return Anomaly(False, None, None, z, threshold, count, reason)
    direction = _direction(z)
    reason = (
        f"drift {direction}: {slope:+.4g} per run over {count} runs (Theil-Sen), "
        f"{change:+.4g} in all; trend z {z:+.2f} (flagged from ±{threshold:.2f})"
    )
    return Anomaly(True, "drift", direction, z, threshold, count, reason)
