"""Peak memory of atg's evaluations against coverage.py + pytest on the same files, in one run.

Each command runs as a user starts it, in its own process; a sampler walks the command's process
tree every 20 ms (/proc/PID/task/*/children) and keeps, per process, the largest resident set
seen. Reported: the largest single process (which is what a memory limit acts on), the largest
sum over the tree at one moment, and which process was the largest. Cases:

- `billing`: bench/mutation/billing (188 lines, 45 tests), a full `atg eval file` (coverage,
  reruns 0, every mutant); the peer is `coverage run --branch -m pytest` + `coverage json`.
- `source-4.9mb`: the billing module padded with generated functions to 4.9 MB (just under the
  default `run.max_source_mb`, 5), the same tests; `atg eval file --no-mutation` against the
  same peer.
- `source-50mb`: padded to 50 MB: atg refuses it before running anything (one line, exit 2);
  the peer runs it in full.
- `suite-mixed`: `atg eval run --dataset mixed` (every entry, with mutation) in a fresh
  workspace; no peer runs a dataset, so its figure stands alone.

Usage: .venv/bin/python bench/bench_memory.py [--skip-50mb-peer]
Results: bench/results/memory.json
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BILLING = ROOT / "bench" / "mutation" / "billing"
MB = 1_000_000
MIB = 2**20


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listing:
                found += [int(child) for child in listing.read().split()]
    except OSError:  # the process ended between two reads
        pass
    return found


def _resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as raw:
            words = raw.read().split(b"\0")
    except OSError:
        return "?"
    return " ".join(Path(word.decode()).name if i < 2 else word.decode()
                    for i, word in enumerate(words[:4]))  # fmt: skip


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `command`; its peak memory per process and over the tree, its wall time and exit."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peaks: dict[int, int] = collections.defaultdict(int)
    names: dict[int, str] = {}
    tree_peak = 0
    while process.poll() is None:
        pending, total = [process.pid], 0
        while pending:
            pid = pending.pop()
            resident = _resident(pid)
            total += resident
            if resident > peaks[pid]:
                peaks[pid] = resident
                names.setdefault(pid, _command_line(pid))
            pending += _children(pid)
        tree_peak = max(tree_peak, total)
        time.sleep(0.02)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    largest = max(peaks, key=peaks.__getitem__)
    return {
        "exit": process.returncode,
        "wall_s": round(time.perf_counter() - started, 2),
        "largest_process_mib": round(peaks[largest] / MIB),
        "largest_process": names[largest],
        "tree_peak_mib": round(tree_peak / MIB),
        "last_line": stderr.strip().splitlines()[-1][:200] if stderr.strip() else "",
    }


def padded_module(size_mb: float, folder: Path) -> Path:
    """The billing module with generated functions appended until it is `size_mb` long."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = [(BILLING / "billing.py").read_text()]
    size, index = len(parts[0]), 0
    while size < size_mb * MB:
        block = (
            f"\n\ndef scaled_{index}(value, factor={index % 7 + 1}):\n"
            f'    """Scale value {index}."""\n'
            f"    if value > {index}:\n        return value * factor - {index}\n"
            "    return value + factor\n"
        )
        parts.append(block)
        size += len(block)
        index += 1
    (folder / "billing.py").write_text("".join(parts))
    shutil.copy(BILLING / "tests" / "test_billing.py", folder / "test_billing.py")
    return folder


def _script(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def atg_eval_file(folder: Path, *extra: str) -> dict[str, Any]:
    command = [_script("atg"), "eval", "file", "--source", "billing.py",
               "--tests", "test_billing.py", "--reruns", "0", *extra]  # fmt: skip
    return measure(command, folder)


def peer(folder: Path) -> dict[str, Any]:
    """`coverage run --branch -m pytest` then `coverage json`: the larger of the two."""
    env = {**os.environ, "PYTHONPATH": str(folder)}
    run = measure([sys.executable, "-m", "coverage", "run", "--branch", "-m", "pytest", "-q",
                   "-p", "no:cacheprovider", "test_billing.py"], folder, env)  # fmt: skip
    report = measure([sys.executable, "-m", "coverage", "json", "-q", "-o", "cov.json"],
                     folder, env)  # fmt: skip
    worse = max((run, report), key=lambda step: step["largest_process_mib"])
    return {**worse, "wall_s": round(run["wall_s"] + report["wall_s"], 2)}


def suite(work: Path) -> dict[str, Any]:
    return measure([_script("atg"), "eval", "run", "--dataset", "mixed",
                    "--workspace", str(work / "evals")], work)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-50mb-peer",
        action="store_true",
        help="do not run coverage + pytest on the 50 MB module",
    )
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        billing = padded_module(0, work / "billing")
        results["billing"] = {"atg": atg_eval_file(billing), "peer": peer(billing)}
        five = padded_module(4.9, work / "five")
        results["source-4.9mb"] = {"atg": atg_eval_file(five, "--no-mutation"), "peer": peer(five)}
        fifty = padded_module(50, work / "fifty")
        results["source-50mb"] = {
            "atg": atg_eval_file(fifty, "--no-mutation"),
            "peer": None if args.skip_50mb_peer else peer(fifty),
        }
        results["suite-mixed"] = {"atg": suite(work), "peer": None}
    for case in results.values():
        if case["peer"]:
            case["ratio_largest_process"] = round(
                case["atg"]["largest_process_mib"] / case["peer"]["largest_process_mib"], 2
            )
    report = {
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "peer": "coverage run --branch -m pytest + coverage json",
        "cases": results,
    }
    out = ROOT / "bench" / "results" / "memory.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'case':<12} {'atg MiB':>8} {'tree':>6} {'wall s':>7} {'peer MiB':>9} {'peer s':>7}  "
          "largest atg process")  # fmt: skip
    for name, case in results.items():
        mine, theirs = case["atg"], case["peer"] or {}
        ended = f"  [exit {mine['exit']}: {mine['last_line']}]" if mine["exit"] else ""
        print(f"{name:<12} {mine['largest_process_mib']:>8} {mine['tree_peak_mib']:>6} "
              f"{mine['wall_s']:>7} {theirs.get('largest_process_mib', '-'):>9} "
              f"{theirs.get('wall_s', '-'):>7}  {mine['largest_process']}{ended}")  # fmt: skip


if __name__ == "__main__":
    main()
