"""Determinism: flaky tests from reruns, static findings apart."""

from __future__ import annotations

from agentic_testgen.domain import TestOutcome
from agentic_testgen.evals.metrics import Determinism
from agentic_testgen.evals.metrics.determinism import static_findings
from tests.evals.metrics._outcomes import code_of, result, run, source
from tests.evals.metrics._real_files import HYPOTHESIS_FILE


def test_a_test_whose_outcome_changes_across_runs_is_flaky() -> None:
    outcome = run(
        result("test_a"),
        result("test_b"),
        reruns=(
            {"test_mod.py::test_a": TestOutcome.PASSED, "test_mod.py::test_b": TestOutcome.FAILED},
            {"test_mod.py::test_a": TestOutcome.PASSED, "test_mod.py::test_b": TestOutcome.PASSED},
        ),
    )
    code = code_of("def test_a():\n    pass\n\ndef test_b():\n    pass\n")
    metric = Determinism().compute(outcome, source(), code)
    assert metric.details["flaky_tests"] == ["test_mod.py::test_b"]
    assert metric.details["flaky_outcomes"] == {
        "test_mod.py::test_b": ["passed", "failed", "passed"]
    }
    assert metric.value == 0.5


def test_static_findings_resolve_imports_and_respect_seeds_and_patches() -> None:
    findings = static_findings(
        """
import random
import uuid
from datetime import datetime
from time import sleep
from unittest import mock


def test_unseeded():
    assert random.randint(1, 6) <= 6


def test_seeded():
    random.seed(4)
    assert random.randint(1, 6) <= 6


def test_clock_and_sleep():
    sleep(0.1)
    assert datetime.now().year > 2000


@mock.patch("uuid.uuid4")
def test_patched_uuid(fake):
    assert uuid.uuid4() is fake.return_value


def test_unpatched_uuid():
    assert uuid.uuid4() != uuid.uuid4()
"""
    )
    got = [(f["test"], f["kind"], f["call"]) for f in findings]
    assert got == [
        ("test_unseeded", "unseeded random", "random.randint"),
        ("test_clock_and_sleep", "sleep", "time.sleep"),
        ("test_clock_and_sleep", "wall-clock time", "datetime.datetime.now"),
        ("test_unpatched_uuid", "uuid", "uuid.uuid4"),
        ("test_unpatched_uuid", "uuid", "uuid.uuid4"),
    ]


def test_static_findings_cost_half_a_flaky_test() -> None:
    code = code_of("import time\n\ndef test_a():\n    time.sleep(1)\n\ndef test_b():\n    pass\n")
    outcome = run(result("test_a"), result("test_b"))
    metric = Determinism().compute(outcome, source(), code)
    assert metric.details["tests_with_static_findings"] == ["test_a"]
    assert metric.details["flaky_tests"] == []
    assert metric.value == 0.75


def test_hypothesis_tests_that_draw_random_examples_are_a_static_finding() -> None:
    outcome = run(
        result("test_any_integer_comes_back"),
        result("test_any_text_comes_back_derandomized"),
        result("test_a_plain_example"),
    )
    metric = Determinism().compute(outcome, source(), code_of(HYPOTHESIS_FILE))
    assert metric.details["property_based_tests"] == ["test_any_integer_comes_back"]
    assert metric.details["static_findings"] == [
        {
            "test": "test_any_integer_comes_back",
            "line": 7,
            "kind": "property-based (random examples)",
            "call": "hypothesis.given",
        }
    ]
    assert metric.value == 1.0 - 0.5 / 3


def test_a_seed_or_a_derandomized_profile_makes_hypothesis_examples_fixed() -> None:
    findings = static_findings(
        """
from hypothesis import given, seed, settings, strategies as st

settings.register_profile("ci", derandomize=True)


@given(st.integers())
def test_in_a_derandomized_file(x):
    assert x == x
"""
    )
    assert findings == []
    findings = static_findings(
        "from hypothesis import given, seed, strategies as st\n\n"
        "@seed(1)\n@given(st.integers())\ndef test_seeded(x):\n    assert x == x\n"
    )
    assert findings == []


def test_each_parametrized_case_of_a_suspect_test_is_charged() -> None:
    code = code_of(
        """
        import time
        import pytest

        @pytest.mark.parametrize("x", [1, 2])
        def test_clock(x):
            assert time.time() > x

        def test_plain():
            assert True
        """
    )
    outcome = run(result("test_clock[1]"), result("test_clock[2]"), result("test_plain"))
    assert Determinism().compute(outcome, source(), code).value == 1.0 - 0.5 * 2 / 3
    assert Determinism().compute(run(), source(), code).value == 1.0 - 0.5 * 2 / 3


def test_unittest_methods_are_checked_and_set_up_patches_count() -> None:
    findings = static_findings(
        """
import time
import unittest
from unittest import mock


class ClockTests(unittest.TestCase):
    def test_reads_the_clock(self):
        self.assertGreater(time.time(), 0)


class PatchedClockTests(unittest.TestCase):
    def setUp(self):
        patcher = mock.patch("time.time", return_value=5)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_reads_the_patched_clock(self):
        self.assertEqual(time.time(), 5)
"""
    )
    assert [(f["test"], f["kind"]) for f in findings] == [
        ("ClockTests.test_reads_the_clock", "wall-clock time")
    ]
