"""Assertions: value checks, trivial checks and tests with none."""

from __future__ import annotations

from agentic_testgen.evals.metrics import Assertions
from tests.evals.metrics._outcomes import code_of, run, source


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
