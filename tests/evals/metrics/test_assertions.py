"""Assertions: value checks, trivial checks and tests with none."""

from __future__ import annotations

import pytest

from agentic_testgen.evals.metrics import Assertions
from tests.evals.metrics._outcomes import code_of, run, source
from tests.evals.metrics._real_files import PARAMETRIZED_FILE, PYTEST_CLASS_FILE, UNITTEST_FILE


def compute(code: str) -> dict[str, object]:
    metric = Assertions().compute(run(), source(), code_of(code))
    return {"value": metric.value, **metric.details}


def test_value_checks_trivial_checks_and_none_are_told_apart() -> None:
    got = compute(
        """
        import pytest

        def test_checks_a_value():
            assert f(2) == 2

        def test_only_not_none():
            assert f(2) is not None

        def test_only_true():
            assert True

        def test_checks_nothing():
            f(2)

        def test_expects_an_error():
            with pytest.raises(TypeError):
                f()
        """
    )
    assert got["tests_without_assertions"] == ["test_checks_nothing"]
    assert got["tests_with_only_trivial_assertions"] == ["test_only_not_none", "test_only_true"]
    assert got["value_checks"] == 2
    assert got["trivial_checks"] == 2
    assert got["value"] == (1 + 0.25 + 0.25 + 0 + 1) / 5


def test_checks_in_a_helper_the_test_calls_count_for_the_test() -> None:
    got = compute(
        """
        def check_double(x):
            assert f(x) * 2 == x * 2

        def test_through_helper():
            check_double(3)
        """
    )
    assert got["value"] == 1.0


def test_unittest_and_mock_assertions_are_value_checks() -> None:
    got = compute(
        """
        import unittest

        class TestThing(unittest.TestCase):
            def test_equal(self):
                self.assertEqual(f(1), 1)

            def test_not_none_only(self):
                self.assertIsNotNone(f(1))

        def test_mock_called(mocker):
            spy = mocker.spy(obj, "f")
            spy.assert_called_once_with(1)
        """
    )
    assert got["tests_with_only_trivial_assertions"] == ["TestThing.test_not_none_only"]
    assert got["value_checks"] == 2


def test_a_unittest_file_is_read_through_its_methods_helpers_and_subclasses() -> None:
    got = compute(UNITTEST_FILE)
    # 12 collected tests: 5 in ParserTests, the same 5 inherited plus one in MoreParserTests,
    # one async; `self.assertDoubled` checks through the class's own helper
    assert got["tests"] == 12
    assert got["tests_without_assertions"] == [
        "ParserTests.test_runs_only",
        "MoreParserTests.test_runs_only",
    ]
    assert got["tests_with_only_trivial_assertions"] == [
        "ParserTests.testResultIsSomething",
        "MoreParserTests.testResultIsSomething",
    ]
    assert got["value"] == pytest.approx((3 + 0.25 + 4 + 0.25 + 1) / 12)


def test_a_pytest_class_file_counts_nested_classes_and_skips_uncollected_ones() -> None:
    got = compute(PYTEST_CLASS_FILE)
    assert got["tests"] == 3
    assert got["tests_with_only_trivial_assertions"] == ["TestF.test_only_not_none"]
    assert got["value"] == pytest.approx((1 + 0.25 + 1) / 3)


def test_parametrized_cases_weigh_as_the_tests_pytest_runs() -> None:
    got = compute(PARAMETRIZED_FILE)
    assert (got["tests"], got["cases"]) == (4, 13)
    assert got["tests_without_assertions"] == ["test_runs_two_by_two"]
    assert got["value"] == pytest.approx(9 / 13)
    assert got["assertions_per_test"] == pytest.approx(9 / 13)


def test_truth_of_a_bare_name_is_a_trivial_check() -> None:
    got = compute(
        """
        import unittest

        def test_bare_name():
            ok = f(1)
            assert ok

        class Checks(unittest.TestCase):
            def test_true_of_a_name(self):
                result = f(1)
                self.assertTrue(result)

            def test_true_of_a_comparison(self):
                self.assertTrue(f(1) == 1)
        """
    )
    assert got["tests_with_only_trivial_assertions"] == [
        "test_bare_name",
        "Checks.test_true_of_a_name",
    ]
    assert got["value_checks"] == 1


def test_numpy_testing_self_fail_and_helpers_that_call_helpers_are_checks() -> None:
    got = compute(
        """
        import unittest
        import numpy as np
        from numpy.testing import assert_array_equal

        def check_pair(a, b):
            assert_close(a, b)

        def assert_close(a, b):
            np.testing.assert_allclose(a, b)

        def assert_nothing(a):
            return a

        def test_np_alias():
            np.testing.assert_allclose(f(1.0), 1.0)

        def test_imported_assert():
            assert_array_equal(f([1]), [1])

        def test_helper_chain():
            check_pair(f(1.0), 1.0)

        def test_helper_that_checks_nothing():
            assert_nothing(f(1))

        class Failing(unittest.TestCase):
            def test_fails_on_bad_value(self):
                if f(1) != 1:
                    self.fail("not kept")
        """
    )
    assert got["tests_without_assertions"] == ["test_helper_that_checks_nothing"]
    assert got["value"] == pytest.approx(4 / 5)
