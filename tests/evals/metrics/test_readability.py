"""Readability: names, length, nesting and duplication."""

from __future__ import annotations

import pytest

from agentic_testgen.evals.metrics import Readability
from agentic_testgen.evals.metrics.readability import length_credit, name_credit
from tests.evals.metrics._outcomes import code_of, run, source
from tests.evals.metrics._real_files import PYTEST_CLASS_FILE, UNITTEST_FILE


@pytest.mark.parametrize(
    ("name", "credit"),
    [
        ("test_parse_rejects_empty_input", 1.0),
        ("test_parse", 0.5),
        ("test_1", 0.0),
        ("test_func", 0.0),
        ("test", 0.0),
        ("testParseRejectsEmptyInput", 1.0),
        ("testParse", 0.5),
        ("test1", 0.0),
        ("testFunc", 0.0),
    ],
)
def test_names_are_credited_by_how_much_they_say(name: str, credit: float) -> None:
    assert name_credit(name) == credit


def test_length_credit_falls_from_twenty_to_sixty_lines() -> None:
    assert [length_credit(n) for n in (5, 20, 40, 60, 90)] == [1.0, 1.0, 0.5, 0.0, 0.0]


def test_copies_that_differ_only_in_literals_are_duplicates() -> None:
    code = code_of(
        """
        def test_add_small_numbers():
            assert add(1, 2) == 3

        def test_add_big_numbers():
            assert add(100, 200) == 300

        def test_subtract_numbers():
            for a in range(3):
                if a:
                    while a:
                        a -= 1
        """
    )
    metric = Readability().compute(run(), source(), code)
    assert metric.details["duplicate_groups"] == [
        ["test_add_small_numbers", "test_add_big_numbers"]
    ]
    assert metric.details["deeply_nested_tests"] == ["test_subtract_numbers"]
    expected_mean = (1.0 + 1.0 + (1.0 + 1.0 + 0.5) / 3) / 3
    assert metric.value == pytest.approx(0.75 * expected_mean + 0.25 * (2 / 3))


def test_a_unittest_file_is_judged_by_its_methods_each_body_once() -> None:
    metric = Readability().compute(run(), source(), code_of(UNITTEST_FILE))
    # 7 bodies: the 5 tests MoreParserTests inherits are not copies of themselves
    assert metric.details["tests"] == 7
    assert metric.details["duplicate_groups"] == []
    assert metric.value == 1.0


def test_methods_of_test_classes_are_judged_like_functions() -> None:
    code = code_of(
        """
        class TestThings:
            def test_1(self):
                assert f(1) == 1

            def test_keeps_the_argument(self):
                assert f(2) + 1 == 3
        """
    )
    metric = Readability().compute(run(), source(), code_of(PYTEST_CLASS_FILE))
    assert metric.details["tests"] == 3
    metric = Readability().compute(run(), source(), code)
    assert metric.details["generic_names"] == ["TestThings.test_1"]
    assert metric.value == pytest.approx(0.75 * ((2 / 3) + 1.0) / 2 + 0.25)
