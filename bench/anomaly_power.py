"""How the anomaly detectors err: false alarms on flat noisy series, and detection of slow
drifts, against the step rule (a drop of more than 0.05 between two consecutive runs).

Each cell is `--trials` seeded series of `runs` values: 0.8 + drift x i + white noise of
standard deviation `sigma` (1 point = 0.01 on atg's 0-1 scale; with 3 points the detectors'
`min_scale` floor of 1 point never binds, so those rates are the detectors' own). A drift is
given per run in units of `sigma` and taken off (a decline). "flagged" counts spikes and drifts
alike, in either direction; the step rule counts only drops.

Usage: python bench/anomaly_power.py [--trials 2000] [--output bench/results/anomaly_power.json]
"""

from __future__ import annotations

import argparse
import json
import random
from itertools import pairwise
from pathlib import Path
from typing import Any

from agentic_testgen.evals.anomaly import detect

ROOT = Path(__file__).resolve().parents[1]
RUNS = (5, 10, 15, 30)
SIGMAS = (0.01, 0.03)
DRIFTS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0)  # per run, in noise standard deviations
STEP_THRESHOLD = 0.05


def series(rng: random.Random, runs: int, sigma: float, drift: float) -> list[float]:
    return [0.8 - drift * sigma * i + rng.gauss(0, sigma) for i in range(runs)]


def step_rule(values: list[float]) -> bool:
    return any(before - after > STEP_THRESHOLD for before, after in pairwise(values))


def cell(runs: int, sigma: float, drift: float, trials: int) -> dict[str, Any]:
    rng = random.Random(f"{runs}-{sigma}-{drift}")
    flagged = spikes = drifts = steps = 0
    for _ in range(trials):
        values = series(rng, runs, sigma, drift)
        found = detect(values)
        flagged += found.flagged
        spikes += found.kind == "spike"
        drifts += found.kind == "drift"
        steps += step_rule(values)
    return {
        "runs": runs, "sigma": sigma, "drift_per_run_sigmas": drift, "trials": trials,
        "flagged": flagged / trials, "spike": spikes / trials, "drift": drifts / trials,
        "step_rule": steps / trials,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--output", type=Path, default=ROOT / "bench/results/anomaly_power.json")
    args = parser.parse_args()
    cells = [
        cell(runs, sigma, drift, args.trials)
        for sigma in SIGMAS
        for runs in RUNS
        for drift in DRIFTS
    ]
    for sigma in SIGMAS:
        print(f"sigma {sigma:g}: flagged (spike + drift) / step rule, by drift per run in sigmas")
        print(f"{'runs':>5} | " + " | ".join(f"{drift:>13g}" for drift in DRIFTS))
        for runs in RUNS:
            row = [c for c in cells if c["sigma"] == sigma and c["runs"] == runs]
            print(
                f"{runs:>5} | "
                + " | ".join(f"{c['flagged']:6.1%}/{c['step_rule']:6.1%}" for c in row)
            )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"cells": cells}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
