"""Wall time of `atg eval file` against the plain-process way of gathering the same evidence.

The peer is what a script without atg does: `coverage run --branch -m pytest`, `coverage json`,
then one `pytest` process per rerun, run one after the other. Both gather coverage and N reruns
of the same module and tests. Results go to bench/results/eval_file.json.

Usage: python bench/bench_eval_file.py [--repeat 5] [--reruns 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.evals import evaluate_files

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "inventory"


def time_atg(reruns: int, sandbox: str) -> float:
    settings = Settings(run=RunSettings(reruns=reruns, sandbox=sandbox, mutation=False))
    start = time.perf_counter()
    evaluate_files(EXAMPLE / "inventory.py", EXAMPLE / "test_inventory.py", settings=settings)
    return time.perf_counter() - start


def time_plain_processes(reruns: int) -> float:
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        shutil.copy(EXAMPLE / "inventory.py", work)
        shutil.copy(EXAMPLE / "test_inventory.py", work)
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(work), "HOME": str(work)}
        python = sys.executable
        commands = [
            [
                python,
                "-m",
                "coverage",
                "run",
                "--branch",
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
            ],
            [python, "-m", "coverage", "json", "-q", "-o", "coverage.json"],
        ] + [[python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]] * reruns
        start = time.perf_counter()
        for command in commands:
            subprocess.run(command, cwd=work, env=env, capture_output=True, check=False)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)  # docs/benchmarks.md: median of 7
    parser.add_argument("--reruns", type=int, default=5)
    args = parser.parse_args()
    timings: dict[str, list[float]] = {"atg_bwrap": [], "atg_process": [], "plain_processes": []}
    for _ in range(args.repeat):
        timings["atg_bwrap"].append(time_atg(args.reruns, "bwrap"))
        timings["atg_process"].append(time_atg(args.reruns, "process"))
        timings["plain_processes"].append(time_plain_processes(args.reruns))
    medians = {name: statistics.median(values) for name, values in timings.items()}
    report = {
        "module": "examples/inventory/inventory.py (18 tests)",
        "reruns": args.reruns,
        "repeat": args.repeat,
        "median_s": medians,
        "ratio_plain_over_atg_bwrap": medians["plain_processes"] / medians["atg_bwrap"],
        "ratio_plain_over_atg_process": medians["plain_processes"] / medians["atg_process"],
    }
    out = ROOT / "bench" / "results" / "eval_file.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
