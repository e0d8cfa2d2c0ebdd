"""The Java adapter: JUnit 5 under JaCoCo, one JVM per run, inside the sandbox.

A run lays out the class under test (`src/<package dirs>/<Class>.java`) and its test file
(`test/<its package dirs>/<File>.java`) in a fresh workspace and compiles both on atg's side with
`javac -g` (module first, then the tests against it and JUnit; one JVM for both, see
`AtgCompile.java`). A compile error is the run's `syntax_error` and nothing runs. Then ONE JVM runs
in the sandbox (sealed) with JaCoCo's agent instrumenting only the module's classes and atg's
harness (`harness/AtgJUnitRunner.java`) as its main class: the JUnit Platform Launcher runs the
tests once with per-test coverage and then `options.reruns` more times, each run with a fresh
class loader (fresh static state, as a new JVM would have). The reruns run one after another
(`options.parallel` is not used): each costs only the tests' own time, no JVM start.

Node ids: JUnit's unique id, simplified: the test class's simple name, nested classes and the
method with its parameter types joined by `::`, and the invocation number of a parametrized,
repeated or dynamic test in brackets: `ClampTest::clampsLow()`, `ClampTest::Inner::edge()`,
`ClampTest::clamps(int)[2]`. Verdicts are JUnit's own: successful, failed and aborted become
passed, failed and skipped; a disabled test is skipped; a test whose class or lifecycle method
failed before it ran is an error. A test that ran past `options.test_timeout_s` (JUnit's default
timeout, enforced in a separate thread, so a `while (true) {}` is left behind and the other tests
go on) is a timeout; the threads it started are then stopped (`Thread.stop`, JDK 17 to 19), and
the reruns skip it (each would only reach its limit again). `System.exit` and `Runtime.halt` in a
test throw a `SecurityException` (where the JDK still allows a security manager, up to 23).

Coverage equals JaCoCo's own report (`jacococli report --xml`) for the module's source file, all
its classes (nested, anonymous, other top-level classes in the file) included: `num_statements`
and `covered_lines` are JaCoCo's LINE counter (a line counts as covered when fully or partly
covered), `num_branches` and `covered_branches` its BRANCH counter. JaCoCo counts branches per line
but does not say which of a line's branches ran, so a branch is the pair (line, index): the line's
first `cb` indices are its covered branches and the next `mb` its missed ones (JaCoCo's `cb` and
`mb` for the line), for the file and for each test alike; two tests that each covered one of a
line's two branches therefore both show (line, 0). `percent_covered` is coverage.py's formula:
covered lines and branches over all lines and branches. A test's lines are those its own
execution data covers (fully or partly); what runs outside any test (static set-up of the test
class, argument sources) counts for the file only.

Integrity: the lines a run's coverage names are checked against the LineNumberTables of the class
files atg compiled (read on atg's side, `_classfile.py`); a line no class has code on, a test
covering a line the totals call missed, or counters that disagree with the lines they count mark
the run `coverage-forged`. Anything the harness prints besides its report is a `channel` finding.
What test code in the same JVM can still do, undetected: it shares the process with the harness
and JaCoCo's runtime, so through reflection or `RT.getAgent()` it can reset, add or drop
execution data of real lines (coverage inflated or erased within the class's own lines), change
the harness's verdicts before they are printed, read the report key from the configuration file
and print a report of its own on the JVM's standard output (`FileDescriptor.out`) and halt, or
replace the harness's security manager by reflection. The sandbox still holds it: no network, no
files outside the workspace, its time, memory and processes limited.

Mutation testing (`options.mutation`, when the run measured coverage; see `_mutation.py`): the
source-level mutants of `agentic_testgen.evals.mutation` (the operators of the Python engine),
sampled as in Python, each compiled on atg's side (all in one JVM, `AtgCompile --mutants`; one
javac refuses is an error, not counted in the score), then all run in ONE more sandboxed JVM
(sealed, no JaCoCo agent; `harness/AtgMutationRunner.java`). Each mutant runs in a fresh class
loader against the steady passing tests that covered its line (a field initializer or static
block: all of them), stops at the first failing test (`killed_by`), and is a timeout past a limit
taken from those tests' durations in the instrumented run; a survivor runs once more against the
other passing tests, since JaCoCo does not count a line whose call threw. A control run of the
tests on the unchanged class comes first: a test that does not pass there judges no mutant and is
a `mutation-differential` finding. When the JVM ends early (threads that will not stop, a crash),
a new one goes on with the remaining mutants. Test code shares that JVM too: verdicts it prints on
the harness's channel are seen when the harness prints its own for the same mutant (a `channel`
finding), but not when it then halts the JVM (its exit guard removed by reflection) or changes
the harness's verdicts in memory.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from agentic_testgen.domain import (
    CollectionError,
    FileCoverage,
    GeneratedTests,
    Integrity,
    IntegrityFinding,
    Language,
    RunOutcome,
    SourceUnit,
    TestOutcome,
    TestResult,
)
from agentic_testgen.guardrails import scrub
from agentic_testgen.languages._protocol import RunOptions
from agentic_testgen.languages._report import (
    harness_limits,
    harness_report,
    integrity_from,
    merge_integrity,
    report_key,
)
from agentic_testgen.languages.java._classfile import ClassFileError, class_files, code_lines
from agentic_testgen.languages.java._mutation import run_mutants
from agentic_testgen.languages.java._source import (
    package_of,
    source_unit_from_path,
    test_count,
    test_file_name,
    type_names,
)
from agentic_testgen.languages.java._tools import (
    COMPILE_CLASS,
    COMPILE_TIMEOUT_S,
    FAST_JVM,
    JVM_OVERHEAD_MB,
    RUNNER_CLASS,
    STARTUP_ALLOWANCE_S,
    JavaTools,
    heap_mb,
    java_properties,
    java_tools,
    security_manager_flags,
)
from agentic_testgen.sandbox import Completed, Sandbox

_COMPILE_ERROR = re.compile(r"^(?P<file>.+?\.java):(?P<line>\d+): error: (?P<message>.*)$", re.M)


@dataclass(frozen=True)
class Layout:
    """Where a run's files are: sources under `src`/`test`, javac's output under `classes`,
    atg's inputs (configuration, mutant lists) in `.atg-in`; in a Maven project, also what else
    the tests load (`class_path`: the project's classes and dependencies) and the folders
    outside the workspace the sandbox must show for it (`readonly`)."""

    workspace: Path
    module_file: Path
    tests_file: Path
    module_classes: Path
    test_classes: Path
    config_file: Path
    class_path: tuple[Path, ...] = ()
    readonly: tuple[Path, ...] = ()


class JavaAdapter:
    """JUnit 5 (Jupiter, and JUnit 4 through the vintage engine) under JaCoCo; see the module
    docstring for node ids, verdicts, coverage and what integrity covers."""

    language = Language.JAVA.value

    def __init__(self, *, tools_home: Path | None = None, evidence_dir: Path | None = None):
        """`tools_home`: where `atg setup java` put the tools (default: atg's cache).
        `evidence_dir`: a folder that receives each run's merged JaCoCo execution data
        (`jacoco.exec`) and the module's class files (`classes/`), so the coverage can be checked
        with JaCoCo's own `report` command."""
        self.tools_home = tools_home
        self.evidence_dir = evidence_dir

    def read_source(self, path: Path) -> SourceUnit:
        return source_unit_from_path(path)

    def run(
        self, source: SourceUnit, tests: GeneratedTests, sandbox: Sandbox, options: RunOptions
    ) -> RunOutcome:
        if source.project_root is not None:
            # imported here: the project mode builds on this module's harness run
            from agentic_testgen.languages.java._project import run_project  # noqa: PLC0415

            return run_project(self, source, tests, sandbox, options)
        start = time.monotonic()
        tools = java_tools(self.tools_home)
        workspace = Path(tempfile.mkdtemp(prefix="atg-java-"))
        try:
            layout = _lay_out(workspace, source, tests)
            problem = _compile(tools, layout)
            if problem:
                return RunOutcome(syntax_error=problem, sandbox=sandbox.name)
            known_lines = code_lines_of(layout.module_classes)
            outcome = self.execute_harness(
                tools, layout, tests, sandbox, options, known_lines=known_lines
            )
            if options.mutation and outcome.coverage is not None:
                mutation = run_mutants(
                    tools,
                    layout,
                    source,
                    outcome,
                    sandbox,
                    options=options,
                    known_lines=known_lines,
                )
                integrity = merge_integrity(outcome.integrity, mutation.integrity)
                outcome = outcome.model_copy(update={"mutation": mutation, "integrity": integrity})
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
        return outcome.model_copy(update={"duration_s": time.monotonic() - start})

    def execute_harness(
        self,
        tools: JavaTools,
        layout: Layout,
        tests: GeneratedTests,
        sandbox: Sandbox,
        options: RunOptions,
        *,
        known_lines: set[int],
    ) -> RunOutcome:
        module = class_files(layout.module_classes)
        if not module:
            message = f"{layout.module_file.name} declares no class"
            return RunOutcome(
                collection_errors=(CollectionError(nodeid="", message=message),),
                sandbox=sandbox.name,
            )
        key = report_key()
        layout.config_file.write_text(
            java_properties({
                "key": key,
                "module.classes": str(layout.module_classes),
                "test.classes": str(layout.test_classes),
                "class.path": os.pathsep.join(str(path) for path in layout.class_path),
                "reruns": str(options.reruns),
                "timeout.ms": str(max(1, round(options.test_timeout_s * 1000))),
                "exit.guard": "true",
            }),
            encoding="utf-8",
        )  # fmt: skip
        bound = STARTUP_ALLOWANCE_S + test_count(tests.code) * options.test_timeout_s * (
            options.reruns + 1
        )
        limits = harness_limits(options, bound)
        includes = ":".join(module)
        command = [
            str(tools.jdk.java),
            *FAST_JVM,
            *tools.cds("run"),
            f"-Xmx{heap_mb(limits.memory_mb)}m",
            *security_manager_flags(tools.jdk),
            "-Dfile.encoding=UTF-8",
            f"-javaagent:{tools.agent_jar}=output=none,jmx=false,includes={includes}",
            "-cp",
            tools.runner_classpath,
            RUNNER_CLASS,
            str(layout.config_file),
        ]
        completed = sandbox.execute(
            command,
            layout.workspace,
            limits,
            env={"MALLOC_ARENA_MAX": "2"},
            readonly_paths=[tools.home, *tools.jdk.outside_paths(), *layout.readonly],
            sealed=True,
        )
        report = harness_report(completed, key)
        if report is not None and self.evidence_dir is not None:
            self._keep_evidence(report, layout.module_classes)
        return _read_report(report, completed, sandbox.name, known_lines)

    def _keep_evidence(self, report: dict[str, Any], module_classes: Path) -> None:
        assert self.evidence_dir is not None
        self.evidence_dir.mkdir(parents=True, exist_ok=True)
        classes = self.evidence_dir / "classes"
        shutil.rmtree(classes, ignore_errors=True)
        shutil.copytree(module_classes, classes)
        exec_file = self.evidence_dir / "jacoco.exec"
        exec_file.unlink(missing_ok=True)
        coverage = report.get("coverage")
        if isinstance(coverage, dict) and isinstance(coverage.get("exec"), str):
            with contextlib.suppress(binascii.Error, ValueError):
                exec_file.write_bytes(base64.b64decode(coverage["exec"], validate=True))


def code_lines_of(module_classes: Path) -> set[int]:
    """The lines the module's class files have code on (their LineNumberTables)."""
    known_lines: set[int] = set()
    for path in class_files(module_classes).values():
        # javac's own output; a class file format newer than this reader knows is left out
        with contextlib.suppress(ClassFileError):
            known_lines |= code_lines(path.read_bytes())
    return known_lines


def module_file_name(source: SourceUnit) -> str:
    """`<module_name>.java` when the code declares that type, else the file its public (or
    first) type needs: a source given as a string may carry a made-up module name."""
    names = type_names(source.code)
    if source.module_name in names or not names:
        return f"{source.module_name}.java"
    return f"{names[0]}.java"


def _lay_out(workspace: Path, source: SourceUnit, tests: GeneratedTests) -> Layout:
    package = source.package or package_of(source.code)
    module_file = workspace.joinpath("src", *package, module_file_name(source))
    module_file.parent.mkdir(parents=True)
    module_file.write_text(source.code, encoding="utf-8")
    tests_file = workspace.joinpath(
        "test", *package_of(tests.code), test_file_name(tests.filename, tests.code)
    )
    tests_file.parent.mkdir(parents=True, exist_ok=True)
    tests_file.write_text(tests.code, encoding="utf-8")
    inputs = workspace / ".atg-in"
    inputs.mkdir()
    return Layout(
        workspace=workspace,
        module_file=module_file,
        tests_file=tests_file,
        module_classes=workspace / "classes" / "main",
        test_classes=workspace / "classes" / "test",
        config_file=inputs / "config.properties",
    )


def _compile(tools: JavaTools, layout: Layout) -> str | None:
    """javac's first error as `File.java:line: error: message`, or None when both compiled."""
    common = ["-g", "-proc:none", "-encoding", "UTF-8", "-nowarn", "-Xmaxerrs", "5"]
    test_path = f"{layout.module_classes}{os.pathsep}{tools.junit_jar}"
    command = [
        str(tools.jdk.java), *FAST_JVM, *tools.cds("compile"), "-cp", str(tools.harness_jar),
        COMPILE_CLASS,
        *common, "-d", str(layout.module_classes), str(layout.module_file), "--then",
        *common, "-d", str(layout.test_classes), "-cp", test_path, str(layout.tests_file),
    ]  # fmt: skip
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=COMPILE_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        return f"javac did not finish within {COMPILE_TIMEOUT_S:g} s"
    if completed.returncode == 0:
        return None
    found = _COMPILE_ERROR.search(completed.stdout)
    if found:
        name = Path(found["file"]).name
        return f"{name}:{found['line']}: error: {found['message'].strip()}"
    lines = [line for line in (completed.stdout + completed.stderr).splitlines() if line.strip()]
    return lines[0].strip() if lines else f"javac failed (exit status {completed.returncode})"


def _read_report(
    report: dict[str, Any] | None, completed: Completed, sandbox: str, known_lines: set[int]
) -> RunOutcome:
    """The run's outcome from the harness's report; text that came from test code (failures,
    errors, crash reasons) passes the secret and PII scrubber before it is kept."""
    if report is None:
        return RunOutcome(
            collection_errors=(
                CollectionError(nodeid="", message=scrub(_why_no_report(completed))),
            ),
            sandbox=sandbox,
            notes=completed.notes,
        )
    try:
        return _outcome_from(report, completed.notes, sandbox, known_lines)
    except (KeyError, TypeError, ValueError, AttributeError, ValidationError) as error:
        reason = f"the test run's report is malformed ({type(error).__name__})"
        finding = IntegrityFinding(kind="channel", detail=reason)
        return RunOutcome(
            collection_errors=(CollectionError(nodeid="", message=reason),),
            sandbox=sandbox,
            notes=completed.notes,
            integrity=Integrity(ok=False, findings=(finding,)),
        )


def _why_no_report(completed: Completed) -> str:
    stderr = completed.stderr.strip()
    if "Could not reserve enough space" in stderr or "Could not allocate" in stderr:
        return (
            "the JVM could not start within the memory limit (without a writable cgroup the "
            f"limit is an address-space limit, and the JVM reserves about {JVM_OVERHEAD_MB} MiB "
            "beyond its heap): raise the memory limit"
        )
    tail = stderr.splitlines()[-1:] or [f"exit status {completed.returncode}"]
    return "the test run did not finish: " + "; ".join([*completed.notes, *tail])


def _outcome_from(
    report: dict[str, Any], sandbox_notes: tuple[str, ...], sandbox: str, known_lines: set[int]
) -> RunOutcome:
    notes = [*sandbox_notes, *(str(note) for note in report.get("notes", []))]
    errors: list[CollectionError] = []
    if report.get("error"):
        errors.append(
            CollectionError(
                nodeid="", message=scrub(f"atg's JUnit harness failed: {report['error']}")
            )
        )
    runs = report.get("runs") or [{"tests": {}, "errors": [], "issues": []}]
    first = runs[0]
    coverage = report.get("coverage")
    per_test: dict[str, Any] = coverage["per_test"] if coverage else {}
    tests = tuple(
        TestResult(
            nodeid=nodeid,
            outcome=TestOutcome(record["outcome"]),
            duration_s=float(record["duration_s"]),
            failure=scrub(record["failure"]) if record["failure"] else None,
            lines=tuple(int(line) for line in per_test.get(nodeid, {}).get("lines", ())),
            branches=_branches(per_test.get(nodeid, {}).get("branches", ())),
        )
        for nodeid, record in first["tests"].items()
    )
    errors += [
        CollectionError(nodeid=str(error["nodeid"]), message=scrub(str(error["message"])))
        for error in first["errors"]
    ]
    notes += [f"JUnit discovery: {issue}" for issue in first.get("issues", [])]
    reruns = tuple(
        {nodeid: TestOutcome(record["outcome"]) for nodeid, record in run["tests"].items()}
        for run in runs[1:]
    )
    files = coverage["files"] if coverage else []
    totals = file_coverage(files) if files else None
    forged = forged_coverage(files, totals, tests, known_lines)
    return RunOutcome(
        tests=tests,
        collection_errors=tuple(errors),
        coverage=totals,
        reruns=reruns,
        sandbox=sandbox,
        notes=tuple(notes),
        integrity=merge_integrity(integrity_from(report.get("integrity", [])), forged),
    )


def _branches(pairs: Any) -> tuple[tuple[int, int], ...]:
    """[[line, covered count], ...] as (line, index) pairs, indices 0 .. count - 1."""
    return tuple((int(line), index) for line, count in pairs for index in range(int(count)))


def file_coverage(files: list[dict[str, Any]]) -> FileCoverage:
    """JaCoCo's per-line counters [line, mi, ci, mb, cb] of the module's source file."""
    executed: list[int] = []
    missing: list[int] = []
    executed_branches: list[tuple[int, int]] = []
    missing_branches: list[tuple[int, int]] = []
    for file in files:
        for nr, _mi, ci, mb, cb in file["lines"]:
            (executed if ci > 0 else missing).append(int(nr))
            executed_branches += [(int(nr), index) for index in range(int(cb))]
            missing_branches += [(int(nr), index) for index in range(int(cb), int(cb) + int(mb))]
    statements = len(executed) + len(missing)
    branches = len(executed_branches) + len(missing_branches)
    covered = len(executed) + len(executed_branches)
    total = statements + branches
    return FileCoverage(
        num_statements=statements,
        covered_lines=len(executed),
        num_branches=branches,
        covered_branches=len(executed_branches),
        percent_covered=100.0 * covered / total if total else 100.0,
        executed_lines=tuple(sorted(executed)),
        missing_lines=tuple(sorted(missing)),
        executed_branches=tuple(sorted(executed_branches)),
        missing_branches=tuple(sorted(missing_branches)),
    )


def forged_coverage(
    files: list[dict[str, Any]],
    coverage: FileCoverage | None,
    tests: tuple[TestResult, ...],
    known_lines: set[int],
) -> Integrity:
    """Coverage that names lines the module's classes have no code on, per-test coverage the
    totals do not hold, or counters that disagree with their lines, was written, not measured."""
    problems: list[str] = []
    named = {line for test in tests for line in test.lines}
    if coverage is not None:
        named |= {*coverage.executed_lines, *coverage.missing_lines}
    beyond = sorted(named - known_lines)
    if known_lines and beyond:
        problems.append(f"lines {few(beyond)} on which the module's classes have no code")
    if coverage is not None:
        executed = set(coverage.executed_lines)
        for test in tests:
            extra = sorted(set(test.lines) - executed)
            if extra:
                problems.append(f"{test.nodeid} covered lines {few(extra)} the totals call missed")
                break
        lines = sum(int(m) + int(c) for file in files for m, c in [file["line_counter"]])
        branch_total = sum(int(m) + int(c) for file in files for m, c in [file["branch_counter"]])
        if lines != coverage.num_statements or branch_total != coverage.num_branches:
            problems.append("JaCoCo's counters disagree with the lines they count")
    if not problems:
        return Integrity()
    findings = tuple(
        IntegrityFinding(kind="coverage-forged", detail=f"the coverage names {problem}: forged")
        if problem.startswith("lines")
        else IntegrityFinding(kind="coverage-forged", detail=f"{problem}: forged")
        for problem in problems
    )
    return Integrity(ok=False, findings=findings)


def few(lines: list[int]) -> str:
    shown = ", ".join(str(line) for line in lines[:5])
    return shown + (f" and {len(lines) - 5} more" if len(lines) > 5 else "")
