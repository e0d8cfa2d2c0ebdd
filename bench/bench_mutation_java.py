"""atg's Java mutation testing against PIT (pitest), on the same classes and the same tests.

For three entries of the built-in Java dataset (Clamp, RomanNumerals, LruCache: class + JUnit 5
reference tests, package `atg.examples`) the script runs:

- PIT 1.30.2 (command line, `pitest-junit5-plugin` 1.2.3, JUnit Platform 1.14.1, mutators
  DEFAULTS, `--threads 1`) on the class and test compiled here with javac; its wall clock is the
  whole PIT command (JVM start, coverage, every mutant in its minion JVM); its XML report gives
  each mutation's status;
- atg: `get_adapter("java").run(...)` with `RunOptions(reruns=0, mutation=True)` in the
  bubblewrap sandbox; its wall clock is the whole call (compile, instrumented JaCoCo run,
  mutants), and `outcome.mutation.duration_s` (the mutation phase alone) is reported apart.

The mutant sets differ: PIT mutates bytecode with its DEFAULTS group (in 1.30.2, read from
`StandardMutatorGroups`: INVERT_NEGS, MATH, VOID_METHOD_CALLS, REMOVE_CONDITIONALS_ORDER_ELSE,
REMOVE_CONDITIONALS_EQUAL_ELSE, CONDITIONALS_BOUNDARY, INCREMENTS and the RETURNS group: no
NEGATE_CONDITIONALS any more); atg mutates the source with its own operators
(`evals/mutation/_text.py`: arithmetic, comparison, boundary, boolean, not, number, string,
true-false, return-value, remove-call, remove-raise, augmented-assignment). The operators each
tool used are listed per entry. Score = killed / (killed + survived), timeouts (PIT also: memory
errors) counted as killed; no-coverage mutants and errors are outside the score.

PIT's jars are fetched once with Maven (`bench/peers/pit/pom.xml`) into `bench/.cache/pit/`.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_mutation_java.py
Results: bench/results/mutation_java.json
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import re
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from agentic_testgen.datasets import load_dataset
from agentic_testgen.domain import MutantStatus
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.sandbox import get_sandbox

ROOT = Path(__file__).resolve().parents[1]
PIT_POM = ROOT / "bench/peers/pit/pom.xml"
PIT_CACHE = ROOT / "bench/.cache/pit"
PIT_VERSION = "1.30.2"
PIT_JUNIT5_PLUGIN = "1.2.3"
JUNIT_PLATFORM = "1.14.1"
ENTRIES = ("java/Clamp", "java/RomanNumerals", "java/LruCache")
PACKAGE = "atg.examples"
PIT_DEFAULTS = (
    "INVERT_NEGS", "MATH", "VOID_METHOD_CALLS", "REMOVE_CONDITIONALS_ORDER_ELSE",
    "REMOVE_CONDITIONALS_EQUAL_ELSE", "CONDITIONALS_BOUNDARY", "INCREMENTS", "RETURNS",
)  # fmt: skip
PIT_DETECTED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR"}


def fetch_pit() -> list[Path]:
    """PIT's jars and JUnit's, copied by Maven once into the cache."""
    needed = (
        f"pitest-command-line-{PIT_VERSION}.jar",
        f"pitest-junit5-plugin-{PIT_JUNIT5_PLUGIN}.jar",
        f"junit-platform-console-standalone-{JUNIT_PLATFORM}.jar",
    )
    if not all((PIT_CACHE / name).exists() for name in needed):
        PIT_CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["mvn", "-q", "-B", "-f", str(PIT_POM), "dependency:copy-dependencies",
             f"-DoutputDirectory={PIT_CACHE}"],
            check=True,
        )  # fmt: skip
    return sorted(PIT_CACHE.glob("*.jar"))


def junit_jar() -> Path:
    return PIT_CACHE / f"junit-platform-console-standalone-{JUNIT_PLATFORM}.jar"


def compile_entry(entry: Any, root: Path) -> tuple[Path, Path, str, str]:
    """Writes the class and its test under root/src and compiles both into root/classes."""
    source_dir = root / "src"
    package_dir = source_dir / PACKAGE.replace(".", "/")
    package_dir.mkdir(parents=True)
    tests = entry.reference_tests
    name = Path(entry.source.path).stem
    test_name = Path(tests.filename or tests.path).stem
    (package_dir / f"{name}.java").write_text(entry.source.code)
    (package_dir / f"{test_name}.java").write_text(tests.code)
    classes = root / "classes"
    classes.mkdir()
    subprocess.run(
        ["javac", "-nowarn", "-encoding", "UTF-8", "-g", "-d", str(classes),
         "-cp", str(junit_jar()), *map(str, sorted(package_dir.glob("*.java")))],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return source_dir, classes, name, test_name


def pit_timings(stdout: str) -> dict[str, float]:
    """PIT's own phase timings ("> run mutation analysis : 2 seconds")."""
    timings: dict[str, float] = {}
    for match in re.finditer(r"^> ([a-z ]+?) : (?:(\d+) minutes? and )?(\d+) seconds?", stdout,
                             re.MULTILINE):  # fmt: skip
        minutes = int(match.group(2) or 0)
        timings[match.group(1).strip()] = minutes * 60 + int(match.group(3))
    return timings


def run_pit(jars: list[Path], entry: Any, root: Path) -> dict[str, Any]:
    source_dir, classes, name, test_name = compile_entry(entry, root)
    report = root / "pit-report"
    class_path = ",".join([str(classes), str(junit_jar())])
    command = [
        "java", "-cp", os.pathsep.join(map(str, jars)),
        "org.pitest.mutationtest.commandline.MutationCoverageReport",
        "--reportDir", str(report),
        "--targetClasses", f"{PACKAGE}.{name}*",
        "--targetTests", f"{PACKAGE}.{test_name}",
        "--sourceDirs", str(source_dir),
        "--classPath", class_path,
        "--outputFormats", "XML",
        "--timestampedReports=false",
        "--threads", "1",
        "--mutators", "DEFAULTS",
    ]  # fmt: skip
    start = time.monotonic()
    done = subprocess.run(command, check=False, capture_output=True, text=True, cwd=root)
    wall = time.monotonic() - start
    if done.returncode != 0:
        raise RuntimeError(f"PIT failed ({done.returncode}):\n{done.stdout[-3000:]}\n"
                           f"{done.stderr[-3000:]}")  # fmt: skip
    statuses: collections.Counter[str] = collections.Counter()
    operators: collections.Counter[str] = collections.Counter()
    tests_run = 0
    for mutation in ET.parse(report / "mutations.xml").getroot().iter("mutation"):
        statuses[mutation.get("status", "?")] += 1
        operators[(mutation.findtext("mutator") or "?").rsplit(".", 1)[-1]] += 1
        tests_run += int(mutation.get("numberOfTestsRun") or 0)
    killed = sum(statuses[s] for s in PIT_DETECTED)
    survived = statuses["SURVIVED"]
    no_coverage = statuses["NO_COVERAGE"]
    mutants = sum(statuses.values())
    return {
        "mutants": mutants,
        "killed": killed,
        "timeouts": statuses["TIMED_OUT"],
        "survived": survived,
        "no_coverage": no_coverage,
        "errors": mutants - killed - survived - no_coverage,
        "score": killed / (killed + survived) if killed + survived else None,
        "wall_s": wall,
        "ms_per_mutant": 1000 * wall / mutants if mutants else None,
        "tests_run": tests_run,
        "statuses": dict(statuses),
        "operators": dict(operators),
        "pit_timings_s": pit_timings(done.stdout),
    }


def run_atg(entry: Any) -> dict[str, Any]:
    adapter = get_adapter("java")
    sandbox = get_sandbox("bwrap")
    start = time.monotonic()
    outcome = adapter.run(
        entry.source, entry.reference_tests, sandbox, RunOptions(reruns=0, mutation=True)
    )
    wall = time.monotonic() - start
    mutation = outcome.mutation
    if mutation is None:
        raise RuntimeError(f"atg ran no mutants: {outcome.syntax_error or outcome}")
    count = mutation.count
    killed = count(MutantStatus.KILLED) + count(MutantStatus.TIMEOUT)
    survived = count(MutantStatus.SURVIVED)
    mutants = len(mutation.mutants)
    return {
        "mutants": mutants,
        "killed": killed,
        "timeouts": count(MutantStatus.TIMEOUT),
        "survived": survived,
        "no_coverage": count(MutantStatus.NO_COVERAGE),
        "errors": count(MutantStatus.ERROR) + count(MutantStatus.NOT_SAMPLED),
        "score": killed / (killed + survived) if killed + survived else None,
        "wall_s": wall,
        "ms_per_mutant": 1000 * wall / mutants if mutants else None,
        "mutation_duration_s": mutation.duration_s,
        "mutation_ms_per_mutant": 1000 * mutation.duration_s / mutants if mutants else None,
        "tests_run": sum(m.tests_run for m in mutation.mutants),
        "tests": len(outcome.tests),
        "tests_passed": sum(t.outcome == "passed" for t in outcome.tests),
        "operators": dict(collections.Counter(m.operator for m in mutation.mutants)),
        "notes": list(mutation.notes),
    }


def java_version() -> str:
    done = subprocess.run(["java", "-version"], check=False, capture_output=True, text=True)
    return done.stderr.splitlines()[0] if done.stderr else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "bench/results/mutation_java.json")
    args = parser.parse_args()
    jars = fetch_pit()
    entries = {e.id: e for e in load_dataset("java").entries}
    report: dict[str, Any] = {
        "pit": {"pitest": PIT_VERSION, "pitest-junit5-plugin": PIT_JUNIT5_PLUGIN,
                "junit-platform": JUNIT_PLATFORM, "mutators": "DEFAULTS",
                "defaults_group": list(PIT_DEFAULTS), "threads": 1},
        "atg": {"options": "RunOptions(reruns=0, mutation=True)", "sandbox": "bwrap"},
        "java": java_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "entries": {},
    }  # fmt: skip
    for entry_id in ENTRIES:
        entry = entries[entry_id]
        row: dict[str, Any] = {"lines": len(entry.source.code.splitlines())}
        with tempfile.TemporaryDirectory(prefix="bench-pit-") as scratch:
            try:
                row["pit"] = run_pit(jars, entry, Path(scratch))
            except (RuntimeError, subprocess.CalledProcessError, OSError) as problem:
                detail = getattr(problem, "stderr", "") or ""
                row["pit_error"] = f"{problem}\n{detail}"[-4000:]
                print(f"{entry_id}: PIT failed: {row['pit_error']}", flush=True)
        try:
            row["atg"] = run_atg(entry)
        except RuntimeError as problem:
            row["atg_error"] = str(problem)[-4000:]
            print(f"{entry_id}: atg failed: {row['atg_error']}", flush=True)
        if "pit" in row and "atg" in row:
            row["atg_wall_over_pit_wall"] = row["atg"]["wall_s"] / row["pit"]["wall_s"]
        report["entries"][entry_id] = row
        print(json.dumps({entry_id: row}, indent=2), flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)


def print_table(report: dict[str, Any]) -> None:
    def fmt(value: Any) -> str:
        return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)

    header = ("entry", "tool", "mutants", "killed", "survived", "no cov", "errors", "score",
              "wall s", "ms/mutant")  # fmt: skip
    print()
    print(" | ".join(header))
    for entry_id, row in report["entries"].items():
        for tool in ("pit", "atg"):
            if tool in row:
                r = row[tool]
                print(" | ".join(fmt(v) for v in (
                    entry_id, tool, r["mutants"], r["killed"], r["survived"], r["no_coverage"],
                    r["errors"], r["score"], r["wall_s"], r["ms_per_mutant"],
                )))  # fmt: skip
        if "atg" in row:
            a = row["atg"]
            print(f"{entry_id}: atg mutation phase {a['mutation_duration_s']:.3f} s "
                  f"({fmt(a['mutation_ms_per_mutant'])} ms/mutant)")  # fmt: skip
        if "atg_wall_over_pit_wall" in row:
            print(f"{entry_id}: atg wall / PIT wall = {row['atg_wall_over_pit_wall']:.3f}")
    print()
    print("Operators (the mutant sets differ):")
    print(f"  PIT DEFAULTS group: {', '.join(report['pit']['defaults_group'])}")
    for entry_id, row in report["entries"].items():
        for tool in ("pit", "atg"):
            if tool in row:
                used = ", ".join(f"{k} {v}" for k, v in sorted(row[tool]["operators"].items()))
                print(f"  {entry_id} {tool}: {used}")


if __name__ == "__main__":
    main()
