"""Test files written the ways real projects write them, for the static metrics to read."""

from __future__ import annotations

UNITTEST_FILE = """
import unittest

from mod import f


class ParserTests(unittest.TestCase):
    def setUp(self):
        self.value = f(2)

    def assertDoubled(self, x):
        self.assertEqual(f(x) * 2, x * 2)

    def test_value_is_kept(self):
        self.assertEqual(self.value, 2)

    def test_doubling_through_a_helper(self):
        self.assertDoubled(3)

    def test_bad_input_raises(self):
        with self.assertRaises(TypeError):
            f()

    def testResultIsSomething(self):
        self.assertTrue(self.value)

    def test_runs_only(self):
        f(1)


class MoreParserTests(ParserTests):
    def test_floats_are_close(self):
        self.assertAlmostEqual(f(0.1), 0.1)


class AsyncParserTests(unittest.IsolatedAsyncioTestCase):
    async def test_awaits_nothing_and_checks(self):
        self.assertIn(f(1), [1])
"""

PYTEST_CLASS_FILE = """
import pytest

from mod import f


class TestF:
    def test_returns_its_argument(self):
        assert f(3) == 3

    def test_only_not_none(self):
        assert f(3) is not None

    class TestNested:
        def test_nested_check_of_zero(self):
            assert f(0) == 0


class TestWithInit:
    def __init__(self):
        self.x = 1

    def test_never_collected(self):
        pass


class Helper:
    def test_not_a_test_class(self):
        pass


def helper_without_test_prefix():
    assert f(1) == 1
"""

PARAMETRIZED_FILE = """
import pytest

from mod import f

CASES = [(1, 1), (2, 2), (3, 3)]


@pytest.mark.parametrize(("x", "expected"), [(0, 0), (1, 1), (-1, -1), (2, 2), (5, 5)])
def test_returns_each_argument(x, expected):
    assert f(x) == expected


@pytest.mark.parametrize(("x", "expected"), CASES)
def test_cases_from_a_module_list(x, expected):
    assert f(x) == expected


@pytest.mark.parametrize("x", [1, 2])
@pytest.mark.parametrize("y", [3, 4])
def test_runs_two_by_two(x, y):
    f(x + y)


def test_uses_a_fixture(tmp_path):
    assert f(tmp_path) == tmp_path
"""

HYPOTHESIS_FILE = """
from hypothesis import given, settings, strategies as st

from mod import f


@given(st.integers())
def test_any_integer_comes_back(x):
    assert f(x) == x


@settings(derandomize=True)
@given(st.text())
def test_any_text_comes_back_derandomized(s):
    assert f(s) == s


def test_a_plain_example():
    assert f(1) == 1
"""
