"""Mutation testing for Python: choose each mutant's tests from per-test coverage, run them all.

Only mutants on lines a passing test executed are run, and each only against the tests that
executed its line (mutants acting at import time: against every passing test). The others are
reported as "no coverage", not hidden. Each mutant's time limit comes from its tests' own
durations in the instrumented run.
"""

from __future__ import annotations

import json
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentic_testgen.domain import (
    GeneratedTests,
    Integrity,
    MutantResult,
    MutantStatus,
    MutationOutcome,
    RunOutcome,
    SourceUnit,
    TestOutcome,
    TestResult,
)
from agentic_testgen.languages._mutants import mutant_result, sampled_ids, time_limit
from agentic_testgen.languages._protocol import RunOptions
from agentic_testgen.languages._report import harness_limits, harness_report, integrity_from
from agentic_testgen.languages.python._harness import STARTUP_ALLOWANCE_S, work_bound_s
from agentic_testgen.sandbox import Sandbox, interpreter_paths

if TYPE_CHECKING:
    from agentic_testgen.evals.mutation import Mutant, Schemata

MUTATION_RUNNER = Path(__file__).with_name("_mutation_runner.py")
# What a mutant may take beyond TIMEOUT_FACTOR times its tests' durations (a forked child)
TIMEOUT_ALLOWANCE_S = 1.0

LayOut = Callable[[Path, SourceUnit, GeneratedTests, RunOptions], dict[str, Any]]


def _covering_tests(
    mutant: Mutant, passing: list[TestResult], executed: set[int]
) -> list[TestResult]:
    if mutant.import_time:
        return passing if {mutant.line, mutant.statement_line} & executed else []
    lines = {mutant.line, mutant.statement_line}
    return [test for test in passing if lines & set(test.lines)]


def run_mutants(
    source: SourceUnit,
    tests: GeneratedTests,
    outcome: RunOutcome,
    sandbox: Sandbox,
    *,
    options: RunOptions,
    lay_out: LayOut,
    first: frozenset[str] = frozenset(),
    skip: frozenset[int] = frozenset(),
) -> MutationOutcome:
    """Build the schemata module, select tests per mutant and run every selected mutant.

    Tests whose node ids are in `first` run before the others for every mutant, so a mutant
    another test kills is one `first` does not (the critic asks exactly that). Mutants whose
    ids are in `skip` (known to be killed already) are not run, and reported as not sampled."""
    start = time.monotonic()
    # imported here: `agentic_testgen.evals` imports the language adapters in turn
    from agentic_testgen.evals.mutation import build_schemata  # noqa: PLC0415

    schemata = build_schemata(source.code)
    mutants = list(schemata.mutants)
    sampled = sampled_ids(mutants, options)
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
        if mutant.id not in sampled or mutant.id in skip:
            results[mutant.id] = mutant_result(mutant, MutantStatus.NOT_SAMPLED)
            continue
        covering = _covering_tests(mutant, passing, executed)
        if not covering:
            results[mutant.id] = mutant_result(mutant, MutantStatus.NO_COVERAGE)
            continue
        selected_tests[mutant.id] = covering
        to_run.append(
            {
                "id": mutant.id,
                "tests": [t.nodeid for t in covering],
                "timeout_s": time_limit(covering, options, TIMEOUT_ALLOWANCE_S),
                "import_time": mutant.import_time,
            }
        )
    notes: list[str] = []
    integrity = Integrity()
    if to_run:
        ran, notes, integrity = _execute(
            source,
            tests,
            schemata,
            to_run,
            sandbox=sandbox,
            options=options,
            lay_out=lay_out,
        )
        for mutant in mutants:
            if mutant.id in selected_tests:
                found = ran.get(str(mutant.id))
                results[mutant.id] = mutant_result(
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
        integrity=integrity,
    )


def _import_names(source: SourceUnit, config: dict[str, Any]) -> list[str]:
    """The names the tests can import the module by, given the workspace's import path."""
    names = [source.qualified_name]
    if source.package and str(Path(config["module_file"]).parent) in config["python_path"]:
        names.append(source.module_name)
    return names


def _execute(
    source: SourceUnit,
    tests: GeneratedTests,
    schemata: Schemata,
    to_run: list[dict[str, Any]],
    *,
    sandbox: Sandbox,
    options: RunOptions,
    lay_out: LayOut,
) -> tuple[dict[str, Any], list[str], Integrity]:
    """Run the selected mutants in one sandboxed harness; (results by id, notes, integrity)."""
    workspace = Path(tempfile.mkdtemp(prefix="atg-mutants-"))
    try:
        # The module on disk is the original: only the harness holds the schemata, under a
        # switch name and values drawn for this run.
        config = lay_out(workspace, source, tests, options)
        chance = secrets.SystemRandom()
        switch = "_" + secrets.token_hex(chance.randint(3, 6))
        offset = chance.randint(1 << 20, 1 << 30)
        schemata_file = Path(config["inputs_dir"]) / "schemata.py"
        schemata_file.write_text(schemata.disguised(switch, offset), encoding="utf-8")
        config.update(
            mutants=[{**mutant, "key": offset + mutant["id"]} for mutant in to_run],
            control_key=offset,
            switch=switch,
            schemata_file=str(schemata_file),
            module_names=_import_names(source, config),
            parallel=max(1, options.parallel),
        )
        Path(config["config_file"]).write_text(json.dumps(config))
        bound = STARTUP_ALLOWANCE_S + sum(m["timeout_s"] for m in to_run) / config["parallel"]
        completed = sandbox.execute(
            [sys.executable, str(MUTATION_RUNNER), config["config_file"]],
            workspace,
            harness_limits(options, bound + work_bound_s(tests.code, options)),
            env={
                "PYTHONPATH": ":".join(config["python_path"]),
                "PYTHONDONTWRITEBYTECODE": "1",
            },
            readonly_paths=[*interpreter_paths(), MUTATION_RUNNER.parent],
            sealed=True,
        )
        notes = list(completed.notes)
        report = harness_report(completed, config["report_key"])
        if report is None:
            tail = completed.stderr.strip().splitlines()[-1:] or [f"exit {completed.returncode}"]
            notes.append(
                "mutation run did not finish: " + "; ".join(tail) + completed.stdout[-3000:]
            )
            return {}, notes, Integrity()
        return report["mutants"], notes, integrity_from(report["integrity"])
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
