"""Determinism: flaky tests from reruns, static findings apart."""

from __future__ import annotations

from agentic_testgen.domain import TestOutcome
from agentic_testgen.evals.metrics import Determinism
from agentic_testgen.evals.metrics.determinism import static_findings
from tests.evals.metrics._outcomes import code_of, result, run, source


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
