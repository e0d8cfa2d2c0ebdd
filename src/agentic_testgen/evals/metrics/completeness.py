"""Completeness: every function exercised by a passing test, boundary inputs, exception paths."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from agentic_testgen.domain import (
    GeneratedTests,
    Language,
    MetricValue,
    RunOutcome,
    SourceUnit,
    TestOutcome,
)
from agentic_testgen.evals.metrics import _foreign
from agentic_testgen.evals.metrics._testcode import FunctionNode, dotted_name, import_aliases, parse

FUNCTION_WEIGHT = 0.70
BOUNDARY_WEIGHT = 0.15
EXCEPTION_WEIGHT = 0.15
BOUNDARY_KINDS_FOR_FULL_CREDIT = 3
BROAD_EXCEPTIONS = {"Exception", "BaseException"}
LARGE_NUMBER = 2**31
EXCEPTION_CHECKS = (
    "pytest.raises",
    "assertRaises",
    "assertRaisesRegex",
    "assertRaisesRegexp",
    "failUnlessRaises",
    "numpy.testing.assert_raises",
)


def _own_lines(function: FunctionNode) -> set[int]:
    """Statement lines of `function` itself, not of functions nested in it."""
    lines: set[int] = set()
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.stmt):
            lines.add(node.lineno)
        if isinstance(node, FunctionNode | ast.Lambda):
            continue
        pending.extend(ast.iter_child_nodes(node))
    return lines


def module_functions(tree: ast.Module) -> dict[str, set[int]]:
    """Top-level functions and methods (of classes at any depth) -> their own statement lines."""
    found: dict[str, set[int]] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, FunctionNode):
                found[prefix + node.name] = _own_lines(node)
            elif isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")

    visit(tree.body, "")
    return found


def _constant_kind(value: object) -> str | None:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if value == 0:
            return "zero"
        return "extreme" if abs(value) >= LARGE_NUMBER else None
    if isinstance(value, str | bytes) and len(value) == 0:
        return "empty"
    return None


def _call_kind(node: ast.Call) -> str | None:
    if not isinstance(node.func, ast.Name):
        return None
    if node.func.id in {"list", "dict", "set", "tuple", "str", "bytes"} and not node.args:
        return "empty"
    if node.func.id == "float" and node.args and isinstance(node.args[0], ast.Constant):
        special = str(node.args[0].value).lower().lstrip("+-") in {"inf", "nan"}
        return "extreme" if special else None
    return None


def _is_text_or_list(node: ast.expr) -> bool:
    return isinstance(node, ast.List) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str | bytes)
    )


def _boundary_kind(node: ast.expr) -> str | None:
    """The kind of boundary input a literal is: zero, negative, empty, none or extreme."""
    if isinstance(node, ast.Constant):
        return _constant_kind(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return "negative"
    if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
        elements = node.keys if isinstance(node, ast.Dict) else node.elts
        return "empty" if not elements else None
    if isinstance(node, ast.Call):
        return _call_kind(node)
    if isinstance(node, ast.BinOp):
        # "x" * 10_000 (a long input) or 10 ** 12 (a huge number)
        long_input = isinstance(node.op, ast.Mult) and (
            _is_text_or_list(node.left) or _is_text_or_list(node.right)
        )
        huge_number = (
            isinstance(node.op, ast.Pow)
            and isinstance(node.right, ast.Constant)
            and isinstance(node.right.value, int)
            and node.right.value >= 9
        )
        return "extreme" if long_input or huge_number else None
    return None


def boundary_kinds(tree: ast.Module) -> set[str]:
    """Kinds of boundary input the tests pass to calls (zero, negative, empty, none, extreme)."""
    kinds: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        for argument in arguments:
            # parametrize lists: look one level inside
            inner = argument.elts if isinstance(argument, ast.List | ast.Tuple) else []
            for candidate in [argument, *inner]:
                for element in candidate.elts if isinstance(candidate, ast.Tuple) else [candidate]:
                    kind = _boundary_kind(element)
                    if kind:
                        kinds.add(kind)
    return kinds


def raised_exceptions(tree: ast.Module) -> set[str]:
    """Exception class names the module raises explicitly."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = dotted_name(target, {})
            if name:
                names.add(name.rsplit(".", 1)[-1])
    return names


def checked_exceptions(tree: ast.Module) -> set[str]:
    """Exception class names the tests expect with `pytest.raises` or `assertRaises` (plain or as
    a context manager) and their variants."""
    aliases = import_aliases(tree)
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        called = dotted_name(node.func, aliases) or ""
        if called.endswith(EXCEPTION_CHECKS):
            expected = node.args[0]
            for element in expected.elts if isinstance(expected, ast.Tuple) else [expected]:
                name = dotted_name(element, {})
                if name:
                    names.add(name.rsplit(".", 1)[-1])
    return names


@dataclass(frozen=True)
class Completeness:
    """Weighted: 0.70 x share of functions and methods a passing test executed (per-test coverage,
    not test names), 0.15 x boundary inputs (3 kinds of zero/negative/empty/None/extreme for full
    credit), 0.15 x share of the exception types the module raises that the tests expect (a broad
    `Exception` earns half). A part that does not apply (no `raise` in the module) is left out.
    JavaScript and Java code is read through tree-sitter: `throw new X(...)` in the module,
    `assert.throws(fn, X)`, `expect(fn).toThrow(X)` and `assertThrows(X.class, ...)` in the tests
    (`Error` and `Exception`/`RuntimeException` are the broad classes).
    """

    threshold: float = 0.80
    name: str = "completeness"

    def compute(
        self, outcome: RunOutcome, source: SourceUnit, tests: GeneratedTests
    ) -> MetricValue:
        facts = _static_facts(source, tests)
        if facts is None or outcome.syntax_error:
            details: dict[str, Any] = {"reason": "the code does not parse"}
            return MetricValue(name=self.name, value=0.0, threshold=self.threshold, details=details)
        module_lines, kinds, raised, checked, broad_names = facts
        statements: set[int] | None = None
        if outcome.coverage is not None:
            statements = set(outcome.coverage.executed_lines) | set(outcome.coverage.missing_lines)
        functions = {
            name: lines & statements if statements is not None else lines
            for name, lines in module_lines.items()
        }
        functions = {name: lines for name, lines in functions.items() if lines}
        passing_lines: set[int] = set()
        for test in outcome.tests:
            if test.outcome == TestOutcome.PASSED:
                passing_lines.update(test.lines)
        exercised = sorted(name for name, lines in functions.items() if lines & passing_lines)
        function_share = len(exercised) / len(functions) if functions else 1.0

        boundary = min(len(kinds) / BOUNDARY_KINDS_FOR_FULL_CREDIT, 1.0)

        parts = [(FUNCTION_WEIGHT, function_share), (BOUNDARY_WEIGHT, boundary)]
        exception_share: float | None = None
        if raised:
            broad = bool(checked & broad_names)
            credit = sum(1.0 if name in checked else 0.5 if broad else 0.0 for name in raised)
            exception_share = credit / len(raised)
            parts.append((EXCEPTION_WEIGHT, exception_share))
        value = sum(weight * share for weight, share in parts) / sum(w for w, _ in parts)
        details = {
            "functions": len(functions),
            "functions_exercised": exercised,
            "functions_not_exercised": sorted(set(functions) - set(exercised)),
            "function_share": function_share,
            "boundary_kinds": sorted(kinds),
            "boundary_credit": boundary,
            "exceptions_raised": sorted(raised),
            "exceptions_checked": sorted(checked),
            "exception_share": exception_share,
        }
        return MetricValue(name=self.name, value=value, threshold=self.threshold, details=details)


_Facts = tuple[dict[str, set[int]], set[str], set[str], set[str], frozenset[str]]


def _static_facts(source: SourceUnit, tests: GeneratedTests) -> _Facts | None:
    """The module's functions and their lines, the tests' boundary inputs, the exceptions the
    module raises and those the tests expect, and the language's broad exception classes; None
    when either file does not parse."""
    language = source.language
    if language != Language.PYTHON:
        source_root = _foreign.parse(source.code, language)
        test_root = _foreign.parse(tests.code, language)
        if source_root is None or test_root is None:
            return None
        return (
            _foreign.module_functions(source_root, language),
            _foreign.boundary_kinds(test_root),
            _foreign.raised_exceptions(source_root),
            _foreign.checked_exceptions(test_root, language),
            _foreign.dialect(language).broad_exceptions,
        )
    source_tree, test_tree = parse(source.code), parse(tests.code)
    if source_tree is None or test_tree is None:
        return None
    return (
        module_functions(source_tree),
        boundary_kinds(test_tree),
        raised_exceptions(source_tree),
        checked_exceptions(test_tree),
        frozenset(BROAD_EXCEPTIONS),
    )
