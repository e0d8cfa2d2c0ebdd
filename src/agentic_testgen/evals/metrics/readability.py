"""Readability: descriptive names, short tests, shallow nesting, little duplication."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from agentic_testgen.domain import GeneratedTests, Language, MetricValue, RunOutcome, SourceUnit
from agentic_testgen.evals.metrics import _foreign
from agentic_testgen.evals.metrics._testcode import parse, written_tests

GENERIC_NAME = re.compile(
    r"^test_?(\d+|it|func|function|case|method|stuff|thing|foo|bar|baz|example|sample|"
    r"something|works|ok|basic|generated)?_?\d*$"
)
SHORT_LINES, LONG_LINES = 20, 60
NESTING_CREDIT = {0: 1.0, 1: 1.0, 2: 0.75, 3: 0.5}
NESTING_FLOOR = 0.25
PER_TEST_WEIGHT = 0.75
DUPLICATION_WEIGHT = 0.25
BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.TryStar, ast.Match)


CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def name_credit(name: str) -> float:
    """1 for two or more words after `test`, 0.5 for one, 0 for generic names like `test_1`.

    camelCase names read the same: `testParseEmptyInput` is `test_parse_empty_input`.
    """
    snake = CAMEL_HUMP.sub("_", name).lower()
    if GENERIC_NAME.match(snake):
        return 0.0
    words = [word for word in snake.removeprefix("test").split("_") if word]
    return 1.0 if len(words) >= 2 else 0.5


def length_credit(lines: int) -> float:
    """1 up to 20 lines, falling linearly to 0 at 60."""
    if lines <= SHORT_LINES:
        return 1.0
    return max(0.0, 1.0 - (lines - SHORT_LINES) / (LONG_LINES - SHORT_LINES))


def nesting_depth(node: ast.AST, depth: int = 0) -> int:
    """Deepest nesting of if/for/while/try/match blocks inside `node`."""
    deepest = depth
    for child in ast.iter_child_nodes(node):
        inner = depth + 1 if isinstance(child, BLOCKS) else depth
        deepest = max(deepest, nesting_depth(child, inner))
    return deepest


def body_shape(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The test body with every literal masked: equal shapes are copy-pasted tests. Written
    out node by node, the shared tree left as it is (see `_testcode.parse`)."""
    return _shape(function.body)


def _shape(value: object) -> str:
    if isinstance(value, ast.Constant):
        return "_"
    if isinstance(value, ast.AST):
        fields = ",".join(_shape(getattr(value, name, None)) for name in value._fields)
        return f"{type(value).__name__}({fields})"
    if isinstance(value, list):
        return "[" + ",".join(_shape(item) for item in value) + "]"
    return repr(value)


@dataclass(frozen=True)
class Readability:
    """0.75 x mean per-test credit (mean of name, length and nesting credit) + 0.25 x share of
    tests that are not copies of another test with only literals changed (candidates for
    `pytest.mark.parametrize`).

    Tests are the ones pytest collects (functions, methods of test classes and of
    `unittest.TestCase` subclasses), each body judged once however many classes inherit it.
    JavaScript tests (`test`/`it` calls) and JUnit methods are read from their syntax trees; a
    JavaScript test's title counts its words as a name does.
    """

    threshold: float = 0.70
    name: str = "readability"

    def compute(
        self, outcome: RunOutcome, source: SourceUnit, tests: GeneratedTests
    ) -> MetricValue:
        functions = _written(tests.code, source.language)
        if not functions:
            details: dict[str, Any] = {"reason": "no test functions"}
            return MetricValue(name=self.name, value=0.0, threshold=self.threshold, details=details)
        per_test: dict[str, dict[str, float]] = {}
        shapes: dict[str, list[str]] = {}
        for qualname, name, lines, depth, shape in functions:
            per_test[qualname] = {
                "name": name_credit(name),
                "length": length_credit(lines),
                "nesting": NESTING_CREDIT.get(depth, NESTING_FLOOR),
                "lines": lines,
                "depth": depth,
            }
            shapes.setdefault(shape, []).append(qualname)
        duplicates = [names for names in shapes.values() if len(names) > 1]
        duplicate_count = sum(len(names) - 1 for names in duplicates)
        credits = [(c["name"] + c["length"] + c["nesting"]) / 3 for c in per_test.values()]
        mean_credit = sum(credits) / len(credits)
        unique_share = 1.0 - duplicate_count / len(functions)
        value = PER_TEST_WEIGHT * mean_credit + DUPLICATION_WEIGHT * unique_share
        details = {
            "tests": len(functions),
            "mean_test_credit": mean_credit,
            "generic_names": [n for n, c in per_test.items() if c["name"] == 0.0],
            "long_tests": [n for n, c in per_test.items() if c["lines"] > SHORT_LINES],
            "deeply_nested_tests": [n for n, c in per_test.items() if c["depth"] > 1],
            "duplicate_groups": duplicates,
        }
        return MetricValue(name=self.name, value=value, threshold=self.threshold, details=details)


def _title_as_name(title: str) -> str:
    """A JavaScript test's title read as a test name: `returns 0 for []` -> `test_returns_0_for`."""
    return "test_" + "_".join(re.findall(r"[A-Za-z0-9]+", title))


def _written(code: str, language: Language) -> list[tuple[str, str, int, int, str]]:
    """(qualname, name, lines, nesting depth, shape) of each test body, once."""
    if language != Language.PYTHON:
        root = _foreign.parse(code, language)
        if root is None:
            return []
        found = []
        for test in _foreign.tests_in(root, language):
            span = _foreign.span(test, language)
            name = _title_as_name(test.name) if language == Language.JAVASCRIPT else test.name
            shape = _foreign.body_shape(test.body, language)
            found.append((test.qualname, name, span.lines, span.depth, shape))
        return found
    tree = parse(code)
    return [
        (
            test.qualname,
            test.node.name,
            (test.node.end_lineno or test.node.lineno) - test.node.lineno + 1,
            nesting_depth(test.node),
            body_shape(test.node),
        )
        for test in (written_tests(tree) if tree is not None else [])
    ]
