"""Mutation testing for JavaScript: source-level mutants, each run in a fresh node process.

The mutants are `text_mutants` of the module (the Python engine's operators), sampled as in
Python. Only mutants on lines a passing, non-flaky test executed are run, each only against the
tests that executed one of its lines; mutants acting at load time (outside any function) against
every such test, when the file's totals say their line ran. The others are "no coverage". Each
mutant's time limit comes from its tests' durations in the measured run, as in Python.

`harness/mutants.mjs` runs them in one sandboxed, sealed run (see its header) and reports on its
standard output after the run's key, as the adapter's supervisor does.
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agentic_testgen.domain import (
    GeneratedTests,
    Integrity,
    IntegrityFinding,
    Language,
    MutantResult,
    MutantStatus,
    MutationOutcome,
    RunOutcome,
    SourceUnit,
    TestOutcome,
    TestResult,
)
from agentic_testgen.languages._mutants import (
    TIMEOUT_FACTOR,
    mutant_result,
    sampled_ids,
    time_limit,
    to_run,
)
from agentic_testgen.languages._protocol import RunOptions
from agentic_testgen.languages._report import harness_limits, harness_report, integrity_from
from agentic_testgen.sandbox import Sandbox

MUTANTS_SUPERVISOR = Path(__file__).with_name("harness") / "mutants.mjs"
# what the run's wall-time bound allows a mutant's process for loading its tests (the supervisor
# stops one after 4 times the control's loading time, plus 2 s)
LOAD_BOUND_S = 10.0

# What a mutant may take beyond TIMEOUT_FACTOR times its tests' durations (as in Python)
TIMEOUT_ALLOWANCE_S = 1.0
LayOut = Callable[[Path, SourceUnit, GeneratedTests, RunOptions], dict[str, Any]]


def _name(nodeid: str) -> str:
    """A node id's test name (what the harness calls the test)."""
    return nodeid.split("::", 1)[1] if "::" in nodeid else nodeid


def covering_tests(mutant: Any, passing: list[TestResult], executed: set[int]) -> list[TestResult]:
    """The tests a mutant is judged by: those that executed a line of its span, or (a mutant
    acting at load time) every passing test, when the file's totals say a line of it ran."""
    lines = set(range(mutant.line, mutant.end_line + 1))
    if mutant.import_time:
        return passing if lines & executed else []
    return [test for test in passing if lines & set(test.lines)]


def run_mutants(
    source: SourceUnit,
    tests: GeneratedTests,
    outcome: RunOutcome,
    sandbox: Sandbox,
    *,
    options: RunOptions,
    lay_out: LayOut,
    command: list[str],
    readonly_paths: list[Path],
    env: dict[str, str],
) -> MutationOutcome:
    """Select each mutant's tests from the measured run and run the selected mutants.

    `command` starts node (the mutation supervisor's path and configuration are appended)."""
    start = time.monotonic()
    # imported here: `agentic_testgen.evals` imports the language adapters in turn
    from agentic_testgen.evals.mutation import text_mutants  # noqa: PLC0415

    mutants = text_mutants(source.code, Language.JAVASCRIPT)
    sampled = sampled_ids(mutants, options)
    flaky = outcome.flaky_nodeids()
    passing = [
        test
        for test in outcome.tests
        if test.outcome == TestOutcome.PASSED and test.nodeid not in flaky
    ]
    executed = set(outcome.coverage.executed_lines) if outcome.coverage else set()
    results: dict[int, MutantResult] = {}
    planned: list[dict[str, Any]] = []
    runnable = to_run(mutants, sampled, lambda m: covering_tests(m, passing, executed), results)
    for mutant, covering in runnable:
        planned.append(
            {
                "id": mutant.id,
                "start": mutant.start,
                "end": mutant.end,
                "mutated": mutant.mutated,
                "tests": [_name(test.nodeid) for test in covering],
                "timeout_s": time_limit(covering, options, TIMEOUT_ALLOWANCE_S),
            }
        )
    notes: list[str] = []
    integrity = Integrity()
    if planned:
        ran, notes, integrity = _execute(
            source,
            tests,
            planned,
            passing,
            sandbox=sandbox,
            options=options,
            lay_out=lay_out,
            command=command,
            readonly_paths=readonly_paths,
            env=env,
        )
        nodeids = {_name(test.nodeid): test.nodeid for test in passing}
        for mutant in mutants:
            if mutant.id not in results:
                results[mutant.id] = _ran(mutant, ran.get(str(mutant.id)), nodeids)
        timing = _timing(ran)
        if timing:
            notes.append(timing)
    return MutationOutcome(
        mutants=tuple(results[mutant.id] for mutant in mutants),
        sampled=len(sampled) < len(mutants),
        seed=options.mutation_seed,
        duration_s=time.monotonic() - start,
        notes=tuple(notes),
        integrity=integrity,
    )


def _ran(mutant: Any, found: Any, nodeids: dict[str, str]) -> MutantResult:
    """A run mutant's result from the harness's record of it (error when it has none)."""
    try:
        killer = found.get("killed_by")
        return mutant_result(
            mutant,
            MutantStatus(found["status"]),
            tests_run=int(found["tests_run"]),
            duration_s=float(found["duration_s"]),
            killed_by=nodeids.get(str(killer), str(killer)) if killer else None,
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        return mutant_result(mutant, MutantStatus.ERROR)


def _timing(ran: dict[str, Any]) -> str:
    """How long the mutants that ran took each (median), and how much of it was loading."""
    timed: list[tuple[float, float]] = []
    for found in ran.values():
        try:
            if found["status"] in ("killed", "survived") and found["load_s"]:
                timed.append((float(found["duration_s"]), float(found["load_s"])))
        except (KeyError, TypeError, ValueError):
            continue
    if not timed:
        return ""
    each = statistics.median(duration for duration, _ in timed) * 1000
    load = statistics.median(load for _, load in timed) * 1000
    return (
        f"{len(timed)} mutants ran in {each:.0f} ms each (median), {load:.0f} ms of it "
        "starting node and loading the tests"
    )


def _execute(
    source: SourceUnit,
    tests: GeneratedTests,
    planned: list[dict[str, Any]],
    passing: list[TestResult],
    *,
    sandbox: Sandbox,
    options: RunOptions,
    lay_out: LayOut,
    command: list[str],
    readonly_paths: list[Path],
    env: dict[str, str],
) -> tuple[dict[str, Any], list[str], Integrity]:
    """Run the selected mutants in one sandboxed supervisor; (results by id, notes, integrity)."""
    workspace = Path(tempfile.mkdtemp(prefix="atg-js-mutants-"))
    try:
        config = lay_out(workspace, source, tests, options)
        parallel = max(1, options.parallel)
        control_s = time_limit(passing, options, TIMEOUT_ALLOWANCE_S)
        # a mutant may run twice more (unchanged, then with more tests) to confirm a kill
        each = [3 * (mutant["timeout_s"] + LOAD_BOUND_S) + control_s for mutant in planned]
        bound = 2 * config["startup_s"] + control_s + sum(each) / parallel
        limits = harness_limits(options, bound)
        config.update(
            mutants=planned,
            runnable=[_name(test.nodeid) for test in passing],
            durations={_name(test.nodeid): test.duration_s for test in passing},
            timeout_factor=TIMEOUT_FACTOR,
            parallel=parallel,
            control_timeout_s=control_s,
            budget_s=max(0.0, limits.wall_time_s - 2 * config["startup_s"]),
        )
        Path(config["config_file"]).write_text(json.dumps(config), encoding="utf-8")
        completed = sandbox.execute(
            [*command, str(MUTANTS_SUPERVISOR), config["config_file"]],
            workspace,
            limits,
            env=env,
            readonly_paths=readonly_paths,
            sealed=True,
        )
        notes = list(completed.notes)
        report = harness_report(completed, config["report_key"])
        if report is None:
            tail = completed.stderr.strip().splitlines()[-1:] or [f"exit {completed.returncode}"]
            notes.append("the mutation run did not finish: " + "; ".join(tail))
            return {}, notes, Integrity()
        notes += [str(note) for note in report.get("notes", [])]
        integrity = integrity_from(report.get("integrity", []))
        if completed.returncode != 0 or completed.timed_out:
            detail = (
                f"the mutation harness reported, then ended with exit status {completed.returncode}"
            )
            finding = IntegrityFinding(kind="channel", detail=detail)
            integrity = Integrity(ok=False, findings=(*integrity.findings, finding))
        mutants = report.get("mutants")
        return (mutants if isinstance(mutants, dict) else {}), notes, integrity
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
