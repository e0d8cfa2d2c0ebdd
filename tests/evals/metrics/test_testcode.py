"""Test discovery: the tests pytest would collect, read from the file alone."""

from __future__ import annotations

import ast
import textwrap

from agentic_testgen.evals.metrics import _testcode
from tests.evals.metrics._real_files import (
    HYPOTHESIS_FILE,
    PARAMETRIZED_FILE,
    PYTEST_CLASS_FILE,
    UNITTEST_FILE,
)

INHERITED = [
    "test_value_is_kept",
    "test_doubling_through_a_helper",
    "test_bad_input_raises",
    "testResultIsSomething",
    "test_runs_only",
]


def tree(code: str) -> ast.Module:
    return ast.parse(textwrap.dedent(code))


def collected(module: ast.Module) -> list[_testcode.TestFunction]:
    return _testcode.test_functions(module)


def test_unittest_methods_are_tests_whatever_the_class_name() -> None:
    # the same 12 items `pytest --collect-only` lists for this file
    found = [test.qualname for test in collected(tree(UNITTEST_FILE))]
    assert found == [
        *(f"ParserTests.{name}" for name in INHERITED),
        *(f"MoreParserTests.{name}" for name in INHERITED),
        "MoreParserTests.test_floats_are_close",
        "AsyncParserTests.test_awaits_nothing_and_checks",
    ]


def test_an_inherited_test_body_is_written_once() -> None:
    assert len(_testcode.written_tests(tree(UNITTEST_FILE))) == 7


def test_pytest_classes_need_the_test_prefix_and_no_constructor() -> None:
    found = [test.qualname for test in collected(tree(PYTEST_CLASS_FILE))]
    assert found == [
        "TestF.test_returns_its_argument",
        "TestF.test_only_not_none",
        "TestF.TestNested.test_nested_check_of_zero",
    ]


def test_parametrize_lists_multiply_into_cases() -> None:
    tests = collected(tree(PARAMETRIZED_FILE))
    assert {test.qualname: test.cases for test in tests} == {
        "test_returns_each_argument": 5,
        "test_cases_from_a_module_list": 3,
        "test_runs_two_by_two": 4,
        "test_uses_a_fixture": 1,
    }
    assert _testcode.case_count(tests) == 13


def test_a_class_parametrize_applies_to_each_method() -> None:
    code = """
    import pytest

    @pytest.mark.parametrize("x", [1, 2])
    class TestBoth:
        @pytest.mark.parametrize("y", [1, 2, 3])
        def test_pairs(self, x, y):
            assert x + y
    """
    (test,) = collected(tree(code))
    assert test.cases == 6


def test_hypothesis_given_marks_a_test_property_based() -> None:
    tests = collected(tree(HYPOTHESIS_FILE))
    assert [test.qualname for test in tests if test.property_based] == [
        "test_any_integer_comes_back",
        "test_any_text_comes_back_derandomized",
    ]


def test_a_class_that_opts_out_with_dunder_test_is_not_collected() -> None:
    code = """
    class TestNotReally:
        __test__ = False

        def test_x(self):
            pass
    """
    assert collected(tree(code)) == []
