"""Correctness: the tests parse, collect, execute and actually call the module under test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentic_testgen.domain import (
    GeneratedTests,
    MetricValue,
    RunOutcome,
    SourceUnit,
    TestOutcome,
)

EXECUTED = {TestOutcome.PASSED, TestOutcome.FAILED, TestOutcome.XFAIL, TestOutcome.XPASS}
NOT_EXECUTABLE = {TestOutcome.ERROR, TestOutcome.TIMEOUT, TestOutcome.KILLED}


def _first_line(text: str | None) -> str:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


@dataclass(frozen=True)
class Correctness:
    """Share of tests that executed to a verdict and reached the module under test.

    A failing test that ran and called the module is executable (it counts here; `pass_rate`
    judges its verdict). Errors in setup, timeouts, kills and collection errors are not
    executable. A test that never executed a line of the module is not correct, whatever its
    verdict. Skipped tests are left out.
    """

    threshold: float = 0.90
    name: str = "correctness"

    def compute(
        self, outcome: RunOutcome, source: SourceUnit, tests: GeneratedTests
    ) -> MetricValue:
        if outcome.syntax_error:
            details: dict[str, Any] = {"parses": False, "error": outcome.syntax_error}
            return MetricValue(name=self.name, value=0.0, threshold=self.threshold, details=details)
        passing, failing, not_reaching = [], [], []
        not_executable = [
            {"nodeid": error.nodeid, "reason": _first_line(error.message)}
            for error in outcome.collection_errors
        ]
        for test in outcome.tests:
            if test.outcome in NOT_EXECUTABLE:
                reason = f"{test.outcome.value}: {_first_line(test.failure)}"
                not_executable.append({"nodeid": test.nodeid, "reason": reason})
            elif test.outcome in EXECUTED and not test.reached_module:
                not_reaching.append(test.nodeid)
            elif test.outcome == TestOutcome.FAILED:
                failing.append(test.nodeid)
            elif test.outcome in EXECUTED:
                passing.append(test.nodeid)
        units = len(passing) + len(failing) + len(not_reaching) + len(not_executable)
        value = (len(passing) + len(failing)) / units if units else 0.0
        details = {
            "parses": True,
            "collected": len(outcome.tests),
            "collection_errors": len(outcome.collection_errors),
            "executable_passing": len(passing),
            "executable_failing": len(failing),
            "failing_tests": failing,
            "not_executable": not_executable,
            "not_reaching_module": not_reaching,
        }
        return MetricValue(name=self.name, value=value, threshold=self.threshold, details=details)
