"""Try whether a test file can run at all: collect it (no test runs) exactly as a run would.

The workspace, interpreter, sandbox and pytest arguments are the adapter's own, so a file that
collects here is one `PythonAdapter.run` can run; a file that does not (an import error, a missing
dependency, a syntax error, no test in it) is reported with pytest's one-line reason.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from agentic_testgen.domain import GeneratedTests, SourceUnit
from agentic_testgen.guardrails import scrub
from agentic_testgen.languages._protocol import RunOptions
from agentic_testgen.languages._report import harness_report
from agentic_testgen.languages.python._adapter import (
    PythonAdapter,
    _environment,
    _project,
    syntax_error_message,
)
from agentic_testgen.projects import ProjectSandbox, require_test_tools
from agentic_testgen.sandbox import Sandbox, interpreter_paths

COLLECTOR = Path(__file__).with_name("_collect.py")
COLLECT_TIMEOUT_S = 120.0
# pytest's exit statuses (pytest.ExitCode), without importing pytest here
_NO_TESTS_COLLECTED = 5
_USAGE_ERROR = 4


@dataclass(frozen=True)
class CollectionTrial:
    """What collecting a test file found.

    Attributes:
        collected: the tests pytest collected.
        problem: why the tests cannot run, in one line; None when they can.
    """

    collected: int
    problem: str | None = None

    @property
    def runnable(self) -> bool:
        return self.problem is None


def collect_tests(
    source: SourceUnit, tests: GeneratedTests, sandbox: Sandbox, options: RunOptions
) -> CollectionTrial:
    """Collect `tests` against `source` in the sandbox, as `PythonAdapter.run` would lay them out.

    Raises:
        ProjectError: the project's interpreter cannot run, or lacks pytest or coverage.
    """
    problem = syntax_error_message(tests.code, tests.path or tests.filename) or (
        syntax_error_message(source.code, source.path)
    )
    if problem:
        return CollectionTrial(0, problem)
    project = _project(source, options)
    if project is not None:
        require_test_tools(project.interpreter)
        sandbox = ProjectSandbox(sandbox, project)
    workspace = Path(tempfile.mkdtemp(prefix="atg-collect-"))
    try:
        config = PythonAdapter()._lay_out(workspace, source, tests, options)
        wall_time_s = min(options.limits.wall_time_s, COLLECT_TIMEOUT_S)
        limits = replace(options.limits, wall_time_s=wall_time_s)
        completed = sandbox.execute(
            [sys.executable, str(COLLECTOR), config["config_file"]],
            workspace,
            limits,
            env=_environment(config),
            readonly_paths=[*interpreter_paths(), COLLECTOR.parent],
            sealed=True,
        )
        report = harness_report(completed, config["report_key"])
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    if report is None:
        tail = completed.stderr.strip().splitlines()[-1:] or [f"exit status {completed.returncode}"]
        reason = "collection did not finish: " + "; ".join([*completed.notes, *tail])
        return CollectionTrial(0, scrub(reason))
    return _trial_from(report)


def _trial_from(report: dict[str, Any]) -> CollectionTrial:
    collected = int(report.get("collected") or 0)
    errors = report.get("errors") or []
    if isinstance(errors, list) and errors:
        first = errors[0]
        where = f"{first.get('nodeid')}: " if first.get("nodeid") else ""
        return CollectionTrial(collected, scrub(f"{where}{first.get('message')}"))
    status = report.get("exit_status")
    if status == _USAGE_ERROR:
        return CollectionTrial(collected, scrub(str(report.get("session_error") or "usage error")))
    if status == _NO_TESTS_COLLECTED or collected == 0:
        skipped = report.get("skipped") or []
        why = f" ({skipped[0]})" if skipped else ""
        return CollectionTrial(0, scrub(f"no tests collected{why}"))
    if status != 0:
        return CollectionTrial(collected, f"pytest's collection ended with exit status {status}")
    return CollectionTrial(collected)
