"""Start-up time of `atg` against pytest's own start-up, measured in the same run.

Each command runs N times, round-robin (so a busy moment of the machine touches all of them),
and the median wall time of each is compared with the named peer, `python -c "import pytest"`:
what any test run pays before it collects a test. Also measured: the bare interpreter, `coverage
--version`, `atg --help`, `atg eval file --help`, importing the CLI, and the start-up of a real
`atg eval file` — from launching it to the moment it hands the test run to its sandbox (the
module under test and its tests are examples/inventory). Bytecode is cached, as in an
installed atg (a PYTHONDONTWRITEBYTECODE of the caller's is dropped), and the first run of each
command, which writes it, is not counted. Results go to bench/results/startup.json.

Usage: python bench/bench_startup.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "inventory"
PEER = "pytest_import"
GOAL_S = 0.3
# what pip's install leaves: every module's bytecode cached
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}

# Runs `atg eval file` as the console script does, and stops it when it asks its sandbox to run
# the tests, writing the clock (system-wide monotonic) to the file named first.
EVAL_FILE_TO_SANDBOX = """
import os, sys, threading, time
from agentic_testgen.sandbox._process import ProcessSandbox

marker, sys.argv = sys.argv[1], ["atg", *sys.argv[2:]]
first = threading.Lock()  # runs may start from several threads at once: the first one counts

def stop(*args, **kwargs):
    first.acquire()
    with open(marker, "w") as out:
        out.write(repr(time.monotonic()))
    os._exit(0)

ProcessSandbox.execute = stop
from agentic_testgen.cli import main
main()
"""


def _script(name: str) -> list[str]:
    """A console script of this environment, run by this interpreter (or `-m` without it)."""
    script = Path(sys.executable).with_name(name)
    return [sys.executable, str(script)] if script.exists() else [sys.executable, "-m", name]


def commands() -> dict[str, list[str]]:
    atg = _script("atg")
    return {
        "python": [sys.executable, "-c", "pass"],
        PEER: [sys.executable, "-c", "import pytest"],
        "coverage_version": [*_script("coverage"), "--version"],
        "atg_help": [*atg, "--help"],
        "atg_eval_file_help": [*atg, "eval", "file", "--help"],
        "import_cli": [sys.executable, "-c", "import agentic_testgen.cli._app"],
    }


def time_command(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, env=ENV)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
    return elapsed


def time_eval_file_start() -> float:
    """Seconds from launching `atg eval file` to its sandbox being asked to run the tests."""
    with tempfile.TemporaryDirectory() as directory:
        marker = Path(directory) / "sandbox-asked"
        command = [sys.executable, "-c", EVAL_FILE_TO_SANDBOX, str(marker), "eval", "file",
                   "--source", str(EXAMPLE / "inventory.py"),
                   "--tests", str(EXAMPLE / "test_inventory.py")]  # fmt: skip
        start = time.monotonic()
        done = subprocess.run(command, capture_output=True, check=False, env=ENV)
        if not marker.exists():
            raise SystemExit(f"atg eval file never reached its sandbox:\n{done.stderr.decode()}")
        return float(marker.read_text()) - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    runs = commands()
    timings: dict[str, list[float]] = {name: [] for name in [*runs, "atg_eval_file_start"]}
    for command in runs.values():  # once each, unmeasured: bytecode and the disk cache
        time_command(command)
    time_eval_file_start()
    for _ in range(args.repeat):
        for name, command in runs.items():
            timings[name].append(time_command(command))
        timings["atg_eval_file_start"].append(time_eval_file_start())
    medians = {name: statistics.median(values) for name, values in timings.items()}
    report = {
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "repeat": args.repeat,
        "peer": f"{PEER}: python -c 'import pytest'",
        "goal_s": GOAL_S,
        "median_s": medians,
        "ratio_to_pytest_start": {name: value / medians[PEER] for name, value in medians.items()},
        "below_goal": {
            name: medians[name] < GOAL_S for name in ("atg_help", "atg_eval_file_start")
        },
        "samples_s": timings,
    }
    out = ROOT / "bench" / "results" / "startup.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    width = max(map(len, medians))
    for name, value in medians.items():
        ratio = report["ratio_to_pytest_start"][name]
        print(f"{name:<{width}}  {value * 1000:6.0f} ms  {ratio:5.2f}x pytest's start-up")


if __name__ == "__main__":
    main()
