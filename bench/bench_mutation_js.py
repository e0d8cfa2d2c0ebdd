"""JavaScript mutation testing on entries of the built-in `javascript` dataset, reference tests.

For each entry: one adapter run (the instrumented run and its reruns, then every mutant) in the
bubblewrap sandbox, and per entry the mutant counts by status, the score, the wall time of the
mutation phase, and per mutant that ran (killed or survived) its median wall time and how much
of it went to starting node and loading the tests (the figures of the outcome's timing note).

Usage: .venv/bin/python bench/bench_mutation_js.py [--entries 3] [--parallel 2] [--reruns 2]
Results: bench/results/mutation_js.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from agentic_testgen.datasets import load_dataset
from agentic_testgen.domain import MutantStatus
from agentic_testgen.languages import RunOptions
from agentic_testgen.languages.javascript import JavaScriptAdapter
from agentic_testgen.sandbox import get_sandbox

ROOT = Path(__file__).resolve().parents[1]


def measure(entry: Any, options: RunOptions) -> dict[str, Any]:
    start = time.monotonic()
    outcome = JavaScriptAdapter().run(
        entry.source, entry.reference_tests, get_sandbox("bwrap"), options
    )
    wall = time.monotonic() - start
    mutation = outcome.mutation
    if mutation is None:
        return {"entry": entry.id, "error": "no mutation outcome", "notes": list(outcome.notes)}
    judged = [
        m for m in mutation.mutants if m.status in (MutantStatus.KILLED, MutantStatus.SURVIVED)
    ]
    return {
        "entry": entry.id,
        "mutants": len(mutation.mutants),
        "killed": mutation.count(MutantStatus.KILLED),
        "survived": mutation.count(MutantStatus.SURVIVED),
        "timeout": mutation.count(MutantStatus.TIMEOUT),
        "no_coverage": mutation.count(MutantStatus.NO_COVERAGE),
        "errors": mutation.count(MutantStatus.ERROR),
        "score": mutation.score,
        "mutation_wall_s": round(mutation.duration_s, 2),
        "run_wall_s": round(wall - mutation.duration_s, 2),
        "median_ms_per_mutant": round(statistics.median(m.duration_s for m in judged) * 1000)
        if judged
        else None,
        "throughput_ms_per_mutant": round(
            mutation.duration_s * 1000 / max(1, len(mutation.mutants) - _unrun(mutation))
        ),
        "tests": len(outcome.tests),
        "notes": list(mutation.notes),
        "survivors": [
            f"{m.line}: {m.original} -> {m.mutated}"
            for m in mutation.mutants
            if m.status == MutantStatus.SURVIVED
        ],
    }


def _unrun(mutation: Any) -> int:
    return sum(
        mutation.count(status) for status in (MutantStatus.NO_COVERAGE, MutantStatus.NOT_SAMPLED)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=3, help="the first N entries")
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--reruns", type=int, default=2)
    args = parser.parse_args()
    dataset = load_dataset("javascript")
    options = RunOptions(reruns=args.reruns, parallel=args.parallel, mutation=True)
    rows = [measure(entry, options) for entry in dataset.entries[: args.entries]]
    for row in rows:
        shown = {key: value for key, value in row.items() if key not in ("notes", "survivors")}
        print(json.dumps(shown))
        for note in row.get("notes", []):
            print("   ", note)
    out = ROOT / "bench/results/mutation_js.json"
    out.write_text(json.dumps({"parallel": args.parallel, "rows": rows}, indent=2) + "\n")
    print(f"written: {out}")


if __name__ == "__main__":
    main()
