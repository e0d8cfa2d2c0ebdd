"""How often the regression check errs, by simulation: false alarms on unchanged suites and
detections of known drops, at a given per-entry noise (seeded, so the figures repeat).

Each trial builds what the check sees in practice: every entry has a true value and a true
standard deviation; `history` runs up to and including the baseline are drawn with that noise;
the checked run is one more draw, with `drop` taken off `changed` entries (never below 0). The
noise estimate, the pairing and the flags are those of `regression.compare_metric`, fed as
`check_regression` feeds it. `bench/regression_power.py` prints the table docs/regression.md
shows.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from agentic_testgen.evals.regression import DEFAULT_THRESHOLD, compare_metric, noise_of


@dataclass(frozen=True)
class Rate:
    """Of `trials` simulated checks, how many raised any flag (the mean's or an entry's)."""

    alarms: int
    trials: int
    mean_flags: int  # of which the mean over entries was flagged

    @property
    def rate(self) -> float:
        return self.alarms / self.trials if self.trials else 0.0


def simulate(
    noise: Sequence[float],
    *,
    changed: int = 0,
    drop: float = 0.0,
    history: int = 5,
    trials: int = 200,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 0,
) -> Rate:
    """Run `trials` checks of a suite whose entries have the true standard deviations `noise`,
    `changed` of them dropping by `drop` in the checked run."""
    rng = random.Random(seed)
    alarms = mean_flags = 0
    entries = [f"e{index}" for index in range(len(noise))]
    for _ in range(trials):
        truth = {e: rng.uniform(0.55, 0.95) for e in entries}
        hit = set(rng.sample(entries, changed))
        runs = {
            e: [_draw(rng, truth[e], s) for _ in range(history)]
            for e, s in zip(entries, noise, strict=True)
        }
        current = {
            e: _draw(rng, truth[e] - (drop if e in hit else 0.0), s)
            for e, s in zip(entries, noise, strict=True)
        }
        estimated = {e: noise_of([runs[e]]) for e in entries}
        findings = compare_metric(
            "simulated", "score", {e: runs[e][-1] for e in entries}, current, estimated,
            threshold=threshold,
        )  # fmt: skip
        alarms += any(f.flagged for f in findings)
        mean_flags += any(f.flagged and f.entry_id is None for f in findings)
    return Rate(alarms, trials, mean_flags)


def _draw(rng: random.Random, centre: float, sigma: float) -> float:
    return min(max(rng.gauss(centre, sigma), 0.0), 1.0)
