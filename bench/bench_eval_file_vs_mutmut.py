"""A full `atg eval file` against `mutmut run` (mutmut 3.8.1) on the same module and tests.

For each module (ours: bench/mutation/billing; expr from the built-in datasets; inflection 0.5.1
as its sdist ships it, its package flattened into one module beside its own test file) and each
of `--repeat` rounds, in one run and on fresh copies:

- atg: `atg eval file -s MODULE -t TESTS --reruns 0` through the console script, as a user runs
  it (coverage, per-test contexts, every mutant, in the bubblewrap sandbox on every core): wall
  time, and CPU time of the whole process tree (a cpuacct cgroup);
- atg without mutation testing: the same with `--no-mutation`;
- the plain way to the same coverage: `coverage run --branch -m pytest` + `coverage json`;
- mutmut: `mutmut run --max-children N` (bench_mutation.py's set-up, in its own venv);
- atg's mutation phase alone through the API (bench_mutation.py's `run_atg`), its CPU time
  divided by the mutants it ran (children, sandbox and parent side all counted), and its
  verdicts on the mutants mutmut also makes (same line, same token change).

Then a mutant that never ends (`i += 1` -> `i -= 1` in a counting loop): what its timeout cost,
against its covering tests' measured durations.

`--before-src DIR` also runs another checkout's `src` (e.g. the previous commit) in the same
rounds, for a before/after table.

Usage: .venv/bin/python bench/bench_eval_file_vs_mutmut.py [--repeat 3] [--before-src DIR]
Results: bench/results/eval_file_vs_mutmut.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench_mutation import MODULES, peers_python, project, run_atg, run_mutmut, same_mutants

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache" / "eval_vs_mutmut"
LIBRARY = ("inflection", "0.5.1")
CPUACCT = Path("/sys/fs/cgroup/cpuacct")
RESULTS = ROOT / "bench" / "results" / "eval_file_vs_mutmut.json"

LOOPING_MODULE = """
def count_up(n):
    i = 0
    while i < n:
        i += 1
    return i


def add(a, b):
    return a + b
"""
LOOPING_TESTS = """
from looping import add, count_up


def test_count_up_counts():
    assert count_up(3) == 3


def test_add_adds():
    assert add(2, 3) == 5
"""


def library_files() -> tuple[Path, Path]:
    """inflection's module and its own tests, from its sdist (downloaded on first use)."""
    name, version = LIBRARY
    flat = CACHE / f"{name}-{version}"
    module, tests = flat / f"{name}.py", flat / "tests" / f"test_{name}.py"
    if module.exists() and tests.exists():
        return module, tests
    CACHE.mkdir(parents=True, exist_ok=True)
    sdist = CACHE / f"{name}-{version}.tar.gz"
    if not sdist.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
             "-d", str(CACHE), f"{name}=={version}"],
            check=True,
        )  # fmt: skip
    with tarfile.open(sdist) as archive:
        top = f"{name}-{version}"
        package = archive.extractfile(f"{top}/{name}/__init__.py")
        own_tests = archive.extractfile(f"{top}/test_{name}.py")
        assert package is not None and own_tests is not None
        tests.parent.mkdir(parents=True, exist_ok=True)
        module.write_bytes(package.read())
        tests.write_bytes(own_tests.read())
    return module, tests


@contextlib.contextmanager
def cpu_group() -> Iterator[Path | None]:
    """A fresh cpuacct cgroup (None where none can be made): its usage counts every process
    put in it and all they start, sandboxes included."""
    group = CPUACCT / f"atg-bench-{uuid.uuid4().hex[:8]}"
    try:
        group.mkdir()
    except OSError:
        yield None
        return
    try:
        yield group
    finally:
        for _ in range(100):
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.05)


def cpu_seconds(group: Path) -> float:
    return int((group / "cpuacct.usage").read_text()) / 1e9


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    """Wall and CPU time of a command and everything it starts."""
    with cpu_group() as group:

        def join() -> None:
            if group is not None:
                (group / "cgroup.procs").write_text(str(os.getpid()))

        started = time.perf_counter()
        completed = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, check=False,
            preexec_fn=join,
        )  # fmt: skip
        wall = time.perf_counter() - started
        cpu = cpu_seconds(group) if group is not None else None
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"{command[:4]} failed: {completed.stderr[-2000:]}")
    return {"wall_s": wall, "cpu_s": cpu}


def environment(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": ""}


def run_atg_cli(src: Path, root: Path, name: str, *extra: str) -> dict[str, Any]:
    atg = Path(sys.executable).parent / "atg"
    command = [str(atg), "eval", "file", "-s", f"{name}.py", "-t", f"tests/test_{name}.py",
               "--reruns", "0", *extra]  # fmt: skip
    return timed(command, root, environment(src))


def run_plain_coverage(root: Path, name: str) -> dict[str, Any]:
    """`coverage run --branch -m pytest` then `coverage json`, as two commands."""
    python = sys.executable
    env = {**os.environ, "PYTHONPATH": str(root)}
    first = timed([python, "-m", "coverage", "run", "--branch", "-m", "pytest", "-q", "-p",
                   "no:cacheprovider", f"tests/test_{name}.py"], root, env)  # fmt: skip
    second = timed([python, "-m", "coverage", "json", "-q", "-o", "coverage.json"], root, env)
    return {key: first[key] + second[key] for key in ("wall_s", "cpu_s")}


def run_mutation_phase(src: Path, root: Path, name: str, jobs: int) -> dict[str, Any]:
    """bench_mutation's `run_atg` in a process of its own inside a cpuacct cgroup."""
    with cpu_group() as group:
        if group is None:
            raise RuntimeError("no writable cpuacct cgroup: CPU time cannot be measured")
        completed = subprocess.run(
            [sys.executable, __file__, "--worker", str(root), name, str(jobs), str(group)],
            env={**environment(src), "PYTHONPATH": f"{src}:{ROOT / 'bench'}"},
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"mutation phase of {name} failed: {completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.splitlines()[-1])
    return result


def worker(root: Path, name: str, jobs: int, group: Path) -> None:
    (group / "cgroup.procs").write_text(str(os.getpid()))
    result = run_atg(root, name, jobs, cpu_clock=lambda: cpu_seconds(group))
    print(json.dumps(result))


def fresh(name: str, files: tuple[Path, Path], scratch: Path, label: str) -> Path:
    target = scratch / label
    shutil.rmtree(target, ignore_errors=True)
    return project(name, *files, target)


def one_round(  # noqa: PLR0917 - one round's whole setting
    trees: dict[str, Path], name: str, files: tuple[Path, Path], scratch: Path, peers: Path,
    jobs: int,
) -> dict[str, Any]:  # fmt: skip
    row: dict[str, Any] = {}
    for label, src in trees.items():
        row[f"{label}_full"] = run_atg_cli(src, fresh(name, files, scratch, "cli"), name)
        row[f"{label}_no_mutation"] = run_atg_cli(
            src, fresh(name, files, scratch, "cli"), name, "--no-mutation"
        )
        phase = run_mutation_phase(src, fresh(name, files, scratch, "api"), name, jobs)
        row[f"{label}_mutation_phase"] = phase
    row["plain_coverage"] = run_plain_coverage(fresh(name, files, scratch, "cov"), name)
    row["mutmut"] = run_mutmut(peers, fresh(name, files, scratch, "mutmut"), name, jobs)
    return row


def median_of(rounds: list[dict[str, Any]], key: str, field: str) -> float:
    return statistics.median(r[key][field] for r in rounds)


def summarize(name: str, lines: int, rounds: list[dict[str, Any]], labels: list[str]) -> dict:
    mutmut_wall = median_of(rounds, "mutmut", "wall_s")
    coverage_wall = median_of(rounds, "plain_coverage", "wall_s")
    summary: dict[str, Any] = {
        "lines": lines,
        "mutmut_wall_s": mutmut_wall,
        "mutmut_mutants": rounds[-1]["mutmut"]["mutants"],
        "mutmut_score": rounds[-1]["mutmut"]["score"],
        "plain_coverage_wall_s": coverage_wall,
    }
    for label in labels:
        phases = [r[f"{label}_mutation_phase"] for r in rounds]
        full = median_of(rounds, f"{label}_full", "wall_s")
        bare = median_of(rounds, f"{label}_no_mutation", "wall_s")
        per_mutant = statistics.median(p["cpu_s"] / max(1, p["run"]) for p in phases)
        # what one mutant's forked child used, the median over every mutant of every round
        child = statistics.median(c for p in phases for c in p.get("child_cpu_s") or [0.0])
        summary[label] = {
            "full_wall_s": full,
            "full_cpu_s": median_of(rounds, f"{label}_full", "cpu_s"),
            "no_mutation_wall_s": bare,
            "mutation_phase_wall_s": statistics.median(p["wall_s"] for p in phases),
            "mutation_phase_cpu_s": statistics.median(p["cpu_s"] for p in phases),
            "mutants_run": phases[-1]["run"],
            "score": phases[-1]["score"],
            "timeouts": phases[-1]["timeouts"],
            "cpu_ms_per_mutant": per_mutant * 1000,
            "child_cpu_ms_median": child * 1000,
            "mutmut_over_full": mutmut_wall / full,
            "no_mutation_over_plain_coverage": bare / coverage_wall,
        }
    last = rounds[-1]
    summary["same_mutants"] = same_mutants(
        last[f"{labels[-1]}_mutation_phase"]["identities"], last["mutmut"]["identities"]
    )
    return summary


def timeout_cost(src: Path, scratch: Path, jobs: int) -> dict[str, Any]:
    """What a mutant that never ends costs, against its covering tests' measured time."""
    source = scratch / "looping-src"
    (source / "tests").mkdir(parents=True, exist_ok=True)
    (source / "looping.py").write_text(LOOPING_MODULE)
    (source / "tests" / "test_looping.py").write_text(LOOPING_TESTS)
    files = (source / "looping.py", source / "tests" / "test_looping.py")
    phase = run_mutation_phase(src, fresh("looping", files, scratch, "loop"), "looping", jobs)
    return {
        "timeouts": phase["timeouts"],
        "timeout_durations_s": phase["timeout_durations_s"],
        "covering_tests_s": phase.get("covering_durations_s"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--before-src", type=Path, help="another checkout's src, run alongside")
    parser.add_argument("--only", nargs="*", help="module names to run")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--peers-venv", type=Path, default=ROOT / "bench" / ".peers")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        root, name, jobs, group = args.worker
        worker(Path(root), name, int(jobs), Path(group))
        return
    peers = peers_python(args.peers_venv)
    modules = {
        "billing": MODULES["billing"],
        "expr": MODULES["expr"],
        "inflection": library_files(),
    }
    trees = {"after": ROOT / "src"}
    if args.before_src:
        trees = {"before": args.before_src.resolve(), **trees}
    report: dict[str, Any] = {"jobs": args.jobs, "repeat": args.repeat, "mutmut": "3.8.1",
                              "library": "==".join(LIBRARY), "modules": {}}  # fmt: skip
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        for name, files in modules.items():
            if args.only and name not in args.only:
                continue
            rounds = []
            for index in range(args.repeat):
                print(f"{name}: round {index + 1}", file=sys.stderr, flush=True)
                rounds.append(one_round(trees, name, files, scratch, peers, args.jobs))
            lines = len(files[0].read_text().splitlines())
            summary = summarize(name, lines, rounds, list(trees))
            report["modules"][name] = summary
            print(json.dumps(summary, indent=2), flush=True)
        report["timeout"] = {label: timeout_cost(src, scratch, args.jobs)
                             for label, src in trees.items()}  # fmt: skip
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print_table(report, list(trees))


def print_table(report: dict[str, Any], labels: list[str]) -> None:
    print("module | tree | atg full s | mutmut s | mutmut/atg | --no-mutation s | "
          "coverage+json s | ratio | phase CPU ms/mutant | child CPU ms median | "
          "same verdicts")  # fmt: skip
    for name, row in report["modules"].items():
        same = row["same_mutants"]
        for label in labels:
            r = row[label]
            print(f"{name} | {label} | {r['full_wall_s']:.2f} | {row['mutmut_wall_s']:.2f} | "
                  f"{r['mutmut_over_full']:.1f}x | {r['no_mutation_wall_s']:.2f} | "
                  f"{row['plain_coverage_wall_s']:.2f} | "
                  f"{r['no_mutation_over_plain_coverage']:.2f} | "
                  f"{r['cpu_ms_per_mutant']:.1f} | {r['child_cpu_ms_median']:.1f} | "
                  f"{same['same_verdict']}/{same['mutants']}")  # fmt: skip
    for label, cost in report["timeout"].items():
        print(
            f"never-ending mutant ({label}): timeouts {cost['timeouts']}, cost "
            f"{cost['timeout_durations_s']} s, covering tests {cost['covering_tests_s']} s"
        )


if __name__ == "__main__":
    main()
