"""Mutation testing for Java: source-level mutants, compiled in one JVM, run in one sandboxed JVM.

The mutants are `text_mutants` of the module's source (`agentic_testgen.evals.mutation`), sampled
as in Python (`options.max_mutants` drawn with `options.mutation_seed`). As in Python, only a
mutant on a line a passing test executed in the instrumented run is run, and only against the
tests that executed its line; a mutant acting when the class is loaded or an object made (a field
initializer, a static block: `import_time`) runs against every passing test, once its line ran
(a constant's initializer has no code of its own: javac puts its value where it is used, so it
always runs). A mutant whose lines have no code (a `case` label) counts the tests of the nearest
line before it with code. Tests that were flaky in the reruns judge no mutant. The others are
"no coverage", not run.

JaCoCo does not count a line whose call threw (a test asserting an exception through `check(x);`
does not cover that line), so the coverage can miss a test that runs a mutant: a mutant that
survives its own tests runs once more against the other steady passing tests. A test that does
not run the mutated code cannot kill it (each mutant starts from fresh classes), so this second
run changes only what the coverage did not see; `tests_run` then counts both runs' tests.

Each selected mutant's source is compiled on atg's side, like the original, all in one JVM
(`AtgCompile --mutants`: one warm javac reusing its context through javac's task pool), into a
folder of its own; a mutant javac refuses is an error, not counted in the score. Then ONE JVM in
the sandbox (sealed, no JaCoCo agent) runs them all (`harness/AtgMutationRunner.java`): the
control first (the needed tests on the original: a test that does not pass there judges no mutant
and is a `mutation-differential` finding), then each mutant in a fresh class loader (the mutant's
classes replace the module's, static state starts fresh) with only its tests, stopping at the
first that fails (`killed_by`). A mutant's time limit is `TIMEOUT_FACTOR` times its tests'
durations in the instrumented run plus `TIMEOUT_ALLOWANCE_S`, at most `test_timeout_s` per test,
and each of its tests has such a limit of its own (a loop in the first of thirty tests is found
after that test's limit, not all thirty's); a mutant past either is a timeout (counted as killed).
After each mutant, the threads its run left behind are stopped (`Thread.stop`) and the next
mutant runs. When the JVM ends before the last mutant (threads that would not stop, a crash), the
mutant it was running has its verdict (a timeout when the sandbox's time limit ended it, else an
error) and a new JVM goes on with the rest (after at most `MAX_DEATHS` JVMs that died, the rest
are errors).

Test classes were compiled against the original: a constant the tests read directly
(`static final int MAX = 10`) was copied into them by javac, so mutating it changes only the
module's own uses. `tests_run` is the number of tests selected for the mutant (as in Python),
not how many ran before the first failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentic_testgen.domain import (
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
from agentic_testgen.guardrails import scrub
from agentic_testgen.languages._mutants import (
    TIMEOUT_FACTOR,
    mutant_result,
    sampled_ids,
    time_limit,
    to_run,
)
from agentic_testgen.languages._protocol import RunOptions
from agentic_testgen.languages._report import harness_limits, report_key
from agentic_testgen.languages.java._tools import (
    COMPILE_CLASS,
    COMPILE_TIMEOUT_S,
    FAST_JVM,
    MUTATION_CLASS,
    STARTUP_ALLOWANCE_S,
    JavaTools,
    heap_mb,
    java_properties,
    security_manager_flags,
)
from agentic_testgen.sandbox import Completed, Sandbox

if TYPE_CHECKING:
    from agentic_testgen.evals.mutation import TextMutant
    from agentic_testgen.languages.java._adapter import Layout

# A mutant may take TIMEOUT_FACTOR times as long as its tests did unmutated (as in Python), plus
# a fixed allowance: more than Python's, as a fresh class loader per mutant loads its classes and
# warms them up again, and a false timeout would count as a kill
TIMEOUT_ALLOWANCE_S = 2.0
# What the harness may spend per mutant beyond its time limit: loading, stopping its threads
PER_MUTANT_OVERHEAD_S = 2.5
# A new JVM goes on after one that ended early: always after one that ended itself because a
# mutant's threads would not stop (that mutant has its verdict: each such JVM makes progress, and
# on JDK 20 and later, without Thread.stop, every runaway mutant ends its JVM), after at most this
# many that died without their end record
MAX_DEATHS = 5
COMPILE_OPTIONS = ("-g", "-proc:none", "-encoding", "UTF-8", "-nowarn", "-Xmaxerrs", "1")
COMPILE_S_PER_MUTANT = 2.0
# javac's task pool, which `AtgCompile --mutants` reaches by reflection (about 3x faster per mutant)
TASK_POOL_EXPORT = ("--add-exports", "jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED")
_STATUSES = {"killed", "survived", "timeout", "error"}


@dataclass(frozen=True)
class _Planned:
    """A mutant that runs: its tests' node ids and its time limit, and the time limit of its
    second run (the other passing tests, when it survives its own)."""

    mutant: TextMutant
    tests: tuple[str, ...]
    limit_s: float
    others: int
    second_limit_s: float


def _code_lines_of(mutant: TextMutant, known_lines: set[int]) -> set[int]:
    return set(range(mutant.line, mutant.end_line + 1)) & known_lines


def _covering_tests(
    mutant: TextMutant, passing: list[TestResult], executed: set[int], known_lines: set[int]
) -> list[TestResult]:
    own = _code_lines_of(mutant, known_lines)
    if mutant.import_time:
        return passing if not own or own & executed else []
    if not own:
        before = [line for line in known_lines if line < mutant.line]
        own = {max(before)} if before else set()
    return [test for test in passing if own & set(test.lines)]


def _test_limit(duration_s: float, options: RunOptions) -> float:
    """One test's own limit under a mutant: a loop in the first of many tests is found at once,
    not after the time all of them together may take."""
    return min(TIMEOUT_FACTOR * duration_s + TIMEOUT_ALLOWANCE_S, options.test_timeout_s)


def run_mutants(
    tools: JavaTools,
    layout: Layout,
    source: SourceUnit,
    outcome: RunOutcome,
    sandbox: Sandbox,
    *,
    options: RunOptions,
    known_lines: set[int],
) -> MutationOutcome:
    """Every mutant of `source` and its fate against the tests of `outcome` (the instrumented
    run, whose compiled classes are in `layout`)."""
    start = time.monotonic()
    # imported here: `agentic_testgen.evals` imports the language adapters in turn
    from agentic_testgen.evals.mutation import text_mutants  # noqa: PLC0415

    mutants = text_mutants(source.code, Language.JAVA)
    sampled = sampled_ids(mutants, options)
    flaky = outcome.flaky_nodeids()
    passing = sorted(
        (t for t in outcome.tests if t.outcome == TestOutcome.PASSED and t.nodeid not in flaky),
        key=lambda t: t.duration_s,
    )
    executed = set(outcome.coverage.executed_lines) if outcome.coverage else set()
    results: dict[int, MutantResult] = {}
    planned: list[_Planned] = []
    runnable = to_run(
        mutants, sampled, lambda m: _covering_tests(m, passing, executed, known_lines), results
    )
    for mutant, covering in runnable:
        chosen_ids = {t.nodeid for t in covering}
        others = [t for t in passing if t.nodeid not in chosen_ids]
        planned.append(
            _Planned(
                mutant=mutant,
                tests=tuple(t.nodeid for t in covering),
                limit_s=time_limit(covering, options, TIMEOUT_ALLOWANCE_S),
                others=len(others),
                second_limit_s=time_limit(others, options, TIMEOUT_ALLOWANCE_S) if others else 0.0,
            )
        )
    notes: list[str] = []
    integrity = Integrity()
    if planned:
        run = _MutantRun(tools, layout, source, sandbox, options)
        verdicts = run.execute(planned, [t.nodeid for t in passing], outcome)
        notes, integrity = run.notes, run.integrity
        for plan in planned:
            verdict = verdicts.get(plan.mutant.id, {"status": "error"})
            results[plan.mutant.id] = mutant_result(
                plan.mutant,
                MutantStatus(verdict["status"]),
                tests_run=len(plan.tests) + (plan.others if verdict.get("second") else 0),
                duration_s=float(verdict.get("duration_s") or 0.0),
                killed_by=verdict.get("killed_by") or None,
            )
    return MutationOutcome(
        mutants=tuple(results[mutant.id] for mutant in mutants),
        sampled=len(sampled) < len(mutants),
        seed=options.mutation_seed,
        duration_s=time.monotonic() - start,
        notes=tuple(notes),
        integrity=integrity,
    )


class _MutantRun:
    """Compiles the planned mutants, then runs them in as few sandboxed JVMs as it can."""

    def __init__(
        self,
        tools: JavaTools,
        layout: Layout,
        source: SourceUnit,
        sandbox: Sandbox,
        options: RunOptions,
    ):
        self.tools = tools
        self.layout = layout
        self.source = source
        self.sandbox = sandbox
        self.options = options
        self.root = layout.workspace / "mutants"
        self.inputs = layout.config_file.parent
        self.notes: list[str] = []
        self.findings: list[IntegrityFinding] = []
        # whether the last JVM's wall time was the sum of its mutants' limits (not a setting)
        self.own_bound = True

    @property
    def integrity(self) -> Integrity:
        return Integrity(ok=not self.findings, findings=tuple(self.findings))

    def execute(
        self, planned: list[_Planned], passing: list[str], outcome: RunOutcome
    ) -> dict[int, dict[str, Any]]:
        """The verdict record of each planned mutant by id (missing: none could be had);
        `passing`: the tests that judge mutants."""
        compile_start = time.monotonic()
        problems = self.compile(planned)
        compile_s = time.monotonic() - compile_start
        verdicts: dict[int, dict[str, Any]] = {
            mutant_id: {"status": "error"} for mutant_id in problems
        }
        if problems:
            first = min(problems)
            self.notes.append(
                f"{len(problems)} of {len(planned)} mutants do not compile (errors, not counted "
                f"in the score); the first, mutant {first}: {problems[first]}"
            )
        runnable = [plan for plan in planned if plan.mutant.id not in problems]
        run_start = time.monotonic()
        jvms = self.run(runnable, passing, outcome, verdicts)
        run_s = time.monotonic() - run_start
        self.notes.append(
            f"compiled {len(planned)} mutants in {compile_s:.2f} s, ran {len(runnable)} in "
            f"{run_s:.2f} s ({jvms} JVM{'s' if jvms != 1 else ''})"
        )
        return verdicts

    def compile(self, planned: list[_Planned]) -> dict[int, str]:
        """javac's first error by mutant id, for each mutant that does not compile."""
        from agentic_testgen.evals.mutation import apply  # noqa: PLC0415

        relative = self.layout.module_file.relative_to(self.layout.workspace / "src")
        lines: list[str] = []
        for plan in planned:
            source_file = self.root / "src" / str(plan.mutant.id) / relative
            source_file.parent.mkdir(parents=True, exist_ok=True)
            source_file.write_text(apply(self.source.code, plan.mutant), encoding="utf-8")
            lines.append(f"{plan.mutant.id}\t{source_file}\t{self.classes(plan)}")
        listing = self.inputs / "mutants-compile.tsv"
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
        command = [
            str(self.tools.jdk.java), *FAST_JVM, *self.tools.cds("compile"), *TASK_POOL_EXPORT,
            "-cp", str(self.tools.harness_jar), COMPILE_CLASS, "--mutants", str(listing),
            *COMPILE_OPTIONS, *self.class_path_option(),
        ]  # fmt: skip
        reported: dict[int, str | None] = {}
        try:
            completed = subprocess.run(
                command,
                capture_output=True,
                text=True,
                check=False,
                timeout=COMPILE_TIMEOUT_S + COMPILE_S_PER_MUTANT * len(planned),
            )
            stdout = completed.stdout
        except subprocess.TimeoutExpired as expired:
            stdout = expired.stdout.decode() if isinstance(expired.stdout, bytes) else ""
            self.notes.append("javac did not finish compiling the mutants in time")
        for line in stdout.splitlines():
            parts = line.split("\t", 2)
            if len(parts) >= 2 and parts[0].isdigit():
                reported[int(parts[0])] = None if parts[1] == "ok" else (parts[2:] or ["?"])[0]
        problems: dict[int, str] = {}
        for plan in planned:
            if plan.mutant.id not in reported:
                problems[plan.mutant.id] = "javac gave no verdict"
            elif reported[plan.mutant.id] is not None:
                problems[plan.mutant.id] = str(reported[plan.mutant.id])
        return problems

    def class_path_option(self) -> list[str]:
        """javac's class path for a mutant in a Maven project: the project's own classes and
        its dependencies (a lone class compiles alone)."""
        entries = self.layout.class_path
        return ["-cp", os.pathsep.join(str(path) for path in entries)] if entries else []

    def classes(self, plan: _Planned) -> Path:
        return self.root / "classes" / str(plan.mutant.id)

    def run(
        self,
        runnable: list[_Planned],
        passing: list[str],
        outcome: RunOutcome,
        verdicts: dict[int, dict[str, Any]],
    ) -> int:
        """Run `runnable` in JVMs until each has a verdict (in `verdicts`); the JVMs started."""
        durations = {test.nodeid: test.duration_s for test in outcome.tests}
        pending = list(runnable)
        jvms = deaths = 0
        while pending and deaths < MAX_DEATHS:
            jvms += 1
            records, completed = self.jvm(pending, passing, durations, jvms)
            expected = {plan.mutant.id for plan in pending}
            control, end, forged = _sort_records(records, verdicts, expected)
            if forged:
                self.channel_written()
            if control is not None and jvms == 1:
                self.read_control(control)
            if control is not None and control.get("ending") == "STUCK":
                self.notes.append("the control run's threads would not stop: no mutant ran")
                break
            left = [plan for plan in pending if plan.mutant.id not in verdicts]
            if not left:
                break
            if end is not None and end.get("error"):
                self.notes.append(scrub(f"atg's mutation harness failed: {end['error']}"))
                break
            if end is not None and (not end.get("stuck") or len(left) == len(pending)):
                break  # it ended on its own without their verdicts: another JVM would too
            if end is None:
                deaths += 1
                if control is None:
                    self.notes.append(self.why(completed, "before the control run finished"))
                    break
                culprit = left.pop(0)
                # past the time its mutants' limits add up to, the harness could not stop the
                # one running: a timeout; cut by the run's configured wall time: no verdict
                runaway = completed.timed_out and self.own_bound
                status = "timeout" if runaway else "error"
                verdicts[culprit.mutant.id] = {"status": status}
                self.notes.append(
                    self.why(completed, f"while it ran mutant {culprit.mutant.id} ({status})")
                )
            pending = left
        missing = [plan for plan in runnable if plan.mutant.id not in verdicts]
        if missing:
            self.notes.append(f"{len(missing)} mutants did not run (errors)")
        return jvms

    @staticmethod
    def why(completed: Completed, when: str) -> str:
        tail = completed.stderr.strip().splitlines()[-1:] or [f"exit status {completed.returncode}"]
        return scrub(f"the mutation JVM ended {when}: " + "; ".join([*completed.notes, *tail]))

    def read_control(self, control: dict[str, Any]) -> None:
        """A test that failed on the unchanged class judges no mutant, and is a finding: it
        would kill every mutant it runs. One the control did not reach judges none either."""
        verdicts = control.get("failed") or {}
        failed = {nodeid: why for nodeid, why in verdicts.items() if why != "did not run"}
        unreached = [nodeid for nodeid, why in verdicts.items() if why == "did not run"]
        if unreached:
            self.notes.append(
                f"{len(unreached)} tests did not run in the control run ({control.get('ending')}) "
                "and judge no mutant: " + ", ".join(unreached[:3])
            )
        if failed:
            shown = ", ".join(f"{nodeid} ({why})" for nodeid, why in list(failed.items())[:3])
            more = f" and {len(failed) - 3} more" if len(failed) > 3 else ""
            self.findings.append(
                IntegrityFinding(
                    kind="mutation-differential",
                    detail=scrub(
                        f"{shown}{more} passed under measurement but not in the mutation run of "
                        "the unchanged class: they judge no mutant"
                    ),
                )
            )
        missing = control.get("missing") or []
        if missing:
            self.notes.append(
                f"{len(missing)} tests were not found again for mutation testing: "
                + ", ".join(missing[:3])
            )

    def jvm(
        self,
        pending: list[_Planned],
        passing: list[str],
        durations: dict[str, float],
        round_: int,
    ) -> tuple[list[dict[str, Any]], Completed]:
        """One sandboxed JVM over `pending`: its records and how it ended."""
        options = self.options
        needed = set(passing)
        control_limit = min(
            TIMEOUT_FACTOR * sum(durations.get(nodeid, 0.0) for nodeid in needed)
            + TIMEOUT_ALLOWANCE_S,
            options.test_timeout_s * max(len(needed), 1),
        )
        listing = self.inputs / f"mutants-run-{round_}.tsv"
        lines = ["\t".join(["all", *passing])]
        lines += [
            f"test\t{_ms(_test_limit(durations.get(nodeid, 0.0), options))}\t{nodeid}"
            for nodeid in passing
        ]
        lines += [
            "\t".join([
                str(p.mutant.id), str(_ms(p.limit_s)), str(_ms(p.second_limit_s)),
                str(self.classes(p)), *p.tests,
            ])
            for p in pending
        ]  # fmt: skip
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
        key = report_key()
        config = self.inputs / f"mutation-{round_}.properties"
        config.write_text(
            java_properties({
                "key": key,
                "module.classes": str(self.layout.module_classes),
                "test.classes": str(self.layout.test_classes),
                "class.path": os.pathsep.join(str(path) for path in self.layout.class_path),
                "mutants": str(listing),
                "control.limit.ms": str(_ms(control_limit)),
                "timeout.ms": str(_ms(options.test_timeout_s)),
                "exit.guard": "true",
            }),
            encoding="utf-8",
        )  # fmt: skip
        bound = (
            STARTUP_ALLOWANCE_S
            + control_limit
            + sum(plan.limit_s + plan.second_limit_s + PER_MUTANT_OVERHEAD_S for plan in pending)
        )
        limits = harness_limits(options, bound)
        self.own_bound = bound <= options.limits.wall_time_s
        command = [
            str(self.tools.jdk.java),
            *FAST_JVM,
            *self.tools.cds("run"),
            f"-Xmx{heap_mb(limits.memory_mb)}m",
            *security_manager_flags(self.tools.jdk),
            "-Dfile.encoding=UTF-8",
            "-cp",
            self.tools.runner_classpath,
            MUTATION_CLASS,
            str(config),
        ]
        completed = self.sandbox.execute(
            command,
            self.layout.workspace,
            limits,
            env={"MALLOC_ARENA_MAX": "2"},
            readonly_paths=[
                self.tools.home,
                *self.tools.jdk.outside_paths(),
                *self.layout.readonly,
            ],
            sealed=True,
        )
        records, stray = keyed_records(completed.stdout, key)
        if stray:
            self.channel_written()
        return records, completed

    def channel_written(self) -> None:
        """Test code wrote on the harness's channel: its verdicts are not to be trusted."""
        if not any(finding.kind == "channel" for finding in self.findings):
            self.findings.append(
                IntegrityFinding(
                    kind="channel", detail="the mutation harness's report channel was written to"
                )
            )


def _sort_records(
    records: list[dict[str, Any]], verdicts: dict[int, dict[str, Any]], expected: set[int]
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, bool]:
    """The control's record and the end record of one JVM (None: not printed), and whether
    the records were written by more than the harness (a record twice, or one the harness
    never writes); the verdicts of the mutants in `expected` go into `verdicts`."""
    control: dict[str, Any] | None = None
    end: dict[str, Any] | None = None
    forged = False
    seen: set[int] = set()
    for record in records:
        mutant_id = record.get("id")
        if end is not None:
            forged = True  # nothing follows the end record
        elif "control" in record:
            forged |= control is not None
            control = control or record["control"]
        elif "end" in record:
            end = record
        elif isinstance(mutant_id, int) and record.get("status") in _STATUSES:
            forged |= mutant_id in seen or mutant_id not in expected
            seen.add(mutant_id)
            if mutant_id in expected:
                verdicts.setdefault(mutant_id, record)
        else:
            forged = True
    return control, end, forged


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def keyed_records(stdout: str, key: str) -> tuple[list[dict[str, Any]], bool]:
    """The JSON objects the harness printed, each after `key`, and whether anything else was
    printed on its channel (a record cut short when the JVM died is left out, not counted)."""
    decoder = json.JSONDecoder()
    records: list[dict[str, Any]] = []
    stray = False
    position = 0
    while True:
        found = stdout.find(key, position)
        if found < 0:
            stray |= bool(stdout[position:].strip())
            return records, stray
        stray |= bool(stdout[position:found].strip())
        try:
            record, position = decoder.raw_decode(stdout, found + len(key))
        except ValueError:
            following = stdout.find(key, found + len(key))
            if following < 0:
                return records, stray  # only the last record may be cut short
            stray, position = True, following
            continue
        if isinstance(record, dict):
            records.append(record)
        else:
            stray = True
