"""The host's side of the in-sandbox harness: its limits, and reading what it reports.

The harness reports on its standard output, which test code cannot write (see `_runner.py`);
the host reads it from its own capture, never from a file in the workspace, so a planted FIFO,
link or huge file there cannot stall it or feed it.
"""

from __future__ import annotations

import ast
import json
import math
import secrets
from dataclasses import replace
from typing import Any

from agentic_testgen.domain import Integrity, IntegrityFinding
from agentic_testgen.languages._protocol import RunOptions
from agentic_testgen.sandbox import Completed, Limits

# The largest report a harness may print: per-test lines and branches of a big test file.
REPORT_LIMIT_BYTES = 64 << 20
# Interpreter start-up, pytest's import and collection, coverage's report: a generous allowance.
STARTUP_ALLOWANCE_S = 20.0
# Cases assumed for a parametrization whose cases are not a literal list.
UNKNOWN_CASES = 10


def _cases(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    cases = 1
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and ast.unparse(decorator.func).endswith("parametrize"):
            values = decorator.args[1] if len(decorator.args) > 1 else None
            literal = isinstance(values, ast.List | ast.Tuple)
            cases *= len(values.elts) if literal and values.elts else UNKNOWN_CASES  # type: ignore[union-attr]
    return cases


def test_count(test_code: str) -> int:
    """How many tests a file holds, counted from its syntax (parametrized cases included)."""
    try:
        tree = ast.parse(test_code)
    except SyntaxError:
        return 1
    functions = (
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    )
    return max(1, sum(_cases(function) for function in functions))


def work_bound_s(test_code: str, options: RunOptions) -> float:
    """The longest an honest run of these tests can take: every test at its time limit, in
    every run, `parallel` runs at a time, plus start-up. A run still going past it was stopped
    or frozen by what it runs."""
    rounds = math.ceil((options.reruns + 1) / max(1, options.parallel))
    return STARTUP_ALLOWANCE_S + test_count(test_code) * options.test_timeout_s * rounds


def harness_limits(options: RunOptions, bound_s: float) -> Limits:
    """The run's limits, its wall time bounded by its own work, its report allowed to be large."""
    limits = options.limits
    return replace(
        limits,
        wall_time_s=min(limits.wall_time_s, bound_s),
        output_bytes=max(limits.output_bytes, REPORT_LIMIT_BYTES),
    )


def report_key() -> str:
    """A fresh key the harness prefixes its report with (given to it in its configuration)."""
    return secrets.token_hex(16)


def harness_report(completed: Completed, key: str) -> dict[str, Any] | None:
    """The JSON report the harness printed after `key`, or None when it printed none.

    Anything else on the harness's standard output came from code it ran: the report then
    carries a `channel` finding (the run is not trusted)."""
    text = completed.stdout
    start = text.find(key)
    if start < 0:
        return None
    try:
        report, end = json.JSONDecoder().raw_decode(text, start + len(key))
    except ValueError:
        return None
    if not isinstance(report, dict):
        return None
    if (text[:start] + text[end:]).strip() or key in text[end:]:
        report.setdefault("integrity", []).append(
            {"kind": "channel", "test": "", "detail": "the harness's report channel was written to"}
        )
    return report


def integrity_from(records: list[dict[str, Any]]) -> Integrity:
    """The harness's findings as the run's integrity verdict."""
    findings = tuple(
        IntegrityFinding(
            kind=str(record.get("kind", "")),
            test=str(record.get("test", "")),
            detail=str(record.get("detail", "")),
        )
        for record in records
    )
    return Integrity(ok=not findings, findings=findings)


def merge_integrity(*verdicts: Integrity) -> Integrity:
    """One verdict over several harness runs of the same tests."""
    findings = tuple(finding for verdict in verdicts for finding in verdict.findings)
    return Integrity(ok=all(verdict.ok for verdict in verdicts), findings=findings)
