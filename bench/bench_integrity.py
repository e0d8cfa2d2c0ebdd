"""What the integrity machinery costs: `atg eval file` here against a checkout without it.

Runs the same evaluation (examples/inventory, default reruns, mutation testing on, bubblewrap)
with this tree's source and with a baseline checkout's source (a commit before the integrity
guard), alternating, each in a fresh process, and reports the median wall times and their ratio.
Results go to bench/results/integrity.json.

Usage: python bench/bench_integrity.py --baseline PATH_TO_CHECKOUT [--repeat 7]
  (make one with: git worktree add /tmp/atg-baseline 173927e)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "inventory"
PROGRAM = (
    "from pathlib import Path\n"
    "from agentic_testgen.config import Settings\n"
    "from agentic_testgen.evals import evaluate_files\n"
    "import agentic_testgen, sys\n"
    "assert agentic_testgen.__file__.startswith(sys.argv[3]), agentic_testgen.__file__\n"
    "evaluate_files(Path(sys.argv[1]), Path(sys.argv[2]), settings=Settings())\n"
)


def time_once(source_root: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(source_root / "src"), "ATG_TRACING": "0"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", PROGRAM, str(EXAMPLE / "inventory.py"),
         str(EXAMPLE / "test_inventory.py"), str(source_root / "src")],
        env=env, check=True, capture_output=True, cwd=EXAMPLE,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"integrity": [], "baseline": []}
    time_once(ROOT)  # warm the file cache for both
    time_once(args.baseline)
    for _ in range(args.repeat):
        times["integrity"].append(time_once(ROOT))
        times["baseline"].append(time_once(args.baseline))
    medians = {name: statistics.median(values) for name, values in times.items()}
    report = {
        "module": "examples/inventory (reruns 5, mutation on, bwrap)",
        "repeat": args.repeat,
        "median_s": medians,
        "runs_s": times,
        "overhead": medians["integrity"] / medians["baseline"] - 1,
    }
    out = ROOT / "bench" / "results" / "integrity.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"integrity {medians['integrity']:.3f} s, baseline {medians['baseline']:.3f} s: "
        f"overhead {report['overhead']:+.1%} (medians of {args.repeat})"
    )


if __name__ == "__main__":
    main()
