"""The work of `pytest --atg`: gather the session's test files, evaluate them, print, fail under."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agentic_testgen.integrations._batch import (
    Evaluation,
    batch_json,
    evaluate_targets,
    goal_line,
    table_lines,
    write_batch_json,
)
from agentic_testgen.integrations._targets import Target, Untargeted, modules_under_test


class AtgSession:
    """Collects the test files whose tests ran, then evaluates each against its modules once.

    The user's session runs exactly as without `--atg`; the evaluation starts after it, in the
    terminal summary, and runs the tests again in atg's sandbox with coverage, reruns and
    mutants (nothing of it runs in this process).
    """

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.test_files: dict[Path, None] = {}  # in the order their tests ran
        self.session: pytest.Session | None = None
        self.evaluations: list[Evaluation] | None = None

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.session = session

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # also called in the xdist controller with the workers' reports
        if report.when != "setup":
            return
        path = (self.config.rootpath / report.nodeid.split("::")[0]).resolve()
        if path.suffix == ".py":
            self.test_files.setdefault(path, None)

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.evaluations is not None:  # evaluated already
            return
        reporter = terminalreporter
        reporter.write_sep("=", "atg: test quality")
        targets: list[Target] = []
        untargeted: list[Untargeted] = []
        for path in self.test_files:
            found = modules_under_test(
                path, extra_roots=[self.config.rootpath], loaded=dict(sys.modules)
            )
            if isinstance(found, Untargeted):
                untargeted.append(found)
                reporter.write_line(
                    f"atg: warning: {self._relative(path)}: {found.reason}; not evaluated",
                    yellow=True,
                )
            else:
                targets += found
        self.evaluations = evaluate_targets(
            targets,
            mutation=False if self.config.getoption("atg_no_mutation") else None,
            on_start=lambda target: reporter.write_line(
                f"atg: evaluating {self._relative(target.tests)} against {target.module_name}"
            ),
            on_warning=lambda message: reporter.write_line(f"atg: warning: {message}", yellow=True),
        )
        self._report(reporter, untargeted)

    def _relative(self, path: Path) -> str:
        root = self.config.rootpath
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    def _report(self, reporter: pytest.TerminalReporter, untargeted: list[Untargeted]) -> None:
        evaluations = self.evaluations or []
        fail_under: float | None = self.config.getoption("atg_fail_under")
        for evaluation in evaluations:
            if evaluation.error is not None:
                reporter.write_line(
                    f"atg: error: {self._relative(evaluation.target.tests)} "
                    f"({evaluation.target.module_name}): {evaluation.error}",
                    red=True,
                )
        if evaluations:
            for line in table_lines(evaluations, self.config.rootpath):
                reporter.write_line(line)
            reporter.write_line(goal_line(evaluations))
        else:
            reporter.write_line("atg: no test file with a module to evaluate")
        json_path = self.config.getoption("atg_json")
        if json_path:
            path = Path(json_path)
            document = batch_json(
                evaluations, self.config.rootpath, untargeted=untargeted, fail_under=fail_under
            )
            try:
                write_batch_json(document, path)
            except OSError as error:
                reporter.write_line(f"atg: error: {path}: cannot write JSON: {error.strerror}")
            else:
                reporter.write_line(f"atg: wrote {path}")
        below = [evaluation for evaluation in evaluations if evaluation.below(fail_under)]
        for evaluation in below:
            score = f"{evaluation.result.score:.3f}" if evaluation.result else "no score"
            reporter.write_line(
                f"atg: FAIL {self._relative(evaluation.target.tests)} "
                f"({evaluation.target.module_name}): {score} is below --atg-fail-under "
                f"{fail_under:g}",
                red=True,
            )
        if below and self.session is not None and self.session.exitstatus == pytest.ExitCode.OK:
            self.session.exitstatus = pytest.ExitCode.TESTS_FAILED
