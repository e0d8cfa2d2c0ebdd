"""Offline test generation for JavaScript and Java: coverage and pass rate on the built-in sets.

For every entry of the `javascript` and `java` datasets, the characterization generator (what
`atg generate` runs on a .js/.mjs/.java file) probes the module in the sandbox, runs every
proposed test once through the language adapter, keeps the tests chosen by coverage and runs
the chosen file again; the figures are that last run's, through atg's own `coverage` and
`pass_rate` metrics. The medians are the issue's "offline generation median coverage and pass
rate per language"; the goal is 90 % each.

Usage: .venv/bin/python bench/bench_characterize.py [--dataset javascript|java] [--only ID ...]
Writes bench/results/characterize.json and prints one table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from agentic_testgen.config import load_settings
from agentic_testgen.datasets import load_dataset
from agentic_testgen.evals import run_options
from agentic_testgen.evals.metrics import Coverage, PassRate
from agentic_testgen.generation.characterize import ProbeError, characterize
from agentic_testgen.sandbox import get_sandbox

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "characterize.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", action="append", choices=("javascript", "java"))
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    settings = load_settings()
    sandbox = get_sandbox(settings.run.sandbox)
    options = run_options(settings)
    rows = []
    for name in args.dataset or ("javascript", "java"):
        for entry in load_dataset(name).entries:
            if args.only and entry.id not in args.only:
                continue
            start = time.monotonic()
            try:
                made = characterize(entry.source, sandbox, options, seconds=120)
            except ProbeError as error:
                rows.append({"entry": entry.id, "language": name, "error": str(error)})
                print(f"{entry.id:26} probe failed: {error}", flush=True)
                continue
            coverage = Coverage().compute(made.final, entry.source, made.tests).value
            candidate = Coverage().compute(made.candidate, entry.source, made.tests).value
            pass_rate = PassRate().compute(made.final, entry.source, made.tests).value
            row = {
                "entry": entry.id, "language": name, "proposed": made.proposed,
                "kept": made.kept, "coverage": coverage, "candidate_coverage": candidate,
                "pass_rate": pass_rate, "seconds": time.monotonic() - start,
            }  # fmt: skip
            rows.append(row)
            print(
                f"{entry.id:26} kept {made.kept:3}/{made.proposed:4}  coverage {coverage:6.1%} "
                f"(all proposed {candidate:6.1%})  pass rate {pass_rate:6.1%}  "
                f"{row['seconds']:5.1f} s",
                flush=True,
            )
    summary = {}
    for name in sorted({row["language"] for row in rows}):
        done = [row for row in rows if row["language"] == name and "coverage" in row]
        summary[name] = {
            "entries": len([row for row in rows if row["language"] == name]),
            "median_coverage": statistics.median(row["coverage"] for row in done) if done else 0,
            "median_pass_rate": statistics.median(row["pass_rate"] for row in done) if done else 0,
            "at_goal": sum(row["coverage"] >= 0.9 and row["pass_rate"] >= 0.9 for row in done),
        }
        print(
            f"{name}: median coverage {summary[name]['median_coverage']:.1%}, median pass rate "
            f"{summary[name]['median_pass_rate']:.1%}, {summary[name]['at_goal']}/"
            f"{summary[name]['entries']} entries at 90/90"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"summary": summary, "entries": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
