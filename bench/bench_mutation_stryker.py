"""atg's JavaScript mutation testing against StrykerJS, on the same modules and the same tests.

For entries of the built-in `javascript` dataset (module + node:test reference tests, CommonJS
and ES modules) the script runs, with one worker and then with two (each tool's default on this
2-core machine):

- StrykerJS 9.6.1 (`@stryker-mutator/core`, the last major that runs on Node 20; 10.x needs Node
  22) with `@stryker-mutator/tap-runner` 9.6.1, in a scratch project holding the module, its test
  file and a `node_modules` link to the cache: `stryker run` with `testRunner: "tap"`,
  `coverageAnalysis: "perTest"` (Stryker's default), every mutator (the default), the json
  reporter, `concurrency` 1 or 2. The tap runner runs each test file as
  `node --test-reporter=tap -r <its hook> <file>` and reads the TAP: that is how a Stryker user
  runs node:test files (the `command` runner would also run them, but with no coverage
  analysis, so every mutant, covered or not, would run the whole suite). Its limits: the tap
  runner's "test" is a whole test file, so per-test coverage is per file (with one test file per
  module it is the same as `all`), a covered mutant runs every test in the file (the process is
  killed at the first failing test, `forceBail`), and the killer is named by the file only.
  The wall clock is the whole command (node start, instrumenting the module with every mutant
  at once, the dry run with coverage, one fresh node process per mutant, reporters);
  `reports/mutation/mutation.json` gives each mutant's mutator, span, replacement and status.
- atg: `get_adapter("javascript").run(...)` with `RunOptions(reruns=0, parallel=N,
  mutation=True)` in the bubblewrap sandbox; its wall clock is the whole call (the instrumented
  node:test run with per-test V8 coverage, then one fresh node process per covered mutant, each
  running only the tests that executed its lines), and `outcome.mutation.duration_s` (the
  mutation phase alone) is reported apart.

On three entries (clamp, csvLine, money: 41, 93 and 188 lines) each tool's run is repeated
(`--repeats`, default 3, alternating Stryker and atg) and the median wall clock reported; the
other entries run once. Mutant counts and statuses come from the first run, and the statuses of
the other runs are checked against it. Score = killed / (killed + survived), timeouts counted as
killed (Stryker's own score also counts no-coverage mutants as undetected; it is given apart).

The mutant sets differ: Stryker mutates the Babel AST with its own mutators (ArithmeticOperator,
EqualityOperator giving both `<=` and `>=` for `<`, ConditionalExpression replacing conditions
with `true`/`false`, BlockStatement emptying blocks, StringLiteral emptying strings,
LogicalOperator, BooleanLiteral, UnaryOperator, UpdateOperator, AssignmentOperator,
MethodExpression, OptionalChaining, ArrayDeclaration, ObjectLiteral, Regex); atg mutates the
source text with the Python engine's operators (`evals/mutation/_text.py`). The operators each
tool used are counted per entry. Mutants both tools make are compared verdict by verdict
(detected, survived or not covered) and every disagreement is listed; two mutants are the same
when the mutated modules have the same tree-sitter syntax tree, grouping parentheses and layout
left out (same span and same replacement, except that Babel prints Stryker's replacement with
its own parentheses: `(a || b) && c` where atg's token swap writes `a || b && c`, which parses
as another mutant).

Stryker's packages are installed once with `npm ci` from `bench/peers/stryker/package-lock.json`
into `bench/.cache/stryker/`.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_mutation_stryker.py [--entries js/clamp ...]
       [--repeats 3] [--workers 1 2] [--merge] [--lock /tmp/heavy.lock]
Results: bench/results/mutation_stryker.json
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import fcntl
import functools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tree_sitter
import tree_sitter_javascript

from agentic_testgen.datasets import load_dataset
from agentic_testgen.domain import MutantStatus
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.sandbox import get_sandbox

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT / "bench/peers/stryker"
CACHE = ROOT / "bench/.cache/stryker"
STRYKER_VERSION = "9.6.1"
STRYKER_BIN = CACHE / "node_modules/@stryker-mutator/core/bin/stryker.js"
# Stryker's statuses; CompileError and RuntimeError are errors, Ignored is not run
STRYKER_DETECTED = {"Killed", "Timeout"}
ATG_DETECTED = {MutantStatus.KILLED, MutantStatus.TIMEOUT}
# small, medium and large (41, 93 and 188 lines; CommonJS and an ES module): timed repeatedly
TIMED = ("js/clamp", "js/csvLine", "js/money")


def fetch_stryker() -> Path:
    """StrykerJS and its tap runner, installed by `npm ci` from the committed lock once."""
    lock = PEER / "package-lock.json"
    cached_lock = CACHE / "package-lock.json"
    fresh = cached_lock.exists() and cached_lock.read_bytes() == lock.read_bytes()
    if not (fresh and STRYKER_BIN.exists()):
        CACHE.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(PEER / name, CACHE / name)
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=CACHE, check=True
        )
    return STRYKER_BIN


@contextlib.contextmanager
def held(lock: Path | None) -> Iterator[None]:
    """Holds an exclusive flock on `lock` (when given), so no other heavy job overlaps."""
    if lock is None:
        yield
        return
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def stryker_config(module: str, test_file: str, workers: int) -> dict[str, Any]:
    return {
        "$schema": "./node_modules/@stryker-mutator/core/schema/stryker-schema.json",
        "testRunner": "tap",
        "coverageAnalysis": "perTest",
        "mutate": [module],
        "tap": {"testFiles": [test_file]},
        "reporters": ["json"],
        "concurrency": workers,
    }


def run_stryker(stryker: Path, entry: Any, workers: int) -> dict[str, Any]:
    module = Path(entry.source.path).name
    test_file = entry.reference_tests.filename
    with tempfile.TemporaryDirectory(prefix="bench-stryker-") as scratch:
        root = Path(scratch)
        (root / module).write_text(entry.source.code)
        (root / test_file).write_text(entry.reference_tests.code)
        (root / "node_modules").symlink_to(CACHE / "node_modules")
        config = stryker_config(module, test_file, workers)
        (root / "stryker.config.json").write_text(json.dumps(config, indent=2))
        start = time.monotonic()
        done = subprocess.run(
            ["node", str(stryker), "run"], check=False, capture_output=True, text=True, cwd=root
        )
        wall = time.monotonic() - start
        report_file = root / "reports/mutation/mutation.json"
        if done.returncode != 0 or not report_file.exists():
            raise RuntimeError(
                f"Stryker failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )
        report = json.loads(report_file.read_text())
    mutants = [
        {
            "span": _span(entry.source.code, m["location"]["start"], m["location"]["end"]),
            "operator": m["mutatorName"],
            "replacement": m["replacement"],
            "status": m["status"],
            "verdict": _verdict(m["status"] in STRYKER_DETECTED, m["status"]),
            "line": m["location"]["start"]["line"],
            "static": bool(m.get("static")),
            "tests_completed": m.get("testsCompleted"),
        }
        for m in report["files"][module]["mutants"]
    ]
    statuses = collections.Counter(m["status"] for m in mutants)
    killed = statuses["Killed"] + statuses["Timeout"]
    survived = statuses["Survived"]
    no_coverage = statuses["NoCoverage"]
    return {
        "mutants": len(mutants),
        "killed": killed,
        "timeouts": statuses["Timeout"],
        "survived": survived,
        "no_coverage": no_coverage,
        "errors": len(mutants) - killed - survived - no_coverage,
        "score": killed / (killed + survived) if killed + survived else None,
        "stryker_score": killed / (killed + survived + no_coverage) if mutants else None,
        "wall_s": wall,
        "static_mutants": sum(m["static"] for m in mutants),
        "statuses": dict(statuses),
        "operators": dict(collections.Counter(m["operator"] for m in mutants)),
        "each": mutants,
    }


def run_atg(entry: Any, workers: int) -> dict[str, Any]:
    adapter = get_adapter("javascript")
    options = RunOptions(reruns=0, parallel=workers, mutation=True)
    start = time.monotonic()
    outcome = adapter.run(entry.source, entry.reference_tests, get_sandbox("bwrap"), options)
    wall = time.monotonic() - start
    mutation = outcome.mutation
    if mutation is None:
        raise RuntimeError(f"atg ran no mutants: {outcome.syntax_error or list(outcome.notes)}")
    code = entry.source.code
    mutants = [
        {
            "span": _byte_span(code, m.line, m.col, m.end_line, m.end_col),
            "operator": m.operator,
            "replacement": m.mutated,
            "status": str(m.status),
            "verdict": _verdict(m.status in ATG_DETECTED, m.status),
            "line": m.line,
            "static": m.import_time,
            "tests_run": m.tests_run,
        }
        for m in mutation.mutants
    ]
    count = mutation.count
    killed = count(MutantStatus.KILLED) + count(MutantStatus.TIMEOUT)
    survived = count(MutantStatus.SURVIVED)
    no_coverage = count(MutantStatus.NO_COVERAGE)
    return {
        "mutants": len(mutants),
        "killed": killed,
        "timeouts": count(MutantStatus.TIMEOUT),
        "survived": survived,
        "no_coverage": no_coverage,
        "errors": count(MutantStatus.ERROR) + count(MutantStatus.NOT_SAMPLED),
        "score": killed / (killed + survived) if killed + survived else None,
        "wall_s": wall,
        "mutation_duration_s": mutation.duration_s,
        "static_mutants": sum(m["static"] for m in mutants),
        "tests": len(outcome.tests),
        "tests_passed": sum(t.outcome == "passed" for t in outcome.tests),
        "operators": dict(collections.Counter(m["operator"] for m in mutants)),
        "notes": list(mutation.notes),
        "each": mutants,
    }


def _verdict(detected: bool, status: Any) -> str:
    if detected:
        return "detected"
    return {"Survived": "survived", "survived": "survived", "NoCoverage": "no coverage",
            "no_coverage": "no coverage"}.get(str(status), f"other ({status})")  # fmt: skip


def _line_starts(code: str) -> list[int]:
    starts = [0]
    for line in code.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _span(code: str, start: dict[str, int], end: dict[str, int]) -> tuple[int, int]:
    """Character offsets of a Stryker location (1-based lines and columns, end exclusive)."""
    starts = _line_starts(code)
    return (
        starts[start["line"] - 1] + start["column"] - 1,
        starts[end["line"] - 1] + end["column"] - 1,
    )


def _byte_span(code: str, line: int, col: int, end_line: int, end_col: int) -> tuple[int, int]:
    """Character offsets of an atg location (1-based lines, 0-based byte columns)."""
    lines = code.splitlines(keepends=True)
    starts = _line_starts(code)

    def offset(row: int, byte_col: int) -> int:
        return starts[row - 1] + len(lines[row - 1].encode()[:byte_col].decode())

    return offset(line, col), offset(end_line, end_col)


@functools.cache
def _js_parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_javascript.language()))


@functools.cache
def _tree(code: str) -> tree_sitter.Node:
    return _js_parser().parse(code.encode("utf-8")).root_node


# node types a replacement stands for as a statement, not an expression (no parentheses around)
_STATEMENTS = ("statement", "statement_block", "declaration", "program", "switch_case")


def mutated_tree(code: str, span: tuple[int, int], replacement: str, *, node: bool) -> str:
    """The syntax tree of the module with `replacement` over `span` (character offsets),
    grouping parentheses and layout left out: two mutants are the same when these are equal.

    `node`: the replacement is a whole syntax node, as Stryker's are (it mutates the Babel tree
    and prints the replaced node alone, without the parentheses its place may need: `a && b ||
    c` for the left operand of `... && d` means `(a && b || c) && d`), so an expression is
    parenthesized in place. atg's replacement is text (its token swap writes `a && b || c &&
    d`, which parses as `(a && b) || (c && d)`: that is the mutant it runs)."""
    start, end = span
    before, after = code[:start].encode("utf-8"), code[end:].encode("utf-8")
    inserted = replacement.encode("utf-8")
    if node:
        replaced = _tree(code).descendant_for_byte_range(
            len(before), len(before) + len(code[start:end].encode("utf-8"))
        )
        if replaced is not None and not replaced.type.endswith(_STATEMENTS):
            inserted = b"(" + inserted + b")"
    parts: list[str] = []

    def visit(node: tree_sitter.Node) -> None:
        if node.type == "parenthesized_expression":
            for child in node.children:
                if child.type not in ("(", ")"):
                    visit(child)
            return
        if node.child_count == 0:
            parts.append(f"{node.type}:{(node.text or b'').decode('utf-8', 'replace')}")
            return
        parts.append(f"({node.type}")
        for child in node.children:
            visit(child)
        parts.append(")")

    visit(_js_parser().parse(before + inserted + after).root_node)
    return " ".join(parts)


def _operator_swap(code: str, mutant: dict[str, Any]) -> str | None:
    """For an atg mutant of a binary expression, the mutant it means: the operands kept as
    they are grouped, only the operator swapped (`(left) op (right)`); None for other mutants."""
    start, end = mutant["span"]
    raw = code.encode("utf-8")
    first, last = len(code[:start].encode("utf-8")), len(code[:end].encode("utf-8"))
    node = _tree(code).descendant_for_byte_range(first, last)
    if node is None or node.type != "binary_expression" or node.end_byte != last:
        return None
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return None
    mutated = mutant["replacement"].encode("utf-8")
    head, tail = left.end_byte - first, last - right.start_byte
    operator = mutated[head : len(mutated) - tail].decode("utf-8").strip()
    left_text = raw[left.start_byte : left.end_byte].decode("utf-8")
    right_text = raw[right.start_byte : right.end_byte].decode("utf-8")
    return f"({left_text}) {operator} ({right_text})"


def same_mutants(
    code: str, stryker: list[dict[str, Any]], atg: list[dict[str, Any]]
) -> dict[str, Any]:
    """Mutants both tools made (the same mutated module, as `mutated_tree` tells) and their
    verdicts."""

    def key(mutant: dict[str, Any], *, node: bool) -> str:
        return mutated_tree(code, mutant["span"], mutant["replacement"], node=node)

    theirs = {key(m, node=True): m for m in stryker}
    pairs = [(theirs[k], m) for m in atg if (k := key(m, node=False)) in theirs]
    disagreements = [
        {"line": a["line"], "atg_replacement": a["replacement"],
         "stryker_replacement": s["replacement"], "stryker": s["operator"],
         "atg": a["operator"], "stryker_status": s["status"], "atg_status": a["status"]}
        for s, a in pairs
        if s["verdict"] != a["verdict"]
    ]  # fmt: skip

    def score(verdicts: list[str]) -> float | None:
        counted = [v for v in verdicts if v in ("detected", "survived")]
        return counted.count("detected") / len(counted) if counted else None

    regrouped = [
        {"line": a["line"], "operator": a["operator"], "replacement": a["replacement"]}
        for a in atg
        if (meant := _operator_swap(code, a)) is not None
        and key(a, node=False) != mutated_tree(code, a["span"], meant, node=True)
    ]  # fmt: skip
    return {
        "atg_regrouped": regrouped,
        "same_mutants": len(pairs),
        "agree": len(pairs) - len(disagreements),
        "stryker_score_on_same": score([s["verdict"] for s, _ in pairs]),
        "atg_score_on_same": score([a["verdict"] for _, a in pairs]),
        "operator_pairs": dict(
            collections.Counter(f"{s['operator']} = {a['operator']}" for s, a in pairs)
        ),
        "disagreements": disagreements,
    }


def _statuses(run: dict[str, Any]) -> list[str]:
    return [m["status"] for m in run["each"]]


def measure(
    stryker: Path, entry: Any, workers: int, repeats: int, lock: Path | None
) -> dict[str, Any]:
    """Both tools on one entry with `workers` workers, `repeats` times each, alternating."""
    stryker_runs: list[dict[str, Any]] = []
    atg_runs: list[dict[str, Any]] = []
    for _ in range(repeats):
        with held(lock):
            stryker_runs.append(run_stryker(stryker, entry, workers))
            atg_runs.append(run_atg(entry, workers))
    row: dict[str, Any] = {}
    for tool, runs in (("stryker", stryker_runs), ("atg", atg_runs)):
        first = dict(runs[0])
        walls = [run["wall_s"] for run in runs]
        first["wall_s"] = statistics.median(walls)
        first["wall_s_runs"] = walls
        first["ms_per_mutant"] = 1000 * first["wall_s"] / max(1, first["mutants"])
        if tool == "atg":
            phases = [run["mutation_duration_s"] for run in runs]
            first["mutation_duration_s"] = statistics.median(phases)
        first["statuses_differ_in_runs"] = sum(
            _statuses(run) != _statuses(runs[0]) for run in runs[1:]
        )
        row[tool] = first
    row["atg_wall_over_stryker_wall"] = row["atg"]["wall_s"] / row["stryker"]["wall_s"]
    row["same"] = same_mutants(entry.source.code, row["stryker"]["each"], row["atg"]["each"])
    return row


def node_version() -> str:
    return subprocess.run(["node", "--version"], check=True, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", nargs="*", help="dataset ids (default: every entry)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each timed entry")
    parser.add_argument(
        "--timed",
        nargs="*",
        default=list(TIMED),
        help="entries run --repeats times (median wall clock); the others run once",
    )
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--lock", type=Path, help="flock this file around each entry's runs")
    parser.add_argument(
        "--merge", action="store_true", help="keep the output's runs with other worker counts"
    )
    parser.add_argument("--keep-each", action="store_true", help="keep every mutant in the JSON")
    parser.add_argument("--output", type=Path, default=ROOT / "bench/results/mutation_stryker.json")
    args = parser.parse_args()
    stryker = fetch_stryker()
    entries = {e.id: e for e in load_dataset("javascript").entries}
    chosen = args.entries or list(entries)
    report: dict[str, Any] = {
        "stryker": {
            "core": STRYKER_VERSION, "tap-runner": STRYKER_VERSION, "testRunner": "tap",
            "coverageAnalysis": "perTest", "mutators": "all (default)", "reporters": ["json"],
        },
        "atg": {"options": "RunOptions(reruns=0, parallel=N, mutation=True)", "sandbox": "bwrap"},
        "repeats": args.repeats,
        "node": node_version().strip(),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "system": platform.platform(),
        "runs": {},
    }  # fmt: skip
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if args.merge and args.output.exists():
        report["runs"] = json.loads(args.output.read_text()).get("runs", {})
    for workers in args.workers:
        by_entry: dict[str, Any] = {}
        for entry_id in chosen:
            entry = entries[entry_id]
            repeats = args.repeats if entry_id in args.timed else 1
            row: dict[str, Any] = {"lines": len(entry.source.code.splitlines())}
            try:
                row.update(measure(stryker, entry, workers, repeats, args.lock))
            except (RuntimeError, OSError, subprocess.CalledProcessError) as problem:
                row["error"] = str(problem)[-4000:]
                print(f"{entry_id}: {row['error']}", flush=True)
            else:
                print_row(entry_id, workers, row)
                if not args.keep_each:
                    for tool in ("stryker", "atg"):
                        row[tool].pop("each")
            by_entry[entry_id] = row
            report["runs"][f"workers={workers}"] = by_entry
            args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written: {args.output}")


def print_row(entry_id: str, workers: int, row: dict[str, Any]) -> None:
    def fmt(value: Any) -> str:
        return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)

    for tool in ("stryker", "atg"):
        r = row[tool]
        print(" | ".join(fmt(v) for v in (
            entry_id, workers, tool, r["mutants"], r["killed"], r["timeouts"], r["survived"],
            r["no_coverage"], r["errors"], r["score"], r["wall_s"], r["ms_per_mutant"],
        )), flush=True)  # fmt: skip
    same = row["same"]
    for regrouped in same["atg_regrouped"]:
        print(f"    atg regrouped: {regrouped}", flush=True)
    print(f"  atg/stryker wall {row['atg_wall_over_stryker_wall']:.3f}; same mutants "
          f"{same['same_mutants']}, verdicts agree on {same['agree']}", flush=True)  # fmt: skip
    for disagreement in same["disagreements"]:
        print(f"    {disagreement}", flush=True)


if __name__ == "__main__":
    main()
