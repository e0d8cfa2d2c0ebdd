"""Real-world generation: the offline agent vs Pynguin alone vs CrossHair alone vs the library's
own tests, on modules of four PyPI libraries in their own projects.

Each library's sdist is downloaded (`pip download --no-binary :all: --no-deps`) into
`bench/.cache/real_world/`, unpacked into its own package layout, and given its own `.venv`
(pytest, coverage.py, its runtime and test dependencies, the library itself installed editable).
Then, for each module, as a user would from the project root:

1. `atg generate --coder offline|pynguin|crosshair` at one budget for all three
   (`--max-seconds 60 --max-iterations 2`), each to its own file in the project's tests directory;
2. `atg eval file --json --reruns 2 --mutation` on each generated file and on the library's own
   tests for the module (several files of the library are merged into one when its tests for
   the module are spread out; "none" when the sdist ships no tests);
3. plain `pytest FILE` from the project root with the project's interpreter (exit 0 or 1: it
   ran), and `ruff check` on each generated file (the project's ruff settings, else atg's).

A generator that fails for a module is recorded with its one-line reason. Goals (issue 10):
every module gets a file that runs with plain pytest; the offline agent's median line+branch
coverage >= 70 % with median pass rate >= 0.9, >= 10 points over Pynguin alone; generated files
ruff-clean.

Usage: .venv/bin/python bench/bench_real_world.py [--jobs 2] [--only MODULE ...]
Results: bench/results/real_world.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentic_testgen.generation._ruff import (
    DEFAULT_ARGS,
    DEFAULT_SELECT,
    find_ruff,
    project_ruff_config,
)

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache" / "real_world"
RESULTS = ROOT / "bench" / "results" / "real_world.json"
GENERATORS = ("offline", "pynguin", "crosshair")
KEPT = re.compile(r"(\d+) tests kept of (\d+) proposed")


@dataclass(frozen=True)
class Module:
    """A module under test and the library's own test files for it (empty: the sdist has none)."""

    path: str
    own_tests: tuple[str, ...] = ()


@dataclass(frozen=True)
class Library:
    """A PyPI library as its sdist ships it, and what its project environment needs."""

    name: str
    version: str
    requirements: tuple[str, ...]
    modules: tuple[Module, ...]

    @property
    def spec(self) -> str:
        return f"{self.name}=={self.version}"


LIBRARIES = (
    Library(
        "python-slugify", "8.0.4", ("text-unidecode>=1.3",),
        (Module("slugify/slugify.py"),),
    ),
    Library(
        # semver's pytest addopts need pytest-cov; its conftest imports packaging
        "semver", "3.0.2", ("pytest-cov", "packaging"),
        (
            Module("src/semver/version.py", tuple(f"tests/test_{name}.py" for name in (
                "semver", "bump", "compare", "parsing", "format", "replace", "index", "match",
                "immutable", "subclass"))),
            Module("src/semver/_deprecated.py", ("tests/test_deprecated_functions.py",)),
        ),
    ),
    Library(
        "humanize", "4.9.0", ("freezegun",),
        (
            Module("src/humanize/number.py", ("tests/test_number.py",)),
            Module("src/humanize/time.py", ("tests/test_time.py",)),
        ),
    ),
    Library(
        # boltons runs with pytest<8: its conftest takes the old py.path `path` hook argument
        "boltons", "24.0.0", ("pytest<8",),
        (
            Module("boltons/strutils.py", ("tests/test_strutils.py",)),
            Module("boltons/formatutils.py", ("tests/test_formatutils.py",)),
        ),
    ),
)  # fmt: skip


def _run(cmd: list[str], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV" and not k.startswith("ATG_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    try:
        return subprocess.run(
            cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        return subprocess.CompletedProcess(cmd, -1, "", f"error: timed out after {error.timeout} s")


def _last_line(text: str, prefix: str = "") -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    chosen = [line for line in lines if line.startswith(prefix)] if prefix else []
    return (chosen or lines or [""])[-1][:300]


def prepare(library: Library) -> Path:
    """Download, unpack and make the project environment; return the project root."""
    sdists = CACHE / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    stem = f"{library.name}-{library.version}"
    archive = next(sdists.glob(f"{stem}.tar.gz"), None) or next(
        sdists.glob(f"{library.name.replace('-', '_')}-{library.version}.tar.gz"), None
    )
    if archive is None:
        pip = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps"]
        done = _run([*pip, "-q", "-d", str(sdists), library.spec], CACHE)
        if done.returncode != 0:
            raise RuntimeError(f"pip download {library.spec}: {_last_line(done.stderr)}")
        archive = next(sdists.glob(f"*{library.version}.tar.gz*"))
    projects = CACHE / "projects"
    root = projects / archive.name.removesuffix(".tar.gz")
    if not root.is_dir():
        with tarfile.open(archive) as tar:
            tar.extractall(projects, filter="data")
    python = root / ".venv" / "bin" / "python"
    ready = root / ".venv" / "atg-bench-ready"
    if not ready.exists():
        base = getattr(sys, "_base_executable", sys.executable)
        steps = [
            [base, "-m", "venv", str(root / ".venv")],
            [str(python), "-m", "pip", "install", "-q", "pytest", "coverage",
             *library.requirements],
            [str(python), "-m", "pip", "install", "-q", "-e", "."],
        ]  # fmt: skip
        for step in steps:
            done = _run(step, root)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(step[:5])}: {_last_line(done.stderr)}")
        ready.touch()
    (root / "tests").mkdir(exist_ok=True)
    return root


def own_tests_file(root: Path, module: Module) -> Path | None:
    """The library's own tests for the module: its one file, or its files merged into one (a
    later test whose name is taken gets a suffix, so no test is lost)."""
    if not module.own_tests:
        return None
    if len(module.own_tests) == 1:
        return root / module.own_tests[0]
    seen: set[str] = set()
    parts = []
    for name in module.own_tests:
        text = (root / name).read_text(encoding="utf-8")
        tag = Path(name).stem.removeprefix("test_").replace("-", "_")
        for defined in re.findall(r"^(?:def|class) (\w+)", text, flags=re.MULTILINE):
            if defined in seen:
                text = re.sub(rf"\b{defined}\b", f"{defined}_{tag}", text)
            seen.add(defined)
        parts.append(f"# ---- {name}\n{text}")
    merged = root / "tests" / f"test_{Path(module.path).stem}_own_merged.py"
    merged.write_text("\n".join(parts), encoding="utf-8")
    return merged


def generate(
    root: Path, module: Module, generator: str, args: argparse.Namespace
) -> dict[str, Any]:
    output = root / "tests" / f"test_{Path(module.path).stem}_{generator}.py"
    output.unlink(missing_ok=True)  # a failed run must not leave an earlier file in place
    started = time.perf_counter()
    done = _run(
        [sys.executable, "-m", "agentic_testgen", "generate", "--file", module.path,
         "--coder", generator, "--max-seconds", str(args.max_seconds),
         "--max-iterations", str(args.max_iterations), "--output", str(output), "--force"],
        root, timeout=args.max_seconds * 6 + 120,
    )  # fmt: skip
    row: dict[str, Any] = {
        "generation_seconds": round(time.perf_counter() - started, 1),
        "warnings": [line for line in done.stderr.splitlines() if line.startswith("warning:")],
        "tests_file": str(output.relative_to(root)),
    }
    kept = KEPT.search(done.stdout)
    if done.returncode != 0 or not output.is_file():
        # the error, and why each coder gave nothing (its one-line warning), on one line
        reasons = [_last_line(done.stderr, "error:") or f"exit status {done.returncode}"]
        reasons += [line.removeprefix("warning: ") for line in row["warnings"]]
        row["failure"] = " | ".join(reasons)
        return row
    row["tests_kept"], row["tests_proposed"] = (int(kept[1]), int(kept[2])) if kept else (0, 0)
    return row


def evaluate(root: Path, module: Module, tests: Path, label: str) -> dict[str, Any]:
    out = CACHE / "evals" / root.name / f"{Path(module.path).stem}_{label}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    done = _run(
        [sys.executable, "-m", "agentic_testgen", "eval", "file", "--source", module.path,
         "--tests", str(tests), "--json", str(out), "--reruns", "2", "--mutation"],
        root,
    )  # fmt: skip
    if not out.is_file():
        return {"eval_failure": _last_line(done.stderr, "error:") or _last_line(done.stderr)}
    result = json.loads(out.read_text())
    metrics = result["metrics"]

    def value(name: str) -> float | None:
        metric = metrics.get(name)
        return round(metric["value"], 4) if metric else None

    return {
        "tests": len(result["tests"]),
        "coverage": value("coverage"),
        "pass_rate": value("pass_rate"),
        "mutation_score": value("mutation_score"),
        "integrity_ok": result["integrity"]["ok"],
        "score": round(result["score"], 4),
        "quality_level": result["quality_level"],
        "collection_errors": len(result["collection_errors"]),
        "eval_seconds": round(result["duration_s"], 1),
    }


def plain_pytest(root: Path, tests: Path) -> dict[str, Any]:
    done = _run([str(root / ".venv" / "bin" / "pytest"), str(tests.relative_to(root))], root)
    return {
        "pytest_exit": done.returncode,
        "pytest_ran": done.returncode in (0, 1),
        "pytest_summary": _last_line(done.stdout).strip("= "),
    }


def ruff_findings(root: Path, tests: Path) -> dict[str, Any]:
    ruff = find_ruff()
    if ruff is None:
        return {"ruff_findings": None}
    config = project_ruff_config(root)
    settings = ["--config", str(config)] if config else [*DEFAULT_ARGS, *DEFAULT_SELECT]
    done = _run(
        [ruff, "check", "--output-format", "json", "--exit-zero", *settings, str(tests)], root
    )
    findings = json.loads(done.stdout or "[]")
    return {
        "ruff_findings": len(findings),
        "ruff_codes": sorted({item["code"] or "syntax" for item in findings}),
        "ruff_config": str(config.relative_to(root)) if config else "atg defaults",
    }


def bench_module(root: Path, module: Module, args: argparse.Namespace) -> list[dict[str, Any]]:
    name = f"{root.name}:{module.path}"
    rows = []
    for generator in GENERATORS:
        row = {"module": name, "generator": generator, **generate(root, module, generator, args)}
        if "failure" not in row:
            tests = root / row["tests_file"]
            row |= evaluate(root, module, tests, generator)
            row |= plain_pytest(root, tests)
            row |= ruff_findings(root, tests)
        rows.append(row)
        print(f"  {name} {generator}: {_cells(row)}", flush=True)
    own = own_tests_file(root, module)
    row = {"module": name, "generator": "own tests"}
    if own is None:
        row["failure"] = "none: the sdist ships no tests for this module"
    else:
        row["tests_file"] = str(own.relative_to(root))
        row |= evaluate(root, module, own, "own") | plain_pytest(root, own)
    rows.append(row)
    print(f"  {name} own tests: {_cells(row)}", flush=True)
    return rows


def _fmt(value: Any, pattern: str = "{:.3f}") -> str:
    return "-" if value is None else pattern.format(value)


def _cells(row: dict[str, Any]) -> str:
    if "failure" in row or "eval_failure" in row:
        return f"FAILED: {row.get('failure') or row.get('eval_failure')}"
    return (
        f"kept {row.get('tests_kept', row.get('tests'))} cov {_fmt(row['coverage'])} "
        f"pass {_fmt(row['pass_rate'])} mut {_fmt(row['mutation_score'])} "
        f"integrity {'ok' if row['integrity_ok'] else 'NOT OK'} "
        f"pytest {'ran' if row['pytest_ran'] else 'exit ' + str(row['pytest_exit'])} "
        f"ruff {_fmt(row.get('ruff_findings'), '{}')} "
        f"gen {_fmt(row.get('generation_seconds'), '{:.0f} s')}"
    )


def summary(rows: list[dict[str, Any]], generator: str) -> dict[str, Any]:
    """Medians over modules; a module with no evaluated file counts as coverage, pass rate and
    mutation score 0 (the user got no tests)."""
    mine = [row for row in rows if row["generator"] == generator]

    def median(key: str) -> float | None:
        values = [row.get(key) or 0.0 for row in mine if generator in GENERATORS or key in row]
        return round(statistics.median(values), 4) if values else None

    generated = [row for row in mine if row.get("tests_file") and "coverage" in row]
    return {
        "modules": len(mine),
        "files": len(generated),
        "median_coverage": median("coverage"),
        "median_pass_rate": median("pass_rate"),
        "median_mutation_score": median("mutation_score"),
        "runs_with_plain_pytest": sum(bool(row.get("pytest_ran")) for row in mine),
        "ruff_clean": sum(row.get("ruff_findings") == 0 for row in mine)
        if generator in GENERATORS
        else None,
        "integrity_ok": sum(bool(row.get("integrity_ok")) for row in mine),
        "total_generation_seconds": round(
            sum(row.get("generation_seconds", 0.0) for row in mine), 1
        ),
        "failures": {row["module"]: row["failure"] for row in mine if "failure" in row},
    }


def goals(report: dict[str, Any]) -> dict[str, Any]:
    agent, pynguin = report["summary"]["offline"], report["summary"]["pynguin"]
    modules = {row["module"] for row in report["rows"]}
    runnable = {row["module"] for row in report["rows"] if row["generator"] in GENERATORS
                and row.get("pytest_ran")}  # fmt: skip
    gap = (agent["median_coverage"] or 0.0) - (pynguin["median_coverage"] or 0.0)
    return {
        "every_module_gets_a_file_plain_pytest_runs": runnable == modules,
        "every_module_offline_file_plain_pytest_runs": agent["runs_with_plain_pytest"]
        == agent["modules"],
        "offline_median_coverage_at_least_0.70": (agent["median_coverage"] or 0) >= 0.70,
        "offline_median_pass_rate_at_least_0.90": (agent["median_pass_rate"] or 0) >= 0.90,
        "offline_minus_pynguin_median_coverage": round(gap, 4),
        "offline_at_least_10_points_over_pynguin": gap >= 0.10,
        "generated_files_ruff_clean": all(
            row.get("ruff_findings") == 0
            for row in report["rows"]
            if row["generator"] in GENERATORS and "ruff_findings" in row
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-seconds", type=float, default=60.0)
    parser.add_argument("--max-iterations", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2, help="modules benchmarked at a time")
    parser.add_argument("--only", nargs="*", default=(), help="module paths, e.g. slugify.py")
    parser.add_argument("--setup-only", action="store_true")
    args = parser.parse_args()
    work = []
    for library in LIBRARIES:
        modules = [m for m in library.modules if not args.only or Path(m.path).name in args.only]
        if modules:
            root = prepare(library)
            print(f"{library.spec}: {root}", flush=True)
            work += [(root, module) for module in modules]
    if args.setup_only:
        return
    started = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        done = pool.map(lambda item: bench_module(*item, args), work)
        rows = [row for module_rows in done for row in module_rows]
    report: dict[str, Any] = {
        "libraries": [library.spec for library in LIBRARIES],
        "budget": {"max_seconds": args.max_seconds, "max_iterations": args.max_iterations},
        "jobs": args.jobs,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "summary": {g: summary(rows, g) for g in (*GENERATORS, "own tests")},
        "rows": rows,
    }
    report["goals"] = goals(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n{'module':44} {'generator':10} result")
    for row in rows:
        print(f"{row['module']:44} {row['generator']:10} {_cells(row)}")
    for generator, values in report["summary"].items():
        print(generator, json.dumps(values))
    print(json.dumps(report["goals"], indent=2))


if __name__ == "__main__":
    main()
