"""Assertions: how many checks each test makes, and whether they check values."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from agentic_testgen.domain import GeneratedTests, Language, MetricValue, RunOutcome, SourceUnit
from agentic_testgen.evals.metrics import _foreign
from agentic_testgen.evals.metrics._testcode import (
    FunctionNode,
    dotted_name,
    helper_functions,
    helper_methods,
    import_aliases,
    parse,
    test_functions,
)

TRIVIAL_ONLY_CREDIT = 0.25
# unittest checks of truth alone: trivial on a constant or a bare name (`assertTrue(ok)`)
TRUTH_CHECKS = {"assertTrue", "assertFalse", "assert_", "failUnless", "failIf"}
CHECKING_CALL_SUFFIXES = ("pytest.raises", "pytest.warns", "pytest.fail", "pytest.deprecated_call")


def _is_constant_true(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and bool(node.value)


def _is_bare_truth(node: ast.expr) -> bool:
    """A constant or a bare name (`x`, `not x`, `self.result`): only its truth is checked."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        node = node.operand
    return isinstance(node, ast.Constant) or dotted_name(node, {}) is not None


def _is_trivial_assert(test: ast.expr) -> bool:
    """`assert True`, `assert x`, `assert x is not None`, `assert x != None`: no value checked."""
    if _is_constant_true(test) or _is_bare_truth(test):
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


def _call_check(node: ast.Call, name: str) -> _Checks:
    """What one call checks: a value, only truth or presence, or nothing."""
    last = name.rsplit(".", 1)[-1]
    on_self = isinstance(node.func, ast.Attribute) and name.startswith("self.")
    if name.endswith(CHECKING_CALL_SUFFIXES):
        return _Checks(value=1)
    if last in TRUTH_CHECKS and "." in name:
        weak = not node.args or _is_bare_truth(node.args[0])
        return _Checks(trivial=1) if weak else _Checks(value=1)
    if last == "assertIsNotNone" and "." in name:
        return _Checks(trivial=1)
    if last.startswith("assert") and "." in name:
        # unittest's assertEqual & co, numpy.testing's assert_allclose, mock's assert_called_with
        return _Checks(value=1)
    if on_self and last.startswith("fail"):
        return _Checks(value=1)  # self.fail(...), unittest's failUnlessEqual & co
    return _Checks()


class _Counter:
    """Counts the checks a test makes, following the helpers in the file it calls."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.aliases = import_aliases(tree)
        self.functions = helper_functions(tree)

    def checks(
        self,
        function: FunctionNode,
        methods: dict[str, FunctionNode],
        stack: frozenset[int] = frozenset(),
    ) -> _Checks:
        """Checks in `function` and in the module helpers and `self.` helpers it calls."""
        total = _Checks()
        helpers: dict[int, tuple[FunctionNode, dict[str, FunctionNode]]] = {}
        for node in ast.walk(function):
            if isinstance(node, ast.Assert):
                trivial = _is_trivial_assert(node.test)
                total = total + (_Checks(trivial=1) if trivial else _Checks(value=1))
            elif isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in self.functions:
                    helper = self.functions[func.id]
                    helpers[id(helper)] = (helper, {})
                    continue
                if (
                    isinstance(func, ast.Attribute)
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "self"
                    and func.attr in methods
                ):
                    helper = methods[func.attr]
                    helpers[id(helper)] = (helper, methods)
                    continue
                total = total + _call_check(node, dotted_name(func, self.aliases) or "")
        for key, (helper, helper_methods_) in helpers.items():
            if key not in stack and helper is not function:
                total = total + self.checks(helper, helper_methods_, stack | {id(function)})
        return total


@dataclass(frozen=True)
class Assertions:
    """Mean per-test credit, each test weighted by its parametrized cases: 1 for a test with at
    least one value check, 0.25 for one whose only checks are trivial (`assert True`, `assert x`,
    `assert x is not None`, `assertTrue(x)`, `assertIsNotNone(x)`), 0 for a test with none.

    Checks count in the test body and in the helpers of the file it calls (module-level
    functions, and methods of its class called on `self`), following helpers that call helpers.
    `pytest.raises`/`warns`/`fail`, unittest `assert*`/`fail*` methods, `numpy.testing`
    `assert_*` and mock `assert_*` calls are checks of values. JavaScript: `node:assert`'s
    functions (`assert(x)`/`assert.ok(x)` on a bare name is trivial) and `expect(...)` matchers
    (`toBeDefined`, `toBeTruthy` & co are trivial); Java: JUnit's and AssertJ's `assert*` and
    `fail` (`assertNotNull`, `assertTrue(flag)` are trivial).
    """

    threshold: float = 0.80
    name: str = "assertions"

    def compute(
        self, outcome: RunOutcome, source: SourceUnit, tests: GeneratedTests
    ) -> MetricValue:
        counted = _counted_checks(tests.code, source.language)
        if counted is None:
            details: dict[str, Any] = {"reason": "the tests do not parse"}
            return MetricValue(name=self.name, value=0.0, threshold=self.threshold, details=details)
        without, trivial_only = [], []
        total = _Checks()
        weighted_checks = 0
        credits: list[tuple[float, int]] = []
        for qualname, cases, checks in counted:
            total = total + checks
            weighted_checks += (checks.value + checks.trivial) * cases
            if checks.value:
                credits.append((1.0, cases))
            elif checks.trivial:
                credits.append((TRIVIAL_ONLY_CREDIT, cases))
                trivial_only.append(qualname)
            else:
                credits.append((0.0, cases))
                without.append(qualname)
        cases = sum(weight for _, weight in credits)
        details = {
            "tests": len(credits),
            "cases": cases,
            "value_checks": total.value,
            "trivial_checks": total.trivial,
            "assertions_per_test": weighted_checks / cases if cases else 0.0,
            "tests_without_assertions": without,
            "tests_with_only_trivial_assertions": trivial_only,
        }
        value = sum(credit * weight for credit, weight in credits) / cases if cases else 0.0
        return MetricValue(name=self.name, value=value, threshold=self.threshold, details=details)


def _counted_checks(code: str, language: Language) -> list[tuple[str, int, _Checks]] | None:
    """(test, cases, checks) for every test of the file, or None when it does not parse."""
    if language != Language.PYTHON:
        root = _foreign.parse(code, language)
        if root is None:
            return None
        return [
            (qualname, test.cases, _Checks(checks.value, checks.trivial))
            for qualname, (test, checks) in _foreign.checks_of(root, language).items()
        ]
    tree = parse(code)
    if tree is None:
        return None
    counter = _Counter(tree)
    counted = []
    for test in test_functions(tree):
        methods = helper_methods(tree, test.cls) if test.cls is not None else {}
        counted.append((test.qualname, test.cases, counter.checks(test.node, methods)))
    return counted
