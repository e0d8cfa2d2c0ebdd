"""The host's side of the Python harness: how long its work may take (reading its report is
every language's, in `languages._report`)."""

from __future__ import annotations

import ast
import math

from agentic_testgen.languages._protocol import RunOptions

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
