"""The JavaScript adapter: node:test under V8 coverage, read as c8 reads it, in the sandbox.

The module is laid out under its own name with its own extension (`.js`, `.mjs` or `.cjs`) and
the test file beside it, so tests `require('./calc')` or `import ... from './calc.mjs'`; both
CommonJS and ES modules work as node loads them. `harness/supervisor.mjs` runs in the sandbox
(see its header): it checks both files parse, runs the tests with node:test in child `node`
processes (a per-test run with V8 precise coverage windows around every test, a run with
NODE_V8_COVERAGE for the file's totals, and the reruns), stops tests that hang, and prints one
JSON report on its standard output after a fresh key. The host reads that report from the
sandbox's capture, never from a file in the workspace.

Node ids are `<test file name>::<suite> > <test>` (node:test's full name of the test); a name
met again in the same file gets ` [2]`, ` [3]`... A test's lines and branches are what ran in the
module while it ran: a test's subtests count toward it, and tests that run concurrently (the
`concurrency` option) share what ran while they overlapped; a hang among concurrent tests is
charged to the one that started last.

Mutation testing (`options.mutation`, when the run measured coverage; `_mutation.py`): the
module's `text_mutants`, sampled with `max_mutants`/`mutation_seed` as in Python, run in a second
sealed sandbox run by `harness/mutants.mjs`, which reports on the same channel under its own key.
Only mutants on lines a passing, non-flaky test executed run, each judged by only those tests
(mutants outside any function: by every such test, when the file's totals say their line ran);
the rest are "no coverage". node:test cannot run a file's tests twice in one process, so each
mutant gets a fresh node process, `parallel` at a time: the mutated module beside a copy of the
test file in a folder of its own, the tests that do not judge it passing at once, unrun. A
process is stopped as soon as its verdict is known (the first judged test to fail, or the last to
pass), or at the mutant's time limit (its tests' measured durations times 10 plus 1 s, from the
first test's start; loading: 4 times the unchanged module's plus 2 s): timeout, counted as
killed, and the next mutants run. A mutant that does not compile is an error, not a kill. A test
that does not pass on the unchanged module in the mutation run (the control) judges none. A kill
stands only when the killing test passes on the unchanged module with the same selection of
tests (a test that needs an earlier test's state would fail there too); otherwise the mutant
runs again with the tests that ran before it. Starting node and loading node:test, the harness
and the test file is most of each mutant's time (about 100 ms of 120-250 ms here); the tests
themselves are a few ms.

Trust: the supervisor runs no test code, and its children never hold its standard output; the
host flags anything else on that channel (`channel`), a report from a supervisor that did not
exit cleanly (`channel`), and coverage naming positions or lines the module does not have
(`coverage-forged`). Test code still shares its process with the harness's preload and
reporter, so it can:

- fake its own verdicts, durations and coverage windows (replace node:test's hooks, patch
  `inspector.Session`, or write its own messages on the result channel, descriptor 3);
- overwrite the NODE_V8_COVERAGE files of its run before they are read (they are in the
  sandbox's private /tmp, writable by the same user) with plausible ranges;
- tell a mutant's process from the others (the original module is readable in the workspace)
  and fail only there, so every mutant it judges counts as killed;
- read the harness's configuration, report key included, and open the supervisor's standard
  output through /proc (what it writes there is flagged, unless it also kills the supervisor,
  which loses the report), or ptrace the supervisor (same user, no Yama policy here).
None of this reaches outside the sandbox; it can only make this run's figures wrong.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import shutil
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
from agentic_testgen.languages.javascript._coverage import file_coverage
from agentic_testgen.languages.javascript._frameworks import FrameworkChoice, choose_framework
from agentic_testgen.languages.javascript._mutation import run_mutants
from agentic_testgen.languages.javascript._node_tools import find_node, require_node_tools
from agentic_testgen.sandbox import Completed, Sandbox

HARNESS_DIR = Path(__file__).with_name("harness")
SUPERVISOR = HARNESS_DIR / "supervisor.mjs"
EXTENSIONS = (".js", ".mjs", ".cjs")
# Node start-up, loading a test file, reading coverage: allowed per run outside any test.
STARTUP_S = 10.0
# node:test verbs a test is declared with (t.test included); a generous count is fine
_TEST_CALL = re.compile(r"\b(?:test|it)\s*(?:\.\s*(?:skip|todo|only)\s*)?\(")
# the supervisor's own environment (without a sandbox, the host's variables that change what
# node loads or writes are emptied); its test processes get one it makes from scratch
_ENV = {
    **dict.fromkeys(("NODE_OPTIONS", "NODE_V8_COVERAGE", "NODE_TEST_CONTEXT", "NODE_PATH"), ""),
    "NO_COLOR": "1",
}


def declared_tests(test_code: str) -> int:
    """How many tests a file declares, counted from its text (at least 1)."""
    return max(1, len(_TEST_CALL.findall(test_code)))


def work_bound_s(test_code: str, options: RunOptions) -> float:
    """The longest an honest run can take: the per-test run, then the totals run and reruns
    `parallel` at a time, each test at its limit (plus the watchdog's grace), plus start-up."""
    rounds = 1 + math.ceil(max(1, options.reruns) / max(1, options.parallel))
    per_test = options.test_timeout_s * 1.1 + 1.0
    return STARTUP_S * (rounds + 1) + declared_tests(test_code) * per_test * rounds


class JavaScriptAdapter:
    """node:test with per-test V8 coverage windows, and c8's own figures for the file."""

    language = Language.JAVASCRIPT.value

    def read_source(self, path: Path) -> SourceUnit:
        return SourceUnit(
            path=str(path),
            code=path.read_text(encoding="utf-8"),
            module_name=path.stem,
            language=Language.JAVASCRIPT,
        )

    def run(
        self, source: SourceUnit, tests: GeneratedTests, sandbox: Sandbox, options: RunOptions
    ) -> RunOutcome:
        start = time.monotonic()
        home = require_node_tools()
        node = find_node()
        choice = framework_of(tests, options)
        workspace = Path(tempfile.mkdtemp(prefix="atg-js-"))
        try:
            bound = work_bound_s(tests.code, options)
            config = _lay_out(workspace, source, tests, options, node=node, home=home)
            limits = harness_limits(options, bound)
            config["budget_s"] = limits.wall_time_s * 0.6  # no rerun starts after it
            Path(config["config_file"]).write_text(json.dumps(config), encoding="utf-8")
            completed = sandbox.execute(
                [str(node), "--no-warnings", str(SUPERVISOR), config["config_file"]],
                workspace,
                limits,
                env=_ENV,
                readonly_paths=_readonly_paths(node, home),
                sealed=True,
            )
            context = _Context(sandbox.name, source, tests, options.reruns)
            outcome = _read_report(completed, config["report_key"], context)
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
        if choice.framework != "node" or choice.reason == "asked for":
            note = f"tests run with {choice.framework} ({choice.reason})"
            outcome = outcome.model_copy(update={"notes": (note, *outcome.notes)})
        if options.mutation and outcome.coverage is not None:
            mutation = run_mutants(
                source,
                tests,
                outcome,
                sandbox,
                options=options,
                lay_out=functools.partial(_lay_out, node=node, home=home),
                command=[str(node), "--no-warnings", "--experimental-vm-modules"],
                readonly_paths=_readonly_paths(node, home),
                env=_ENV,
            )
            integrity = merge_integrity(outcome.integrity, mutation.integrity)
            outcome = outcome.model_copy(update={"mutation": mutation, "integrity": integrity})
        return outcome.model_copy(update={"duration_s": time.monotonic() - start})


def framework_of(tests: GeneratedTests, options: RunOptions) -> FrameworkChoice:
    """The framework the tests run with: the entry's, else the run's, else the file's own."""
    return choose_framework(tests.code, tests.path, tests.framework or options.framework)


def module_file_name(source: SourceUnit) -> str:
    """The module's file name in the workspace: its name, with its own extension if it is a
    JavaScript one (else `.js`)."""
    suffix = Path(source.path).suffix
    return source.module_name + (suffix if suffix in EXTENSIONS else ".js")


def tests_file_name(tests: GeneratedTests) -> str:
    """The test file's name in the workspace (`.js` added unless it has a JavaScript one)."""
    name = Path(tests.filename).name
    return name if Path(name).suffix in EXTENSIONS else f"{Path(name).stem}.js"


# how many folders apart the module and its test file may sit to be laid out as they sit
_MAX_APART = 4


def _places(source: SourceUnit, tests: GeneratedTests) -> tuple[Path, Path]:
    """Where the module and the test file go in the workspace: beside each other, or, when both
    were read from disk a few folders apart (`test/calc.test.js` importing `../calc`), as they
    sit under the nearest folder holding both."""
    module, test = Path(module_file_name(source)), Path(tests_file_name(tests))
    if not (tests.path and source.path):
        return module, test
    module_dir = Path(source.path).absolute().parent
    tests_dir = Path(tests.path).absolute().parent
    common = Path(os.path.commonpath([module_dir, tests_dir]))
    apart = (module_dir.relative_to(common), tests_dir.relative_to(common))
    if sum(len(part.parts) for part in apart) > _MAX_APART:
        return module, test
    return apart[0] / module, apart[1] / test


def _lay_out(
    workspace: Path,
    source: SourceUnit,
    tests: GeneratedTests,
    options: RunOptions,
    *,
    node: Path,
    home: Path,
) -> dict[str, Any]:
    module_place, tests_place = _places(source, tests)
    module_file = workspace / module_place
    tests_file = workspace / tests_place
    if tests_file == module_file:
        tests_file = tests_file.with_name(f"test_{tests_file.name}")
    for folder in (module_file.parent, tests_file.parent):
        folder.mkdir(parents=True, exist_ok=True)
    module_file.write_text(source.code, encoding="utf-8")
    tests_file.write_text(tests.code, encoding="utf-8")
    inputs = workspace / ".atg-in"
    inputs.mkdir()
    return {
        "config_file": str(inputs / "config.json"),
        "report_key": report_key(),
        "node": str(node),
        "workspace": str(workspace),
        "module_file": str(module_file),
        "tests_file": str(tests_file),
        "tool_home": str(home),
        "framework": framework_of(tests, options).framework.value,
        "reruns": options.reruns,
        "parallel": max(1, options.parallel),
        "test_timeout_s": options.test_timeout_s,
        "startup_s": STARTUP_S,
    }


def _readonly_paths(node: Path, home: Path) -> list[Path]:
    paths = [home, HARNESS_DIR]
    if not str(node).startswith("/usr/"):
        paths.append(node.parent.parent)  # a node installed outside /usr (nvm, a tarball)
    return paths


@dataclass(frozen=True)
class _Context:
    """What the report is read against: the sandbox's name, the files, the reruns asked for."""

    sandbox: str
    source: SourceUnit
    tests: GeneratedTests
    reruns: int


def _read_report(completed: Completed, key: str, context: _Context) -> RunOutcome:
    """The run's outcome from the supervisor's report; text that came from test code (failures,
    collection errors) passes the secret and PII scrubber before it is kept."""
    report = harness_report(completed, key)
    if report is None:
        tail = completed.stderr.strip().splitlines()[-1:] or [f"exit status {completed.returncode}"]
        reason = "the test run did not finish: " + "; ".join([*completed.notes, *tail])
        return RunOutcome(
            collection_errors=(CollectionError(nodeid="", message=scrub(reason)),),
            sandbox=context.sandbox,
            notes=completed.notes,
        )
    if completed.returncode != 0 or completed.timed_out:
        report.setdefault("integrity", []).append({
            "kind": "channel",
            "detail": f"the harness reported, then ended with exit status {completed.returncode}",
        })  # fmt: skip
    try:
        return _outcome_from(report, completed.notes, context)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, ValidationError) as error:
        reason = f"the test run's report is malformed ({type(error).__name__})"
        finding = IntegrityFinding(kind="channel", detail=reason)
        return RunOutcome(
            collection_errors=(CollectionError(nodeid="", message=reason),),
            sandbox=context.sandbox,
            notes=completed.notes,
            integrity=Integrity(ok=False, findings=(finding,)),
        )


def _outcome_from(
    report: dict[str, Any], sandbox_notes: tuple[str, ...], context: _Context
) -> RunOutcome:
    sandbox, source, tests = context.sandbox, context.source, context.tests
    notes = [*sandbox_notes, *(str(note) for note in report.get("notes", []))]
    integrity = integrity_from(report.get("integrity", []))
    problem = report.get("syntax_error")
    if problem:
        shown = (tests.path or tests.filename) if problem["file"] == "tests" else source.path
        message = f"{shown}:{int(problem['line'])}:{int(problem['column'])}: SyntaxError: "
        return RunOutcome(
            syntax_error=message + str(problem["message"]),
            sandbox=sandbox,
            notes=tuple(notes),
            integrity=integrity,
        )
    prefix = tests_file_name(tests)  # the name the test file ran under
    runs = report["runs"]
    first = runs[0]
    coverage, per_test, forged = _coverage(report.get("coverage"), source)

    def nodeid(test: str) -> str:
        return f"{prefix}::{test}"

    results = [
        TestResult(
            nodeid=nodeid(test),
            outcome=TestOutcome(record["outcome"]),
            duration_s=float(record["duration_s"]),
            failure=scrub(record["failure"]) if record["failure"] else None,
            lines=per_test.get(test, ((), ()))[0],
            branches=per_test.get(test, ((), ()))[1],
        )
        for test, record in first["tests"].items()
    ]
    for test, casualty in first["casualties"].items():
        detail = scrub(str(casualty["detail"]))
        results.append(
            TestResult(
                nodeid=nodeid(test),
                outcome=TestOutcome(casualty["outcome"]),
                duration_s=0.0,
                failure=detail,
            )
        )
        notes.append(f"{nodeid(test)}: {casualty['outcome']}: {detail}")
    reruns = tuple(
        {
            nodeid(test): TestOutcome(record["outcome"])
            for test, record in [*run["tests"].items(), *run["casualties"].items()]
        }
        for run in runs[1 : 1 + context.reruns]
    )
    return RunOutcome(
        tests=tuple(results),
        collection_errors=tuple(
            CollectionError(
                nodeid=nodeid(error["nodeid"]) if error["nodeid"] else "",
                message=scrub(str(error["message"])),
            )
            for error in first["collection_errors"]
        ),
        coverage=coverage,
        reruns=reruns,
        sandbox=sandbox,
        notes=tuple(notes),
        mutation=None,
        integrity=merge_integrity(integrity, forged),
    )


PerTest = dict[str, tuple[tuple[int, ...], tuple[tuple[int, int], ...]]]


def _coverage(
    coverage: dict[str, Any] | None, source: SourceUnit
) -> tuple[FileCoverage | None, PerTest, Integrity]:
    """The file's coverage, each test's lines and branches, and whether any of it is forged."""
    if not coverage:
        return None, {}, Integrity()
    measured, names = file_coverage(coverage["istanbul"])
    problems: list[str] = []
    impossible = int(coverage.get("impossible_ranges", 0))
    if impossible:
        problems.append(f"{impossible} V8 ranges lie outside the module's code")
    last_line = source.code.count("\n") + 1
    lines = {*measured.executed_lines, *measured.missing_lines}
    outside = sorted(line for line in lines if not 1 <= line <= last_line)
    outside += sorted(
        {line for line, _ in (*measured.executed_branches, *measured.missing_branches)}
        - set(range(1, last_line + 1))
    )
    if outside:
        problems.append(f"it names lines {outside[:5]} of a {last_line}-line module")
    summary = coverage.get("summary") or {}
    expected = (
        summary.get("lines", {}).get("total"),
        summary.get("lines", {}).get("covered"),
        summary.get("branches", {}).get("total"),
        summary.get("branches", {}).get("covered"),
    )
    got = (
        measured.num_statements,
        measured.covered_lines,
        measured.num_branches,
        measured.covered_branches,
    )
    if expected != got:
        problems.append(f"its summary {expected} disagrees with its own data {got}")
    executed = set(measured.executed_lines)
    per_test: PerTest = {}
    for test, record in coverage["per_test"].items():
        test_lines = tuple(sorted({int(line) for line in record["lines"]}))
        refs = [(str(key), int(index)) for key, index in record["branches"]]
        unknown = [ref for ref in refs if ref not in names]
        if unknown or not executed.issuperset(test_lines):
            problems.append(f"test {test!r} ran lines or branches the file's totals never ran")
        branches = tuple(sorted({names[ref] for ref in refs if ref in names}))
        per_test[str(test)] = (tuple(line for line in test_lines if line in executed), branches)
    if not problems:
        return measured, per_test, Integrity()
    findings = tuple(
        IntegrityFinding(kind="coverage-forged", detail=f"the coverage data is forged: {problem}")
        for problem in problems
    )
    return measured, per_test, Integrity(ok=False, findings=findings)
