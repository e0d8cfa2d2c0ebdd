"""Completeness: functions exercised by passing tests, boundaries, exception paths."""

from __future__ import annotations

import pytest

from agentic_testgen.domain import TestOutcome
from agentic_testgen.evals.metrics import Completeness
from tests.evals.metrics._outcomes import code_of, file_coverage, result, run, source

MODULE = source(
    """
    def first(x):
        return x


    class Box:
        def put(self, item):
            if item is None:
                raise ValueError("no item")
            return item

        def empty(self):
            '''Only a docstring: nothing to execute.'''
    """
)
# lines: 2 first, 7 if, 8 raise, 9 return


def test_functions_count_only_when_a_passing_test_executed_their_body() -> None:
    outcome = run(
        result("test_first", lines=(2,)),
        result("test_put", TestOutcome.FAILED, lines=(7, 9)),
        coverage=file_coverage((2, 7, 9), (8,)),
    )
    metric = Completeness().compute(outcome, MODULE, code_of("def test_first():\n    pass\n"))
    assert metric.details["functions"] == 2  # Box.empty has no statement
    assert metric.details["functions_exercised"] == ["first"]
    assert metric.details["function_share"] == 0.5


def test_boundary_inputs_and_checked_exceptions_earn_their_share() -> None:
    code = code_of(
        """
        import pytest
        from mod import Box, first

        def test_edges():
            assert first(0) == 0
            assert first(-1) == -1
            assert first("") == ""

        def test_put_none_raises():
            with pytest.raises(ValueError):
                Box().put(None)
        """
    )
    outcome = run(
        result("test_edges", lines=(2,)),
        result("test_put_none_raises", lines=(7, 8)),
        coverage=file_coverage((2, 7, 8), (9,)),
    )
    metric = Completeness().compute(outcome, MODULE, code)
    assert metric.details["boundary_kinds"] == ["empty", "negative", "none", "zero"]
    assert metric.details["exceptions_checked"] == ["ValueError"]
    assert metric.value == pytest.approx(1.0)


def test_a_broad_exception_check_earns_half_credit() -> None:
    code = code_of(
        "import pytest\n\ndef test_x():\n    with pytest.raises(Exception):\n        pass\n"
    )
    outcome = run(result("test_x", lines=(2, 7, 9)), coverage=file_coverage((2, 7, 9), (8,)))
    metric = Completeness().compute(outcome, MODULE, code)
    assert metric.details["exception_share"] == 0.5


def test_the_exception_part_is_left_out_when_the_module_raises_nothing() -> None:
    module = source("def f(x):\n    return x\n")
    outcome = run(result("test_f", lines=(2,)), coverage=file_coverage((2,)))
    metric = Completeness().compute(outcome, module, code_of("def test_f():\n    f(1)\n"))
    assert metric.details["exception_share"] is None
    assert metric.value == pytest.approx(0.70 / 0.85)


def test_unittest_assert_raises_as_a_context_manager_checks_the_exception() -> None:
    code = code_of(
        """
        import unittest
        from mod import Box

        class BoxTests(unittest.TestCase):
            def test_put_none_raises(self):
                with self.assertRaises(ValueError):
                    Box().put(None)
        """
    )
    outcome = run(result("BoxTests::test_put_none_raises", lines=(7, 8)))
    metric = Completeness().compute(outcome, MODULE, code)
    assert metric.details["exceptions_checked"] == ["ValueError"]
    assert metric.details["exception_share"] == 1.0
