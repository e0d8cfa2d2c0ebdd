"""Assertions: how many checks each test makes, and whether they check values."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from agentic_testgen.domain import GeneratedTests, MetricValue, RunOutcome, SourceUnit
from agentic_testgen.evals.metrics._testcode import (
    FunctionNode,
    dotted_name,
    helper_functions,
    import_aliases,
    parse,
    test_functions,
)

TRIVIAL_ONLY_CREDIT = 0.25
TRIVIAL_UNITTEST = {"assertTrue", "assertIsNotNone", "assert_"}
CHECKING_CALL_SUFFIXES = ("pytest.raises", "pytest.warns", "pytest.fail")


def _is_constant_true(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and bool(node.value)


def _is_trivial_assert(test: ast.expr) -> bool:
    """`assert True`, `assert x is not None`, `assert x != None`: they check no value."""
    if _is_constant_true(test):
        return True
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        other = test.comparators[0]
        none_operand = isinstance(other, ast.Constant) and other.value is None
        return none_operand and isinstance(test.ops[0], ast.IsNot | ast.NotEq)
    return False


@dataclass(frozen=True)
class _Checks:
    value: int = 0
    trivial: int = 0

    def __add__(self, other: _Checks) -> _Checks:
        return _Checks(self.value + other.value, self.trivial + other.trivial)


def _count(function: FunctionNode, aliases: dict[str, str]) -> tuple[_Checks, set[str]]:
    """Checks made directly in `function`, and names of the functions it calls."""
    value = trivial = 0
    called: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            if _is_trivial_assert(node.test):
                trivial += 1
            else:
                value += 1
        elif isinstance(node, ast.Call):
            name = dotted_name(node.func, aliases) or ""
            last = name.rsplit(".", 1)[-1]
            if isinstance(node.func, ast.Name):
                called.add(node.func.id)
            if name.endswith(CHECKING_CALL_SUFFIXES):
                value += 1
            elif last in TRIVIAL_UNITTEST:
                is_const = bool(node.args) and _is_constant_true(node.args[0])
                if last == "assertIsNotNone" or is_const:
                    trivial += 1
                else:
                    value += 1
            elif last.startswith(("assert", "assert_")) and "." in name:
                value += 1  # unittest's assertEqual & co, mock's assert_called_with & co
    return _Checks(value, trivial), called


@dataclass(frozen=True)
class Assertions:
    """Mean per-test credit: 1 for a test with at least one value check, 0.25 for one whose only
    checks are trivial (`assert True`, `assert x is not None`), 0 for a test with none.

    Checks count in the test body and in module-level helper functions it calls directly;
    `pytest.raises`, unittest `assert*` and mock `assert_*` calls are checks of values.
    """

    threshold: float = 0.80
    name: str = "assertions"

    def compute(
        self, outcome: RunOutcome, source: SourceUnit, tests: GeneratedTests
    ) -> MetricValue:
        tree = parse(tests.code)
        if tree is None:
            details: dict[str, Any] = {"reason": "the tests do not parse"}
            return MetricValue(name=self.name, value=0.0, threshold=self.threshold, details=details)
        aliases = import_aliases(tree)
        helpers = {name: _count(node, aliases)[0] for name, node in helper_functions(tree).items()}
        without, trivial_only = [], []
        total = _Checks()
        credits: list[float] = []
        for test in test_functions(tree):
            own, called = _count(test.node, aliases)
            checks = own
            for name in called & helpers.keys():
                checks = checks + helpers[name]
            total = total + checks
            if checks.value:
                credits.append(1.0)
            elif checks.trivial:
                credits.append(TRIVIAL_ONLY_CREDIT)
                trivial_only.append(test.qualname)
            else:
                credits.append(0.0)
                without.append(test.qualname)
        count = len(credits)
        details = {
            "tests": count,
            "value_checks": total.value,
            "trivial_checks": total.trivial,
            "assertions_per_test": (total.value + total.trivial) / count if count else 0.0,
            "tests_without_assertions": without,
            "tests_with_only_trivial_assertions": trivial_only,
        }
        value = sum(credits) / count if count else 0.0
        return MetricValue(name=self.name, value=value, threshold=self.threshold, details=details)
