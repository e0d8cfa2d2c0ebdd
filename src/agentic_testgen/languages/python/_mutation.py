"""Mutation testing for Python: choose each mutant's tests from per-test coverage, run them all.

Only mutants on lines a passing test executed are run, and each only against the tests that
executed its line; a mutant acting at import time, against the tests that reach what its
statement changes (`_reach.py`), or every passing test where that cannot be told. The others are
reported as "no coverage", not hidden. Each mutant's time limit is CPU time, from its tests' own
durations in the instrumented run (a loaded machine slows a child down without making it time
out), with a wall-time backstop for a mutant that waits instead of computing.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
import tokenize
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
from agentic_testgen.languages._mutants import mutant_result, sampled_ids, time_limit, to_run
from agentic_testgen.languages._protocol import RunOptions
from agentic_testgen.languages._report import harness_limits, harness_report, integrity_from
from agentic_testgen.languages.python._harness import (
    STARTUP_ALLOWANCE_S,
    test_count,
    work_bound_s,
)
from agentic_testgen.languages.python._reach import ImportTimeReach, neighbours
from agentic_testgen.sandbox import Completed, Sandbox, interpreter_paths

if TYPE_CHECKING:
    from agentic_testgen.evals.mutation import Mutant

MUTATION_RUNNER = Path(__file__).with_name("_mutation_runner.py")
# CPU time a mutant may take beyond TIMEOUT_FACTOR times its tests' measured durations: what a
# forked child spends of its own (copying the pages it writes, pytest's protocol around each
# test), per child and per test, and re-executing the module for a mutant acting at import time
CPU_ALLOWANCE_S = 0.05
CPU_ALLOWANCE_PER_TEST_S = 0.002
IMPORT_ALLOWANCE_S = 0.5
# Tests run without pytest's per-phase reports where nothing else can change their answer
# (see `_lean.py`); off, every test goes through pytest's protocol (the two are compared in tests)
LEAN_TESTS = True
# Wall time past twice the CPU limit: the backstop for a mutant that waits instead of computing
WALL_ALLOWANCE_S = 1.0

# a word a test's parameters may name: three letters or more (a regex's `(?i)` names nothing)
WORD = re.compile(r"[A-Za-z]{3,}")

LayOut = Callable[[Path, SourceUnit, GeneratedTests, RunOptions], dict[str, Any]]


def _covering_tests(
    mutant: Mutant,
    passing: list[TestResult],
    executed: set[int],
    reach: ImportTimeReach,
    test_lines: dict[str, frozenset[int]],
) -> list[TestResult]:
    lines = {mutant.line, mutant.statement_line}
    if not mutant.import_time:
        return [test for test in passing if lines & test_lines[test.nodeid]]
    if not lines & executed:
        return []
    found = reach.reach(mutant.line)
    if found is None:
        return passing
    reaching = [
        test
        for test in passing
        if found.lines & test_lines[test.nodeid] or _test_name(test.nodeid) in found.tests
    ]
    return reaching or passing  # nothing reaches what it changed: every test, as before


def _test_name(nodeid: str) -> str:
    """`Class::test` or `test`: a node id without its file and parameters."""
    return nodeid.partition("::")[2].partition("[")[0]


@functools.lru_cache(maxsize=4096)  # bounded: a suite evaluates module after module
def string_words(line: str) -> frozenset[str]:
    """The words (three letters or more, lower case) of the strings on a line of code."""
    words: set[str] = set()
    with contextlib.suppress(tokenize.TokenError, SyntaxError, ValueError):
        for token in tokenize.generate_tokens(io.StringIO(line).readline):
            if token.type == tokenize.STRING:
                words.update(w.lower() for w in WORD.findall(token.string))
    return frozenset(words)


def named_by(line: str, tests: list[TestResult]) -> list[str]:
    """The tests whose parameters name a word of the strings on a mutant's line.

    A mutant acting at import time often changes one row of a table (`("(quiz)$", "\\1zes")` in
    a list of rules) that only the test of that row notices (`test_plural[quiz-quizzes]`), and
    the latest killer, which finds the next function-body mutant at once, is another row's
    test. Trying these first changes which test kills, never whether one does."""
    words = string_words(line)
    if not words:
        return []
    named = []
    for test in tests:
        _, bracket, parameters = test.nodeid.partition("[")
        if bracket and any(word in parameters.lower() for word in words):
            named.append(test.nodeid)
    return named


def mutant_cpu_limit(
    covering: list[TestResult], options: RunOptions, *, import_time: bool
) -> float:
    """The CPU time a mutant's child may use before it counts as a timeout: `TIMEOUT_FACTOR`
    times its covering tests' durations in the instrumented run, plus the child's own cost."""
    allowance = CPU_ALLOWANCE_S + CPU_ALLOWANCE_PER_TEST_S * len(covering)
    if import_time:
        allowance += IMPORT_ALLOWANCE_S
    return time_limit(covering, options, allowance)


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
    pending = PendingMutation(source, tests, sandbox, options=options, lay_out=lay_out)
    return pending.finish(outcome, first=first, skip=skip)


class PendingMutation:
    """A mutation run started before the instrumented run it depends on has ended.

    Its sandbox starts at once: the interpreter, pytest, the module (from the schemata) and the
    test collection load while the instrumented run measures the tests. `finish` then hands it
    the mutants to run and their tests (chosen from the instrumented run's per-test coverage),
    through a directory the sandbox sees read-only; `cancel` ends it when there is nothing to
    run. One of the two must be called.
    """

    def __init__(
        self,
        source: SourceUnit,
        tests: GeneratedTests,
        sandbox: Sandbox,
        *,
        options: RunOptions,
        lay_out: LayOut,
    ) -> None:
        # imported here: `agentic_testgen.evals` imports the language adapters in turn
        from agentic_testgen.evals.mutation import build_schemata  # noqa: PLC0415

        self.started = time.monotonic()
        self.source, self.tests, self.options = source, tests, options
        self.schemata = build_schemata(source.code)
        self.workspace = Path(tempfile.mkdtemp(prefix="atg-mutants-"))
        self.completed: Completed | None = None
        self.failure: BaseException | None = None
        try:
            self.config, self.plan_file = self._lay_out(sandbox, lay_out)
            # the worst the plan can ask for: every mutant at every test's time limit. Worked
            # out here, not in the thread: Python 3.11's parser is not safe to run in two
            # threads at once (the caller goes on parsing while the harness starts)
            tests_in_file = test_count(tests.code)
            most_s = len(self.schemata.mutants) * (
                2 * options.test_timeout_s * tests_in_file + WALL_ALLOWANCE_S
            )
            bound_s = 2 * STARTUP_ALLOWANCE_S + work_bound_s(tests.code, options) + most_s
            self.thread = threading.Thread(
                target=self._execute, args=(sandbox, bound_s), daemon=True
            )
            self.thread.start()
        except BaseException:
            shutil.rmtree(self.workspace, ignore_errors=True)
            raise
        try:  # parsed here too, in this thread, while the harness and the instrumented run start
            self.reach = ImportTimeReach(
                source.code,
                tests.code,
                neighbours(
                    Path(source.path) if source.path else None,
                    Path(tests.path) if tests.path else None,
                ),
            )
            self._hand_over_early()
            # the words of import-time mutants' lines, read now rather than once the plan
            # waits for them (the first use of `tokenize` compiles its patterns: 8 ms)
            lines = source.code.splitlines()
            for mutant in self.schemata.mutants:
                if mutant.import_time and 0 < mutant.line <= len(lines):
                    string_words(lines[mutant.line - 1])
        except BaseException:
            self.cancel()
            raise

    def _lay_out(self, sandbox: Sandbox, lay_out: LayOut) -> tuple[dict[str, Any], Path]:
        # The module on disk is the original: only the harness holds the schemata, under a
        # switch name and values drawn for this run.
        config = lay_out(self.workspace, self.source, self.tests, self.options)
        chance = secrets.SystemRandom()
        switch = "_" + secrets.token_hex(chance.randint(3, 6))
        self.offset = chance.randint(1 << 20, 1 << 30)
        schemata_file = Path(config["inputs_dir"]) / "schemata.py"
        schemata_file.write_text(self.schemata.disguised(switch, self.offset), encoding="utf-8")
        plan_dir = self.workspace / ".atg-plan"
        plan_dir.mkdir()
        config.update(
            control_key=self.offset,
            switch=switch,
            schemata_file=str(schemata_file),
            plan_file=str(plan_dir / "plan.json"),
            module_names=_import_names(self.source, config),
            parallel=max(1, self.options.parallel),
            lean=LEAN_TESTS,
            import_time=any(mutant.import_time for mutant in self.schemata.mutants),
        )
        Path(config["config_file"]).write_text(json.dumps(config))
        return config, plan_dir / "plan.json"

    def _execute(self, sandbox: Sandbox, bound_s: float) -> None:
        """The sandboxed harness, in a thread of its own; it waits for the plan."""
        options, config = self.options, self.config
        try:
            self.completed = sandbox.execute(
                [sys.executable, str(MUTATION_RUNNER), config["config_file"]],
                self.workspace,
                harness_limits(options, bound_s / config["parallel"]),
                env={
                    "PYTHONPATH": ":".join(config["python_path"]),
                    "PYTHONDONTWRITEBYTECODE": "1",
                },
                readonly_paths=[*interpreter_paths(), MUTATION_RUNNER.parent],
                sealed=True,
            )
        except BaseException as error:  # raised again by `finish`, in the caller's thread
            self.failure = error

    def _hand_over_early(self) -> None:
        """Write what the harness may try before the plan (see `_mutation_runner._run_early`):
        each mutant's switch value, and the tests whose code names what its line is in (its
        function; for a mutant acting at import time, the tests that name what it changes).
        The import-time answers are kept for `finish`."""
        early = []
        for mutant in self.schemata.mutants:
            if mutant.import_time:
                found = self.reach.reach(mutant.line)
                names = set(found.tests) if found is not None else set()
            else:
                names = self.reach.tests_naming_function_of(mutant.line)
            early.append(
                {
                    "id": mutant.id,
                    "key": self.offset + mutant.id,
                    "import_time": mutant.import_time,
                    "names": sorted(names),
                }
            )
        # mutants in function bodies with tests naming their function first: they die soonest
        early.sort(key=lambda candidate: (candidate["import_time"], not candidate["names"]))
        partial = self.plan_file.with_name("early.part")
        partial.write_text(json.dumps(early))
        partial.chmod(0o644)
        os.replace(partial, self.plan_file.with_name("early.json"))

    def _hand_over(
        self,
        mutants: list[dict[str, Any]],
        *,
        first: frozenset[str] = frozenset(),
        patterns: tuple[tuple[str, int], ...] = (),
    ) -> None:
        """Write the plan whole (the harness polls for its name), then wait for the harness.

        Tests in `first` keep their place at the front of every mutant's tests; the harness
        may reorder the others. `patterns` are the regular expressions the tests compiled,
        which the harness compiles once before it forks."""
        bound = STARTUP_ALLOWANCE_S + sum(m["timeout_s"] for m in mutants) / self.config["parallel"]
        plan = {
            "mutants": [{**mutant, "key": self.offset + mutant["id"]} for mutant in mutants],
            "first": sorted(first),
            "bound_s": bound,
            "patterns": patterns,
        }
        partial = self.plan_file.with_suffix(".part")
        partial.write_text(json.dumps(plan))
        partial.chmod(0o644)
        os.replace(partial, self.plan_file)
        self.thread.join()
        if self.failure is not None:
            raise self.failure

    def cancel(self) -> None:
        """End the harness without running a mutant."""
        try:
            self._hand_over([])
        finally:
            shutil.rmtree(self.workspace, ignore_errors=True)

    def finish(
        self,
        outcome: RunOutcome,
        *,
        first: frozenset[str] = frozenset(),
        skip: frozenset[int] = frozenset(),
    ) -> MutationOutcome:
        """Run the mutants the instrumented run's coverage selects; every mutant's verdict."""
        try:
            return self._finish(outcome, first, skip)
        finally:
            shutil.rmtree(self.workspace, ignore_errors=True)

    def _finish(
        self, outcome: RunOutcome, first: frozenset[str], skip: frozenset[int]
    ) -> MutationOutcome:
        options = self.options
        mutants = list(self.schemata.mutants)
        sampled = sampled_ids(mutants, options)
        flaky = outcome.flaky_nodeids()
        passing = sorted(
            (t for t in outcome.tests if t.outcome == TestOutcome.PASSED and t.nodeid not in flaky),
            key=lambda t: (t.nodeid not in first, t.duration_s),  # fastest first: kills come sooner
        )
        executed = set(outcome.coverage.executed_lines) if outcome.coverage else set()
        lines = self.source.code.splitlines()
        results: dict[int, MutantResult] = {}
        planned: list[dict[str, Any]] = []
        selected_tests: dict[int, list[TestResult]] = {}
        reach = self.reach
        test_lines = {test.nodeid: frozenset(test.lines) for test in passing}
        runnable = to_run(
            mutants,
            sampled,
            lambda m: _covering_tests(m, passing, executed, reach, test_lines),
            results,
            skip=skip,
        )
        for mutant, covering in runnable:
            selected_tests[mutant.id] = covering
            cpu_s = mutant_cpu_limit(covering, options, import_time=mutant.import_time)
            planned.append(
                {
                    "id": mutant.id,
                    "tests": [t.nodeid for t in covering],
                    "cpu_s": cpu_s,
                    "timeout_s": 2 * cpu_s + WALL_ALLOWANCE_S,
                    "import_time": mutant.import_time,
                    "named": (
                        named_by(lines[mutant.line - 1], covering)
                        if mutant.import_time and 0 < mutant.line <= len(lines)
                        else []
                    ),
                }
            )
        self._hand_over(planned, first=first, patterns=outcome.compiled_patterns)
        ran, notes, integrity = self._report() if planned else ({}, [], Integrity())
        for mutant in mutants:
            if mutant.id in selected_tests:
                found = ran.get(str(mutant.id))
                results[mutant.id] = mutant_result(
                    mutant,
                    MutantStatus(found["status"]) if found else MutantStatus.ERROR,
                    tests_run=len(selected_tests[mutant.id]),
                    duration_s=found["duration_s"] if found else 0.0,
                    cpu_s=found.get("cpu_s", 0.0) if found else 0.0,
                    killed_by=found["killed_by"] if found else None,
                )
        return MutationOutcome(
            mutants=tuple(results[m.id] for m in mutants),
            sampled=len(sampled) < len(mutants),
            seed=options.mutation_seed,
            duration_s=time.monotonic() - self.started,
            notes=tuple(notes),
            integrity=integrity,
        )

    def _report(self) -> tuple[dict[str, Any], list[str], Integrity]:
        """(results by id, notes, integrity) from the harness's report."""
        completed = self.completed
        assert completed is not None  # set by the thread `_hand_over` joined
        notes = list(completed.notes)
        report = harness_report(completed, self.config["report_key"])
        if report is None:
            tail = completed.stderr.strip().splitlines()[-1:] or [f"exit {completed.returncode}"]
            notes.append(
                "mutation run did not finish: " + "; ".join(tail) + completed.stdout[-3000:]
            )
            return {}, notes, Integrity()
        return report["mutants"], notes, integrity_from(report["integrity"])


def _import_names(source: SourceUnit, config: dict[str, Any]) -> list[str]:
    """The names the tests can import the module by, given the workspace's import path."""
    names = [source.qualified_name]
    if source.package and str(Path(config["module_file"]).parent) in config["python_path"]:
        names.append(source.module_name)
    return names
