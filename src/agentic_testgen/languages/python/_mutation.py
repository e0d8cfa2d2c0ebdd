"""Mutation testing for Python: choose each mutant's tests from per-test coverage, run them all.

Only mutants on lines a passing test executed are run, and each only against the tests that
executed its line (mutants acting at import time: against every passing test). The others are
reported as "no coverage", not hidden. Each mutant's time limit comes from its tests' own
durations in the instrumented run.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agentic_testgen.domain import (
    GeneratedTests,
    MutantResult,
    MutantStatus,
    MutationOutcome,
    RunOutcome,
    SourceUnit,
    TestOutcome,
    TestResult,
)
from agentic_testgen.evals.mutation import Mutant, build_schemata
from agentic_testgen.languages._protocol import RunOptions
from agentic_testgen.sandbox import Sandbox, interpreter_paths

MUTATION_RUNNER = Path(__file__).with_name("_mutation_runner.py")
# A mutant may take this many times as long as its tests did unmutated, plus a fixed allowance.
TIMEOUT_FACTOR = 10.0
TIMEOUT_ALLOWANCE_S = 1.0

LayOut = Callable[[Path, SourceUnit, GeneratedTests, RunOptions], dict[str, Any]]


def _covering_tests(
    mutant: Mutant, passing: list[TestResult], executed: set[int]
) -> list[TestResult]:
    if mutant.import_time:
        return passing if {mutant.line, mutant.statement_line} & executed else []
    lines = {mutant.line, mutant.statement_line}
    return [test for test in passing if lines & set(test.lines)]


def _time_limit(mutant: Mutant, tests: list[TestResult], options: RunOptions) -> float:
    spent = sum(test.duration_s for test in tests)
    return min(
        TIMEOUT_FACTOR * spent + TIMEOUT_ALLOWANCE_S, options.test_timeout_s * max(len(tests), 1)
    )


def _result(mutant: Mutant, status: MutantStatus, **fields: Any) -> MutantResult:
    return MutantResult(
        id=mutant.id,
        line=mutant.line,
        col=mutant.col,
        operator=mutant.operator,
        original=mutant.original,
        mutated=mutant.mutated,
        status=status,
        import_time=mutant.import_time,
        **fields,
    )


def run_mutants(
    source: SourceUnit,
    tests: GeneratedTests,
    outcome: RunOutcome,
    sandbox: Sandbox,
    *,
    options: RunOptions,
    lay_out: LayOut,
    first: frozenset[str] = frozenset(),
) -> MutationOutcome:
    """Build the schemata module, select tests per mutant and run every selected mutant.

    Tests whose node ids are in `first` run before the others for every mutant, so a mutant
    another test kills is one `first` does not (the critic asks exactly that)."""
    start = time.monotonic()
    schemata = build_schemata(source.code)
    mutants = list(schemata.mutants)
    sampled: set[int] = {m.id for m in mutants}
    if options.max_mutants is not None and len(mutants) > options.max_mutants:
        chosen = random.Random(options.mutation_seed).sample(mutants, options.max_mutants)
        sampled = {m.id for m in chosen}
    flaky = outcome.flaky_nodeids()
    passing = sorted(
        (t for t in outcome.tests if t.outcome == TestOutcome.PASSED and t.nodeid not in flaky),
        key=lambda t: (t.nodeid not in first, t.duration_s),  # fastest first: kills come sooner
    )
    executed = set(outcome.coverage.executed_lines) if outcome.coverage else set()
    results: dict[int, MutantResult] = {}
    to_run: list[dict[str, Any]] = []
    selected_tests: dict[int, list[TestResult]] = {}
    for mutant in mutants:
        if mutant.id not in sampled:
            results[mutant.id] = _result(mutant, MutantStatus.NOT_SAMPLED)
            continue
        covering = _covering_tests(mutant, passing, executed)
        if not covering:
            results[mutant.id] = _result(mutant, MutantStatus.NO_COVERAGE)
            continue
        selected_tests[mutant.id] = covering
        to_run.append(
            {
                "id": mutant.id,
                "tests": [t.nodeid for t in covering],
                "timeout_s": _time_limit(mutant, covering, options),
                "import_time": mutant.import_time,
            }
        )
    notes: list[str] = []
    if to_run:
        ran, notes = _execute(
            source,
            tests,
            schemata.source,
            to_run,
            sandbox=sandbox,
            options=options,
            lay_out=lay_out,
        )
        for mutant in mutants:
            if mutant.id in selected_tests:
                found = ran.get(str(mutant.id))
                results[mutant.id] = _result(
                    mutant,
                    MutantStatus(found["status"]) if found else MutantStatus.ERROR,
                    tests_run=len(selected_tests[mutant.id]),
                    duration_s=found["duration_s"] if found else 0.0,
                    killed_by=found["killed_by"] if found else None,
                )
    return MutationOutcome(
        mutants=tuple(results[m.id] for m in mutants),
        sampled=len(sampled) < len(mutants),
        seed=options.mutation_seed,
        duration_s=time.monotonic() - start,
        notes=tuple(notes),
    )


def _execute(
    source: SourceUnit,
    tests: GeneratedTests,
    schemata_source: str,
    to_run: list[dict[str, Any]],
    *,
    sandbox: Sandbox,
    options: RunOptions,
    lay_out: LayOut,
) -> tuple[dict[str, Any], list[str]]:
    workspace = Path(tempfile.mkdtemp(prefix="atg-mutants-"))
    try:
        mutated = source.model_copy(update={"code": schemata_source})
        config = lay_out(workspace, mutated, tests, options)
        config.update(
            mutants=to_run,
            parallel=max(1, options.parallel),
            results_file=str(workspace / ".atg" / "mutants.json"),
        )
        config_path = workspace / ".atg" / "mutation.json"
        config_path.write_text(json.dumps(config))
        completed = sandbox.execute(
            [sys.executable, str(MUTATION_RUNNER), str(config_path)],
            workspace,
            options.limits,
            env={
                "PYTHONPATH": ":".join(config["python_path"]),
                "PYTHONDONTWRITEBYTECODE": "1",
            },
            readonly_paths=[*interpreter_paths(), MUTATION_RUNNER.parent],
        )
        results_path = Path(config["results_file"])
        notes = list(completed.notes)
        if not results_path.exists():
            tail = completed.stderr.strip().splitlines()[-1:] or [f"exit {completed.returncode}"]
            notes.append("mutation run did not finish: " + "; ".join(tail))
            return {}, notes
        return json.loads(results_path.read_text()), notes
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
