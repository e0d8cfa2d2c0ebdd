"""How often the regression check errs: false alarms on unchanged suites, and detection of drops
of 0.05, 0.10 and 0.20 in 1 entry, 3 entries and every entry (200 seeded trials each).

`--noise` gives each entry's true standard deviation of the score from run to run. The default
is what was measured on the `mixed` suite with its reference tests (4 runs of
`atg eval run --dataset mixed --repeat 4`: no entry moved); docs/regression.md also shows harsher
profiles.

Usage: .venv/bin/python bench/regression_power.py [--noise 0,0,...] [--trials 200]
"""

from __future__ import annotations

import argparse

from agentic_testgen.evals.power import simulate

# per-entry standard deviation of the score over 4 runs of the mixed suite (reference tests)
MEASURED = "0,0,0,0,0,0,0,0,0,0,0,0,0,0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--noise", default=MEASURED, help="comma-separated, one per entry")
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--history", type=int, default=5, help="runs up to the baseline")
    args = parser.parse_args()
    noise = [float(value) for value in args.noise.split(",")]
    entries = len(noise)
    unchanged = simulate(noise, trials=args.trials, history=args.history, seed=0)
    print(f"{entries} entries, noise {args.noise}, {args.history} runs of history")
    print(
        f"false alarms (unchanged suite): {unchanged.rate:.1%} ({unchanged.alarms}/{args.trials})"
    )
    print("detection rate (any flag / the mean flagged):")
    print(f"{'drop':>6} | {'1 entry':>15} | {'3 entries':>15} | {'all entries':>15}")
    for drop in (0.05, 0.10, 0.20):
        cells = []
        for changed in (1, 3, entries):
            found = simulate(
                noise, changed=changed, drop=drop, trials=args.trials, history=args.history,
                seed=int(drop * 100) + changed,
            )  # fmt: skip
            cells.append(f"{found.rate:6.1%} / {found.mean_flags / args.trials:6.1%}")
        print(f"{drop:>6.2f} | " + " | ".join(f"{cell:>15}" for cell in cells))


if __name__ == "__main__":
    main()
