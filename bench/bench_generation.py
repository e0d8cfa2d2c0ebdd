"""The offline agent (planner -> CrossHair + Pynguin -> critic) against each tool alone.

On the built-in `mixed` dataset, with no LLM, each module gets the same time budget three ways:
CrossHair alone and Pynguin alone (their raw output, as a user would run them), and the agent
(the offline coders: CrossHair, Pynguin, ghostwriter; the critic also keeps mutant killers).
Every test file is then evaluated by atg (coverage, pass rate, mutation score). The goal is the
seed's 90/90: median per-module line+branch coverage >= 90% and pass rate >= 90%.

Usage: .venv/bin/python bench/bench_generation.py [--budget 60] [--jobs 2]
Results: bench/results/generation.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.datasets import DatasetEntry, load_dataset
from agentic_testgen.domain import GeneratedTests
from agentic_testgen.evals import evaluate
from agentic_testgen.generation import Budget, generate_tests, plan
from agentic_testgen.generation._select import offline_coders
from agentic_testgen.generation.coders import CoderContext, CrossHairCoder, PynguinCoder
from agentic_testgen.languages import RunOptions
from agentic_testgen.sandbox import get_sandbox

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = Settings(run=RunSettings(reruns=2, parallel=1))


def measure(entry: DatasetEntry, code: str, seconds: float) -> dict[str, Any]:
    if not code.strip():
        return {"coverage": 0.0, "pass_rate": 0.0, "mutation_score": 0.0, "tests": 0,
                "seconds": seconds}  # fmt: skip
    tests = GeneratedTests(code=code, filename=f"test_{entry.source.module_name}.py")
    result = evaluate(entry.source, tests, SETTINGS)
    mutation = result.metrics.get("mutation_score")
    return {
        "coverage": result.metrics["coverage"].value,
        "pass_rate": result.metrics["pass_rate"].value,
        "mutation_score": mutation.value if mutation else None,
        "tests": len(result.tests),
        "seconds": seconds,
    }


def one_tool(entry: DatasetEntry, coder: Any, budget: float) -> dict[str, Any]:
    started = time.perf_counter()
    context = CoderContext(source=entry.source, sandbox=get_sandbox("bwrap"), seconds=budget)
    candidate = coder.generate(plan(entry.source), context)
    return measure(entry, candidate.code, time.perf_counter() - started)


def agent(entry: DatasetEntry, budget: float) -> dict[str, Any]:
    started = time.perf_counter()
    outcome = generate_tests(
        entry.source, offline_coders(), get_sandbox("bwrap"),
        options=RunOptions(reruns=2, parallel=1, mutation=True),
        budget=Budget(max_iterations=3, max_seconds=budget),
    )  # fmt: skip
    return measure(entry, outcome.code, time.perf_counter() - started)


def bench_entry(entry: DatasetEntry, budget: float) -> tuple[str, dict[str, Any]]:
    return entry.id, {
        "crosshair": one_tool(entry, CrossHairCoder(), budget),
        "pynguin": one_tool(entry, PynguinCoder(), budget),
        "agent": agent(entry, budget),
    }


def summary(rows: dict[str, dict[str, Any]], tool: str) -> dict[str, Any]:
    def median(key: str) -> float:
        values = [row[tool][key] for row in rows.values() if row[tool][key] is not None]
        return statistics.median(values) if values else 0.0

    return {
        "median_coverage": median("coverage"),
        "median_pass_rate": median("pass_rate"),
        "median_mutation_score": median("mutation_score"),
        "mean_coverage": statistics.fmean(row[tool]["coverage"] for row in rows.values()),
        "total_seconds": sum(row[tool]["seconds"] for row in rows.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per module and tool")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dataset", default="mixed")
    args = parser.parse_args()
    entries = load_dataset(args.dataset).entries
    with ProcessPoolExecutor(args.jobs, mp_context=get_context("spawn")) as pool:
        rows = dict(pool.map(bench_entry, entries, [args.budget] * len(entries)))
    report = {
        "dataset": args.dataset,
        "budget_s": args.budget,
        "summary": {tool: summary(rows, tool) for tool in ("crosshair", "pynguin", "agent")},
        "modules": rows,
    }
    out = ROOT / "bench" / "results" / "generation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'module':32} " + "  ".join(f"{t:>24}" for t in ("crosshair", "pynguin", "agent")))
    for name, row in rows.items():
        cells = [f"{row[t]['coverage']:.2f} cov {row[t]['pass_rate']:.2f} pass" for t in row]
        print(f"{name:32} " + "  ".join(f"{c:>24}" for c in cells))
    for tool, values in report["summary"].items():
        print(tool, json.dumps(values))


if __name__ == "__main__":
    main()
