"""Builders for the evidence metrics read: runs, modules and test files as plain data."""

from __future__ import annotations

import textwrap

from agentic_testgen.domain import (
    FileCoverage,
    GeneratedTests,
    RunOutcome,
    SourceUnit,
    TestOutcome,
    TestResult,
)


def source(code: str = "def f(x):\n    return x\n") -> SourceUnit:
    return SourceUnit(path="mod.py", code=textwrap.dedent(code).lstrip("\n"), module_name="mod")


def code_of(code: str) -> GeneratedTests:
    return GeneratedTests(code=textwrap.dedent(code), filename="test_mod.py")


def result(
    name: str, outcome: TestOutcome = TestOutcome.PASSED, lines: tuple[int, ...] = (2,)
) -> TestResult:
    return TestResult(nodeid=f"test_mod.py::{name}", outcome=outcome, duration_s=0.01, lines=lines)


def run(*results: TestResult, **fields: object) -> RunOutcome:
    return RunOutcome(tests=results, **fields)  # type: ignore[arg-type]


def file_coverage(executed: tuple[int, ...], missing: tuple[int, ...] = ()) -> FileCoverage:
    return FileCoverage(
        num_statements=len(executed) + len(missing),
        covered_lines=len(executed),
        num_branches=0,
        covered_branches=0,
        percent_covered=100.0 * len(executed) / max(len(executed) + len(missing), 1),
        executed_lines=executed,
        missing_lines=missing,
        executed_branches=(),
        missing_branches=(),
    )
