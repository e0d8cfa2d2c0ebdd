"""The Python adapter: lay out a workspace, run `_runner.py` in the sandbox, read its summary."""

from __future__ import annotations

import ast
import json
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, wait
from contextvars import copy_context
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

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
from agentic_testgen.languages.python._harness import work_bound_s
from agentic_testgen.languages.python._mutation import PendingMutation
from agentic_testgen.languages.python._source import source_unit_from_path
from agentic_testgen.projects import (
    Project,
    ProjectSandbox,
    find_project,
    lay_out_workspace,
    require_test_tools,
)
from agentic_testgen.sandbox import Completed, Sandbox, interpreter_paths

RUNNER = Path(__file__).with_name("_runner.py")
_INI = "[pytest]\naddopts = -p no:cacheprovider\n"
_NOT_THE_MODULE = {"pytest", "unittest", "hypothesis", "mock", "conftest"}


def syntax_error_message(code: str, filename: str) -> str | None:
    """The compiler's message, one line, when `code` does not parse; else None."""
    try:
        compile(code, filename, "exec", dont_inherit=True)
    except SyntaxError as error:
        where = f"{filename}:{error.lineno}:{(error.offset or 0)}"
        return f"{where}: SyntaxError: {error.msg}"
    except ValueError as error:  # null bytes
        return f"{filename}: {error}"
    return None


def guess_module_name(test_code: str, default: str = "module") -> str:
    """The module a test file imports that is neither the standard library nor a test tool."""
    try:
        tree = ast.parse(test_code)
    except SyntaxError:
        return default
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top not in sys.stdlib_module_names and top not in _NOT_THE_MODULE:
                return name  # dotted when the module is in a package: `pkg.slug`
    return default


class PythonAdapter:
    """pytest under coverage.py with branch coverage and one dynamic context per test.

    A module read from a project (`SourceUnit.project_root`) runs inside a copy of that project
    with the project's interpreter, pytest configuration and conftest files, importable exactly
    as the project's own `pytest` imports it (see `agentic_testgen.projects`). A module given
    alone is importable under its own name and, when it has one, under its package. Reruns are
    forked from a warm runner process inside the same sandbox (see `_runner.py`).
    """

    language = Language.PYTHON.value

    def read_source(self, path: Path) -> SourceUnit:
        return source_unit_from_path(path)

    def run(
        self, source: SourceUnit, tests: GeneratedTests, sandbox: Sandbox, options: RunOptions
    ) -> RunOutcome:
        start = time.monotonic()
        test_name = Path(tests.filename).name
        problem = syntax_error_message(tests.code, tests.path or test_name) or (
            syntax_error_message(source.code, source.path)
        )
        if problem:
            return RunOutcome(syntax_error=problem, sandbox=sandbox.name)
        project = _project(source, options)
        if project is not None:
            require_test_tools(project.interpreter)
            sandbox = ProjectSandbox(sandbox, project)
        pending: PendingMutation | None = None
        workspace = Path(tempfile.mkdtemp(prefix="atg-run-"))
        try:
            config = self._lay_out(workspace, source, tests, options)
            run = partial(
                sandbox.execute,
                [sys.executable, str(RUNNER), config["config_file"]],
                workspace,
                harness_limits(options, work_bound_s(tests.code, options)),
                env=_environment(config),
                readonly_paths=[*interpreter_paths(), RUNNER.parent],
                sealed=True,
            )
            if options.mutation:
                # The run starts first; while it starts, the mutation harness is built here
                # (its schemata parsed in this thread alone: Python 3.11's parser is not
                # thread-safe) and started, its own start-up and collection overlapping the run.
                started = _in_thread(run)
                try:
                    pending = PendingMutation(
                        source, tests, sandbox, options=options, lay_out=self._lay_out
                    )
                except Exception:
                    wait([started])  # the run ends before its workspace goes
                    raise
                completed = started.result()
            else:
                completed = run()
            outcome = _read_summary(completed, config["report_key"], sandbox.name)
        except BaseException:
            if pending is not None:
                pending.cancel()
            raise
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
        if pending is not None and outcome.coverage is None:
            pending.cancel()
        elif pending is not None:
            mutation = pending.finish(outcome)
            integrity = merge_integrity(outcome.integrity, mutation.integrity)
            outcome = outcome.model_copy(update={"mutation": mutation, "integrity": integrity})
        return outcome.model_copy(update={"duration_s": time.monotonic() - start})

    def _lay_out(
        self, workspace: Path, source: SourceUnit, tests: GeneratedTests, options: RunOptions
    ) -> dict[str, Any]:
        project = _project(source, options)
        if project is not None:
            laid_out = lay_out_workspace(
                project,
                workspace,
                module_parts=(*source.package, source.module_name),
                module_code=source.code,
                tests_name=Path(tests.filename).name,
                tests_code=tests.code,
                tests_path=Path(tests.path) if tests.path else None,
            )
            module_file, tests_file = laid_out.module_file, laid_out.tests_file
            ini_file, python_path = laid_out.ini_file, [str(laid_out.import_root)]
        else:
            module_file, tests_file, python_path = _lay_out_alone(workspace, source, tests)
            ini_file = workspace / "pytest.ini"
            ini_file.write_text(_INI)
        inputs = workspace / ".atg-in"
        inputs.mkdir()
        config: dict[str, Any] = {
            "workdir": str(workspace / ".atg"),
            "inputs_dir": str(inputs),
            "config_file": str(inputs / "config.json"),
            "report_key": report_key(),
            "rootdir": str(ini_file.parent),
            "ini_file": str(ini_file),
            "module_file": str(module_file),
            "tests_file": str(tests_file),
            "reruns": options.reruns,
            "parallel": max(1, options.parallel),
            "test_timeout_s": options.test_timeout_s,
            "python_path": python_path,
            # property-based tests: reruns measure coverage too, to see whether it varies
            "property_based": _uses_hypothesis(tests.code),
            "extra_args": (
                ["--hypothesis-seed=0"]
                if options.derandomize and _uses_hypothesis(tests.code)
                else []
            ),
        }
        Path(config["config_file"]).write_text(json.dumps(config))
        return config


def _uses_hypothesis(test_code: str) -> bool:
    """Whether the test file imports Hypothesis (its tests draw random examples)."""
    try:
        tree = ast.parse(test_code)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            alias.name.split(".")[0] == "hypothesis" for alias in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "hypothesis":
            return True
    return False


T = TypeVar("T")


def _in_thread(call: Callable[[], T]) -> Future[T]:
    """`call`, run in a daemon thread in the caller's context (its spans nest in the caller's):
    an interrupted atg exits without waiting for it, as its sandbox dies with atg."""
    future: Future[T] = Future()
    context = copy_context()

    def work() -> None:
        try:
            future.set_result(context.run(call))
        except BaseException as error:  # raised again by `result`, in the caller's thread
            future.set_exception(error)

    threading.Thread(target=work, name="atg-run", daemon=True).start()
    return future


def _coverage_varied(runs: list[dict[str, Any]]) -> tuple[str, ...]:
    """Tests whose covered lines of the module differ between runs that measured coverage."""
    seen: dict[str, set[tuple[int, ...]]] = {}
    for run in runs:
        coverage = run["result"].get("coverage")
        if not coverage:
            continue
        for nodeid, record in coverage["per_test"].items():
            seen.setdefault(nodeid, set()).add(tuple(record["lines"]))
    measured = sum(1 for run in runs if run["result"].get("coverage"))
    return tuple(sorted(n for n, lines in seen.items() if len(lines) > 1)) if measured > 1 else ()


def _project(source: SourceUnit, options: RunOptions) -> Project | None:
    """The project the module was read from, found again with the interpreter asked for: the
    run's (`--python`), else the one the module's dataset names, else the project's own."""
    if source.project_root is None:
        return None
    return find_project(source.project_root, python=options.python or source.python)


def _lay_out_alone(
    workspace: Path, source: SourceUnit, tests: GeneratedTests
) -> tuple[Path, Path, list[str]]:
    """A module without a project: importable under its own name and, if any, its package's."""
    src = workspace / "src"
    package_dir = src.joinpath(*source.package)
    package_dir.mkdir(parents=True)
    for depth in range(1, len(source.package) + 1):
        (src.joinpath(*source.package[:depth]) / "__init__.py").touch()
    module_file = package_dir / f"{source.module_name}.py"
    module_file.write_text(source.code, encoding="utf-8")
    tests_dir = workspace / "tests"
    tests_dir.mkdir()
    tests_file = tests_dir / Path(tests.filename).name
    tests_file.write_text(tests.code, encoding="utf-8")
    python_path = [str(package_dir), str(src)] if source.package else [str(src)]
    return module_file, tests_file, python_path


def _environment(config: dict[str, Any]) -> dict[str, str]:
    return {
        "PYTHONPATH": ":".join(config["python_path"]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
    }


def _read_summary(completed: Completed, key: str, sandbox: str) -> RunOutcome:
    """The run's outcome from the harness's report; text that came from test code (failures,
    collection errors, crash reasons) passes the secret and PII scrubber before it is kept."""
    summary = harness_report(completed, key)
    if summary is None:
        tail = completed.stderr.strip().splitlines()[-1:] or [f"exit status {completed.returncode}"]
        reason = "the test run did not finish: " + "; ".join([*completed.notes, *tail])
        return RunOutcome(
            collection_errors=(CollectionError(nodeid="", message=scrub(reason)),),
            sandbox=sandbox,
            notes=completed.notes,
        )
    try:
        return _outcome_from(summary, completed.notes, sandbox)
    except (KeyError, TypeError, ValueError, AttributeError, ValidationError) as error:
        reason = f"the test run's report is malformed ({type(error).__name__})"
        finding = IntegrityFinding(kind="channel", detail=reason)
        return RunOutcome(
            collection_errors=(CollectionError(nodeid="", message=reason),),
            sandbox=sandbox,
            notes=completed.notes,
            integrity=Integrity(ok=False, findings=(finding,)),
        )


def _patterns(listed: Any) -> tuple[tuple[str, int], ...]:
    """The regular expressions the instrumented run's tests compiled, as its report lists them
    (see `_session.compiled_patterns`); malformed entries are left out."""
    if not isinstance(listed, list):
        return ()
    return tuple(
        (entry[0], entry[1])
        for entry in listed
        if isinstance(entry, list) and len(entry) == 2
        if isinstance(entry[0], str) and type(entry[1]) is int
    )


def _outcome_from(
    summary: dict[str, Any], sandbox_notes: tuple[str, ...], sandbox: str
) -> RunOutcome:
    notes = list(sandbox_notes)
    runs = summary["runs"]
    first = runs[0]
    result = first["result"]
    coverage = result.get("coverage")
    per_test = coverage["per_test"] if coverage else {}
    if "coverage_error" in result:
        notes.append(f"coverage: {result['coverage_error']}")
    tests = [
        TestResult(
            nodeid=nodeid,
            outcome=TestOutcome(record["outcome"]),
            duration_s=record["duration_s"],
            failure=scrub(record["failure"]) if record["failure"] else None,
            lines=tuple(per_test.get(nodeid, {}).get("lines", ())),
            branches=tuple(tuple(arc) for arc in per_test.get(nodeid, {}).get("branches", ())),
        )
        for nodeid, record in result["tests"].items()
    ]
    casualties = {nodeid: scrub(reason) for nodeid, reason in first["casualties"].items()}
    tests += [
        TestResult(nodeid=nodeid, outcome=_casualty_outcome(reason), duration_s=0.0, failure=reason)
        for nodeid, reason in casualties.items()
    ]
    notes += [f"{nodeid}: {reason}" for nodeid, reason in casualties.items()]
    reruns = tuple(
        {
            **{nodeid: TestOutcome(r["outcome"]) for nodeid, r in run["result"]["tests"].items()},
            **{nodeid: _casualty_outcome(reason) for nodeid, reason in run["casualties"].items()},
        }
        for run in runs[1:]
    )
    return RunOutcome(
        tests=tuple(tests),
        collection_errors=tuple(
            CollectionError(nodeid=error["nodeid"], message=scrub(error["message"]))
            for error in result["collection_errors"]
        ),
        coverage=FileCoverage(**coverage["file"]) if coverage else None,
        reruns=reruns,
        sandbox=sandbox,
        notes=tuple(notes),
        integrity=merge_integrity(integrity_from(summary["integrity"]), _forged(coverage)),
        coverage_varied=_coverage_varied(runs),
        derandomized=bool(summary.get("derandomized")),
        compiled_patterns=_patterns(result.get("patterns")),
    )


def _forged(coverage: dict[str, Any] | None) -> Integrity:
    """Coverage data holding arcs no run of the module can record was written by test code."""
    count = int(coverage.get("impossible_arcs", 0)) if coverage else 0
    if not count:
        return Integrity()
    detail = f"the coverage data holds {count} arcs the module's code cannot take: forged"
    return Integrity(ok=False, findings=(IntegrityFinding(kind="coverage-forged", detail=detail),))


def _casualty_outcome(reason: str) -> TestOutcome:
    return TestOutcome.TIMEOUT if reason == "timeout" else TestOutcome.KILLED
