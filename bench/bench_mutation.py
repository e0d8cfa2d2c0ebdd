"""atg's mutation engine against mutmut 3 and cosmic-ray, on the same modules, in one run.

For each module (ours: bench/mutation/billing, about 190 lines and 45 tests; plus two modules of
the built-in datasets) the script runs:

- atg: one instrumented run (per-test coverage), then every mutant (`run_mutants`), in the
  bubblewrap sandbox on every core;
- mutmut 3 (`mutmut run --max-children N`), from a separate virtual environment;
- cosmic-ray (`init` + `exec` with the local distributor), unless `--skip-cosmic-ray`.

Reported side by side: mutant counts, killed/survived/timeouts, score, wall time and mutants per
second. Wall times are whole runs as a user starts them (for atg: the mutation phase, from
building the schemata to the last result, sandbox start included; the instrumented run it
needs is reported apart).

Matching operator sets: mutmut 3 mutates only inside functions and has operators atg lacks
(arguments and assignments replaced by None, string methods swapped) and atg has some it lacks
(return None, removed calls and raises). Each mutmut mutant is classified by the token change
between its function and the original; the "matched" scores count, on both sides, only the
categories both tools make (arithmetic, comparison, boundary, boolean, not, number, string,
true-false, augmented assignment) and, for atg, only mutants inside function definitions.

Usage: .venv/bin/python bench/bench_mutation.py [--jobs 2] [--skip-cosmic-ray]
Results: bench/results/mutation.json
"""

from __future__ import annotations

import argparse
import ast
import difflib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agentic_testgen.datasets import BUILTIN_DIR
from agentic_testgen.domain import MutantStatus
from agentic_testgen.evals import load_inputs
from agentic_testgen.evals.mutation import build_schemata
from agentic_testgen.languages import RunOptions, get_adapter
from agentic_testgen.languages.python._adapter import PythonAdapter
from agentic_testgen.languages.python._mutation import run_mutants
from agentic_testgen.sandbox import get_sandbox

ROOT = Path(__file__).resolve().parents[1]
PEERS = {"mutmut": "3.8.1", "cosmic-ray": "8.7.0"}
MODULES = {
    "billing": (ROOT / "bench/mutation/billing/billing.py",
                ROOT / "bench/mutation/billing/tests/test_billing.py"),
    "expr": (BUILTIN_DIR / "synthetic-complex/expr.py",
             BUILTIN_DIR / "synthetic-complex/test_expr.py"),
    "csv_line": (BUILTIN_DIR / "synthetic-medium/csv_line.py",
                 BUILTIN_DIR / "synthetic-medium/test_csv_line.py"),
}  # fmt: skip
MATCHED = {
    "arithmetic", "comparison", "boundary", "boolean", "not", "number", "string", "true-false",
    "augmented-assignment",
}  # fmt: skip
ARITHMETIC = {"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^"}
MUTMUT_KILLED, MUTMUT_SURVIVED = {1, 3}, {0}
MUTMUT_TIMEOUT = {24, 36, 152, 255, -24}


def peers_python(venv: Path) -> Path:
    """A virtual environment with the pinned peers, made on first use."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pins = [f"{name}=={version}" for name, version in PEERS.items()]
        subprocess.run([str(python), "-m", "pip", "install", "-q", *pins, "pytest"], check=True)
    return python


def project(name: str, module: Path, tests: Path, into: Path) -> Path:
    root = into / name
    (root / "tests").mkdir(parents=True)
    shutil.copy(module, root / module.name)
    shutil.copy(tests, root / "tests" / tests.name)
    return root


def in_functions(code: str) -> list[tuple[int, int]]:
    spans = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            spans.append((node.lineno, node.end_lineno or node.lineno))
    return spans


def score(killed: int, survived: int) -> float | None:
    return killed / (killed + survived) if killed + survived else None


def run_atg(
    root: Path, module: str, jobs: int, cpu_clock: Callable[[], float] | None = None
) -> dict[str, Any]:
    """atg's instrumented run, then its mutation phase, timed apart; with `cpu_clock` (CPU
    seconds of this process and everything it started), the mutation phase's CPU too."""
    source, tests = load_inputs(root / f"{module}.py", root / "tests" / f"test_{module}.py")
    sandbox = get_sandbox("bwrap")
    started = time.perf_counter()
    outcome = get_adapter("python").run(
        source, tests, sandbox, RunOptions(reruns=0, parallel=jobs, mutation=False)
    )
    instrumented = time.perf_counter() - started
    cpu_before = cpu_clock() if cpu_clock else 0.0
    started = time.perf_counter()
    mutation = run_mutants(
        source, tests, outcome, sandbox,
        options=RunOptions(reruns=0, parallel=jobs), lay_out=PythonAdapter()._lay_out,
    )  # fmt: skip
    wall = time.perf_counter() - started
    cpu = cpu_clock() - cpu_before if cpu_clock else None
    spans = in_functions(source.code)
    operators = {m.id: m.operator for m in build_schemata(source.code).mutants}
    ran = [m for m in mutation.mutants if m.status not in (MutantStatus.NO_COVERAGE,)]
    killed = sum(m.status in (MutantStatus.KILLED, MutantStatus.TIMEOUT) for m in ran)
    survived = sum(m.status == MutantStatus.SURVIVED for m in ran)
    matched = [
        m for m in ran
        if operators[m.id] in MATCHED and any(a <= m.line <= b for a, b in spans)
    ]  # fmt: skip
    matched_killed = sum(m.status in (MutantStatus.KILLED, MutantStatus.TIMEOUT) for m in matched)
    lines = source.code.splitlines()
    identities = []
    for m in ran:
        change = token_change(m.original, m.mutated)
        if change is not None and m.status != MutantStatus.ERROR:
            killed_it = m.status in (MutantStatus.KILLED, MutantStatus.TIMEOUT)
            identities.append(((" ".join(_tokens(lines[m.line - 1])), *change), killed_it))
    return {
        "mutants": len(mutation.mutants),
        "run": len(ran),
        "killed": killed,
        "timeouts": mutation.count(MutantStatus.TIMEOUT),
        "survived": survived,
        "no_coverage": mutation.count(MutantStatus.NO_COVERAGE),
        "score": score(killed, survived),
        "matched_mutants": len(matched),
        "matched_score": score(matched_killed, len(matched) - matched_killed),
        "wall_s": wall,
        "cpu_s": cpu,
        "child_cpu_s": sorted(getattr(m, "cpu_s", 0.0) for m in ran),
        "timeout_durations_s": [
            m.duration_s for m in mutation.mutants if m.status == MutantStatus.TIMEOUT
        ],
        "covering_durations_s": [
            sum(t.duration_s for t in outcome.tests if m.line in t.lines)
            for m in mutation.mutants
            if m.status == MutantStatus.TIMEOUT
        ],
        "instrumented_run_s": instrumented,
        "mutants_per_s": len(ran) / wall,
        "identities": identities,
    }


def _tokens(text: str) -> list[str]:
    try:
        found = tokenize.generate_tokens(io.StringIO(text.strip() + "\n").readline)
        return [t.string for t in found if t.string.strip()]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return text.split()


def token_change(old: str, new: str) -> tuple[str, str] | None:
    """The one run of tokens `new` changed in `old`, or None when it changed several."""
    a_tokens, b_tokens = _tokens(old), _tokens(new)
    changes = [
        (" ".join(a_tokens[i1:i2]), " ".join(b_tokens[j1:j2]))
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a_tokens, b=b_tokens).get_opcodes()
        if tag != "equal"
    ]
    return changes[0] if len(changes) == 1 else None


def classify(old: str, new: str) -> str:  # noqa: PLR0911 - one answer per kind of change
    """The operator a mutmut mutant applied, from the token change it made."""
    change = token_change(old, new)
    if change is None:
        return "other"
    a, b = change
    if a in ARITHMETIC and b in ARITHMETIC:
        return "arithmetic"
    if {a, b} <= {"<", "<=", ">", ">="}:
        return "boundary"
    if {a, b} <= {"==", "!=", "is", "is not", "in", "not in", "not"} and a != b:
        return "not" if (a, b) == ("not", "") else "comparison"
    if {a, b} == {"and", "or"}:
        return "boolean"
    if a == "not" and not b:
        return "not"
    if {a, b} == {"True", "False"}:
        return "true-false"
    if a.endswith("=") and b.endswith("=") and a[:-1] in ARITHMETIC and b[:-1] in ARITHMETIC:
        return "augmented-assignment"
    if a.replace(".", "").lstrip("-").isdigit() and b.replace(".", "").lstrip("-").isdigit():
        return "number"
    if "XX" in b or (a[:1] in "'\"" and b[:1] in "'\""):
        return "string"
    return "other"


def mutmut_categories(mutated_file: Path) -> dict[str, tuple[str, tuple[str, ...] | None]]:
    """mutant name -> (category, identity), from the functions mutmut wrote into `mutants/`.

    The identity (original line, old tokens, new tokens) names the same mutation in any tool."""
    tree = ast.parse(mutated_file.read_text())
    sources = mutated_file.read_text().splitlines()
    bodies: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and "__mutmut_" in node.name:
            bodies[node.name] = sources[node.lineno - 1 : node.end_lineno]
    found = {}
    for name, body in bodies.items():
        stem, _, suffix = name.rpartition("__mutmut_")
        if suffix == "orig" or f"{stem}__mutmut_orig" not in bodies:
            continue
        original = bodies[f"{stem}__mutmut_orig"]
        renamed = [body[0].replace(name, f"{stem}__mutmut_orig"), *body[1:]]
        old = [line for line in original if line not in renamed]
        new = [line for line in renamed if line not in original]
        change = token_change("\n".join(old), "\n".join(new))
        identity = (" ".join(_tokens(old[0])), *change) if change and len(old) == 1 else None
        found[name.split(".")[-1]] = (classify("\n".join(old), "\n".join(new)), identity)
    return found


def run_mutmut(python: Path, root: Path, module: str, jobs: int) -> dict[str, Any]:
    (root / "pyproject.toml").write_text(
        f'[tool.mutmut]\nsource_paths = ["{module}.py"]\n'
        'pytest_add_cli_args_test_selection = ["tests/"]\n'
    )
    mutmut = python.parent / "mutmut"
    started = time.perf_counter()
    subprocess.run(
        [str(mutmut), "run", "--max-children", str(jobs)],
        cwd=root, capture_output=True, check=False, env={**os.environ, "PYTHONPATH": str(root)},
    )  # fmt: skip
    wall = time.perf_counter() - started
    meta = json.loads((root / "mutants" / f"{module}.py.meta").read_text())["exit_code_by_key"]
    categories = mutmut_categories(root / "mutants" / f"{module}.py")
    killed = sum(1 for code in meta.values() if code in MUTMUT_KILLED | MUTMUT_TIMEOUT)
    survived = sum(1 for code in meta.values() if code in MUTMUT_SURVIVED)
    matched = {
        key: code for key, code in meta.items()
        if categories.get(key.split(".")[-1], ("other", None))[0] in MATCHED
    }  # fmt: skip
    identities = [
        (categories[key.split(".")[-1]][1], code in MUTMUT_KILLED | MUTMUT_TIMEOUT)
        for key, code in meta.items()
        if code in MUTMUT_KILLED | MUTMUT_TIMEOUT | MUTMUT_SURVIVED
        and categories.get(key.split(".")[-1], ("other", None))[1] is not None
    ]
    matched_killed = sum(1 for c in matched.values() if c in MUTMUT_KILLED | MUTMUT_TIMEOUT)
    matched_survived = sum(1 for c in matched.values() if c in MUTMUT_SURVIVED)
    return {
        "mutants": len(meta),
        "killed": killed,
        "timeouts": sum(1 for code in meta.values() if code in MUTMUT_TIMEOUT),
        "survived": survived,
        "score": score(killed, survived),
        "matched_mutants": len(matched),
        "matched_score": score(matched_killed, matched_survived),
        "wall_s": wall,
        "mutants_per_s": len(meta) / wall,
        "identities": identities,
    }


def run_cosmic_ray(python: Path, root: Path, module: str) -> dict[str, Any]:
    config = root / "cosmic-ray.toml"
    config.write_text(
        f'[cosmic-ray]\nmodule-path = "{module}.py"\ntimeout = 10.0\nexcluded-modules = []\n'
        f'test-command = "{python} -m pytest -x -q -p no:cacheprovider tests"\n'
        '[cosmic-ray.distributor]\nname = "local"\n'
    )
    tool = python.parent / "cosmic-ray"
    env = {**os.environ, "PYTHONPATH": str(root)}
    started = time.perf_counter()
    for verb in ("init", "exec"):
        subprocess.run([str(tool), verb, str(config), "session.sqlite"], cwd=root, env=env,
                       capture_output=True, check=False)  # fmt: skip
    wall = time.perf_counter() - started
    dump = subprocess.run([str(tool), "dump", "session.sqlite"], cwd=root, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    outcomes = [json.loads(line)[1].get("test_outcome") for line in dump.stdout.splitlines()]
    killed = outcomes.count("killed")
    survived = outcomes.count("survived")
    return {
        "mutants": len(outcomes),
        "killed": killed,
        "survived": survived,
        "incompetent": outcomes.count("incompetent"),
        "score": score(killed, survived),
        "wall_s": wall,
        "mutants_per_s": len(outcomes) / wall,
    }


def same_mutants(ours: list[Any], theirs: list[Any]) -> dict[str, Any]:
    """Scores of both tools over the mutants both made identically (same line, same change)."""
    pool: dict[tuple[str, ...], list[bool]] = {}
    for identity, killed in theirs:
        pool.setdefault(tuple(identity), []).append(killed)
    pairs = []
    for identity, killed in ours:
        candidates = pool.get(tuple(identity))
        if candidates:
            pairs.append((killed, candidates.pop(0)))
    atg_killed = sum(1 for ours_killed, _ in pairs if ours_killed)
    mutmut_killed = sum(1 for _, theirs_killed in pairs if theirs_killed)
    agree = sum(1 for a, b in pairs if a == b)
    return {
        "mutants": len(pairs),
        "atg_score": score(atg_killed, len(pairs) - atg_killed),
        "mutmut_score": score(mutmut_killed, len(pairs) - mutmut_killed),
        "same_verdict": agree,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-cosmic-ray", action="store_true")
    parser.add_argument("--only-cosmic-ray", action="store_true", help="it is slow: run it alone")
    parser.add_argument("--output", type=Path, default=ROOT / "bench/results/mutation.json")
    parser.add_argument("--peers-venv", type=Path, default=ROOT / "bench" / ".peers")
    args = parser.parse_args()
    python = peers_python(args.peers_venv)
    report: dict[str, Any] = {"jobs": args.jobs, "peers": PEERS, "modules": {}}
    with tempfile.TemporaryDirectory() as scratch:
        for name, (module, tests) in MODULES.items():
            lines = len(module.read_text().splitlines())
            print(f"{name}: {lines} lines", flush=True)
            row: dict[str, Any] = {"lines": lines}
            if not args.only_cosmic_ray:
                row["atg"] = run_atg(
                    project(name, module, tests, Path(scratch) / "atg"), name, args.jobs
                )
                row["mutmut"] = run_mutmut(
                    python, project(name, module, tests, Path(scratch) / "mutmut"), name, args.jobs
                )
                row["speedup_vs_mutmut"] = (
                    row["atg"]["mutants_per_s"] / row["mutmut"]["mutants_per_s"]
                )
                row["same_mutants"] = same_mutants(
                    row["atg"].pop("identities"), row["mutmut"].pop("identities")
                )
            if not args.skip_cosmic_ray:
                row["cosmic-ray"] = run_cosmic_ray(
                    python, project(name, module, tests, Path(scratch) / "cr"), name
                )
            report["modules"][name] = row
            print(json.dumps(row, indent=2), flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)


def print_table(report: dict[str, Any]) -> None:
    def fmt(value: Any) -> str:
        return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)

    header = ("module", "tool", "mutants", "killed", "survived", "score", "matched score",
              "wall s", "mutants/s")  # fmt: skip
    print(" | ".join(header))
    for name, row in report["modules"].items():
        for tool in ("atg", "mutmut", "cosmic-ray"):
            if tool in row:
                r = row[tool]
                print(" | ".join(fmt(v) for v in (
                    name, tool, r["mutants"], r["killed"], r["survived"], r["score"],
                    r.get("matched_score"), r["wall_s"], r["mutants_per_s"],
                )))  # fmt: skip
        if "same_mutants" not in row:
            continue
        same = row["same_mutants"]
        print(
            f"{name}: atg is {row['speedup_vs_mutmut']:.1f}x mutmut's mutants/second; on the "
            f"{same['mutants']} identical mutants atg scores {fmt(same['atg_score'])}, mutmut "
            f"{fmt(same['mutmut_score'])}, same verdict on {same['same_verdict']}"
        )


if __name__ == "__main__":
    main()
