"""The offline agent (planner -> CrossHair + Pynguin -> critic) against each tool alone.

On the built-in `mixed` dataset, with no LLM, each module gets the same time budget three ways:
CrossHair alone and Pynguin alone (their raw output, as a user would run them), and the agent
(the offline coders: CrossHair, Pynguin, ghostwriter; the critic also keeps mutant killers).
Every test file is then evaluated by atg (coverage, pass rate, mutation score). The goal is the
seed's 90/90: median per-module line+branch coverage >= 90% and pass rate >= 90%.

`--compare REF` measures the agent alone twice, same budget, dataset and jobs: the generator of
git revision REF (its `src/` unpacked into a temporary folder and put first on the path of a
child process), then the one of this tree. Each arm's seconds are what `atg eval run --generator
agent` spends on a module: generation, then the measurement of the file (an agent that hands its
final measurement over is not measured again). It prints the wall-time ratio and both arms'
medians. `--base-result FILE` reuses the first arm of an earlier generation_speed.json instead
of running REF again (REF then only names it). `--modules simple/,real/textwrap` keeps the
entries whose id starts with one of the comma-separated prefixes (to iterate on a few).

Usage: .venv/bin/python bench/bench_generation.py [--budget 60] [--jobs 2]
       .venv/bin/python bench/bench_generation.py --compare main [--budget 60] [--jobs 2]
       .venv/bin/python bench/bench_generation.py --compare main --modules complex/,real/
Results: bench/results/generation.json; with --compare bench/results/generation_speed.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.datasets import DatasetEntry, load_dataset
from agentic_testgen.domain import EvalResult, GeneratedTests
from agentic_testgen.evals import evaluate, run_options
from agentic_testgen.generation import Budget, generate_tests, plan
from agentic_testgen.generation._select import offline_coders
from agentic_testgen.generation.coders import CoderContext, CrossHairCoder, PynguinCoder
from agentic_testgen.sandbox import get_sandbox

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = Settings(run=RunSettings(reruns=2, parallel=1))


def figures(result: EvalResult, seconds: float) -> dict[str, Any]:
    mutation = result.metrics.get("mutation_score")
    return {
        "coverage": result.metrics["coverage"].value,
        "pass_rate": result.metrics["pass_rate"].value,
        "mutation_score": mutation.value if mutation else None,
        "tests": len(result.tests),
        "seconds": seconds,
    }


def nothing(seconds: float) -> dict[str, Any]:
    return {"coverage": 0.0, "pass_rate": 0.0, "mutation_score": 0.0, "tests": 0,
            "seconds": seconds}  # fmt: skip


def measure(entry: DatasetEntry, code: str, started: float) -> dict[str, Any]:
    if not code.strip():
        return nothing(time.perf_counter() - started)
    tests = GeneratedTests(code=code, filename=f"test_{entry.source.module_name}.py")
    result = evaluate(entry.source, tests, SETTINGS)
    return figures(result, time.perf_counter() - started)


def one_tool(entry: DatasetEntry, coder: Any, budget: float) -> dict[str, Any]:
    started = time.perf_counter()
    context = CoderContext(source=entry.source, sandbox=get_sandbox("bwrap"), seconds=budget)
    candidate = coder.generate(plan(entry.source), context)
    return measure(entry, candidate.code, started)


def agent_as_evaluated(entry: DatasetEntry, budget: float) -> tuple[str, dict[str, Any]]:
    """The agent as `atg eval run --generator agent` runs it: generation with the settings'
    run options, then the measurement of the file; works with any revision of atg (one whose
    generator hands its final measurement over is not measured again)."""
    from agentic_testgen import evals  # noqa: PLC0415

    started = time.perf_counter()
    extra: dict[str, Any] = {}
    handing_over = hasattr(evals, "score_measured")
    if handing_over:
        extra = {"measure_final": True, "goal": evals.generation_goal(SETTINGS)}
    outcome = generate_tests(
        entry.source, offline_coders(), get_sandbox("bwrap"), options=run_options(SETTINGS),
        budget=Budget(max_iterations=3, max_seconds=budget), **extra,
    )  # fmt: skip
    if not outcome.code.strip():
        return entry.id, nothing(time.perf_counter() - started)
    tests = GeneratedTests(code=outcome.code, filename=f"test_{entry.source.module_name}.py")
    final = getattr(outcome, "final_run", None)
    if handing_over and final is not None:
        result = evals.score_measured(entry.source, tests, final, SETTINGS)
    else:
        result = evaluate(entry.source, tests, SETTINGS)
    return entry.id, figures(result, time.perf_counter() - started)


def bench_entry(entry: DatasetEntry, budget: float) -> tuple[str, dict[str, Any]]:
    return entry.id, {
        "crosshair": one_tool(entry, CrossHairCoder(), budget),
        "pynguin": one_tool(entry, PynguinCoder(), budget),
        "agent": agent_as_evaluated(entry, budget)[1],
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


def chosen_entries(args: argparse.Namespace) -> list[DatasetEntry]:
    """The dataset's entries, those `--modules` names when it is given."""
    entries = load_dataset(args.dataset).entries
    if not args.modules:
        return entries
    prefixes = tuple(p.strip() for p in args.modules.split(",") if p.strip())
    return [entry for entry in entries if entry.id.startswith(prefixes)]


def agent_only(args: argparse.Namespace) -> None:
    """One arm of --compare: the agent alone over the dataset, written to `args.out`."""
    entries = chosen_entries(args)
    started = time.perf_counter()
    with ProcessPoolExecutor(args.jobs, mp_context=get_context("spawn")) as pool:
        rows = dict(pool.map(agent_as_evaluated, entries, [args.budget] * len(entries)))
    wall = time.perf_counter() - started
    report = {
        "dataset": args.dataset, "budget_s": args.budget, "jobs": args.jobs,
        "wall_seconds": wall, "summary": summary({k: {"agent": v} for k, v in rows.items()},
                                                 "agent"),
        "modules": rows,
    }  # fmt: skip
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")


def arm(args: argparse.Namespace, src: Path, out: Path) -> dict[str, Any]:
    """Run the agent-only arm in a child process with `src` first on its path."""
    command = [sys.executable, __file__, "--agent-only", "--out", str(out), "--budget",
               str(args.budget), "--jobs", str(args.jobs), "--dataset", args.dataset,
               *(["--modules", args.modules] if args.modules else [])]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run(command, check=True, env=env)
    report: dict[str, Any] = json.loads(out.read_text())
    return report


def compare(args: argparse.Namespace) -> None:
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="atg-base-") as folder:
        if args.base_result:
            stored = json.loads(Path(args.base_result).read_text())
            base = stored.get("base", stored)  # an earlier generation_speed.json, or an arm
        else:
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", args.compare, "src"],
                check=True, capture_output=True,
            )  # fmt: skip
            subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
            base = arm(args, Path(folder) / "src", Path(folder) / "base.json")
        base["revision"] = args.compare
        new = arm(args, ROOT / "src", Path(folder) / "new.json")
    if args.base_result and args.modules:
        # a stored arm of the whole dataset: only its rows of the chosen modules compare
        base["modules"] = {k: v for k, v in base["modules"].items() if k in new["modules"]}
        base["summary"] = summary({k: {"agent": v} for k, v in base["modules"].items()}, "agent")
        base["wall_seconds"] = None
    ratio = new["wall_seconds"] / base["wall_seconds"] if base["wall_seconds"] else None
    seconds_ratio = new["summary"]["total_seconds"] / base["summary"]["total_seconds"]
    report = {
        "dataset": args.dataset, "budget_s": args.budget, "jobs": args.jobs,
        "modules": args.modules, "wall_ratio": ratio, "module_seconds_ratio": seconds_ratio,
        "base": base, "new": new,
    }  # fmt: skip
    name = "generation_speed_subset.json" if args.modules else "generation_speed.json"
    (results / name).write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'module':32} {'base s':>8} {'new s':>8} {'base cov':>9} {'new cov':>8}")
    for name, row in new["modules"].items():
        old = base["modules"].get(name, {})
        print(f"{name:32} {old.get('seconds', 0):8.1f} {row['seconds']:8.1f} "
              f"{old.get('coverage', 0):9.3f} {row['coverage']:8.3f}")  # fmt: skip
    for label, data in ((f"base ({args.compare})", base), ("new", new)):
        s = data["summary"]
        wall = f"{data['wall_seconds']:.1f} s" if data["wall_seconds"] else "not comparable"
        print(f"{label}: wall {wall}, module seconds "
              f"{s['total_seconds']:.1f}, median coverage {s['median_coverage']:.3f}, "
              f"pass rate {s['median_pass_rate']:.3f}, "
              f"mutation {s['median_mutation_score']:.3f}")  # fmt: skip
    print(f"module-seconds ratio new/base: {seconds_ratio:.2f}")
    if ratio is not None:
        print(f"wall-time ratio new/base: {ratio:.2f} (goal <= 0.50)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per module and tool")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dataset", default="mixed")
    parser.add_argument("--modules", help="comma-separated prefixes of the entry ids to run")
    parser.add_argument("--compare", metavar="REF", help="git revision to compare the agent with")
    parser.add_argument(
        "--base-result", help="the first arm of an earlier run (its generation_speed.json)"
    )
    parser.add_argument("--agent-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.agent_only:
        agent_only(args)
        return
    if args.compare:
        compare(args)
        return
    entries = chosen_entries(args)
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
