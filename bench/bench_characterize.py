"""Offline test generation for JavaScript and Java: coverage and pass rate on the built-in sets.

For every entry of the `javascript` and `java` datasets, the characterization generator (what
`atg generate` runs on a .js/.mjs/.java file) probes the module in the sandbox, runs every
proposed test once through the language adapter, keeps the tests chosen by coverage and runs
the chosen file again; the figures are that last run's, through atg's own `coverage` and
`pass_rate` metrics. The medians are the issue's "offline generation median coverage and pass
rate per language"; the goal is 90 % each.

With `--agent`, the whole agent instead, as `atg generate --coder offline` runs it: the planner,
the characterization probe as the coder (a new seed each round, up to 3 rounds, 180 s), the
critic; the file it writes is run once more through the adapter for the figures.

Usage: .venv/bin/python bench/bench_characterize.py [--dataset javascript|java] [--only ID ...]
       [--agent]
Writes bench/results/characterize.json (characterize_agent.json with --agent) and prints one
table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import NamedTuple

from agentic_testgen.config import load_settings
from agentic_testgen.datasets import DatasetEntry, load_dataset
from agentic_testgen.domain import GeneratedTests, RunOutcome
from agentic_testgen.evals import run_options
from agentic_testgen.evals.metrics import Coverage, PassRate
from agentic_testgen.generation import Budget, generate_tests
from agentic_testgen.generation._critic import tests_file_name_for
from agentic_testgen.generation.characterize import ProbeError, characterize
from agentic_testgen.generation.coders import CharacterizationCoder
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.sandbox import Sandbox, get_sandbox


class Made(NamedTuple):
    """The figures a row needs (the shape of `characterize`'s answer)."""

    tests: GeneratedTests
    proposed: int
    kept: int
    candidate: RunOutcome
    final: RunOutcome


ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "characterize.json"
AGENT_RESULTS = ROOT / "bench" / "results" / "characterize_agent.json"


def through_the_agent(entry: DatasetEntry, sandbox: Sandbox, options: RunOptions) -> Made:
    """What `atg generate --coder offline` writes for the entry, and that file's run."""
    outcome = generate_tests(
        entry.source, [CharacterizationCoder()], sandbox, options=options,
        budget=Budget(max_iterations=3, max_seconds=180.0),
    )  # fmt: skip
    tests = GeneratedTests(code=outcome.code, filename=tests_file_name_for(entry.source))
    if not outcome.code:
        raise ProbeError(f"no test survived review ({outcome.proposed_tests} proposed)")
    final = get_adapter(entry.source.language).run(entry.source, tests, sandbox, options)
    return Made(tests, outcome.proposed_tests, outcome.kept_tests, final, final)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", action="append", choices=("javascript", "java"))
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--agent", action="store_true", help="the planner/coder/critic loop")
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
                made = (
                    through_the_agent(entry, sandbox, options)
                    if args.agent
                    else characterize(entry.source, sandbox, options, seconds=120)
                )
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
    results = AGENT_RESULTS if args.agent else RESULTS
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps({"summary": summary, "entries": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
