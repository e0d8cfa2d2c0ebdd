"""Correctness and pass rate from a run's verdicts."""

from __future__ import annotations

from agentic_testgen.domain import CollectionError, TestOutcome
from agentic_testgen.evals.metrics import Correctness, PassRate
from tests.evals.metrics._outcomes import code_of, result, run, source

CODE = code_of("def test_a():\n    assert True\n")


def test_failing_but_executable_is_correct_and_not_passing() -> None:
    outcome = run(result("test_a"), result("test_b", TestOutcome.FAILED))
    assert Correctness().compute(outcome, source(), CODE).value == 1.0
    assert PassRate().compute(outcome, source(), CODE).value == 0.5


def test_a_test_that_never_reaches_the_module_is_not_correct() -> None:
    outcome = run(result("test_a"), result("test_b", lines=()))
    metric = Correctness().compute(outcome, source(), CODE)
    assert metric.value == 0.5
    assert metric.details["not_reaching_module"] == ["test_mod.py::test_b"]
    assert not metric.passed


def test_errors_timeouts_and_collection_errors_are_not_executable() -> None:
    outcome = run(
        result("test_a"),
        result("test_b", TestOutcome.ERROR),
        result("test_c", TestOutcome.TIMEOUT),
        collection_errors=(CollectionError(nodeid="test_x.py", message="E   ImportError: nope"),),
    )
    metric = Correctness().compute(outcome, source(), CODE)
    assert metric.value == 0.25
    reasons = [entry["reason"] for entry in metric.details["not_executable"]]
    assert reasons[0] == "E   ImportError: nope"
    assert reasons[1].startswith("error")
    assert PassRate().compute(outcome, source(), CODE).value == 0.25


def test_skipped_and_expected_failures_are_left_out_of_the_pass_rate() -> None:
    outcome = run(
        result("test_a"),
        result("test_b", TestOutcome.SKIPPED),
        result("test_c", TestOutcome.XFAIL),
    )
    metric = PassRate().compute(outcome, source(), CODE)
    assert metric.value == 1.0
    assert metric.details["outcomes"] == {"passed": 1, "skipped": 1, "xfail": 1}


def test_no_tests_at_all_scores_zero() -> None:
    assert PassRate().compute(run(), source(), CODE).value == 0.0
    assert Correctness().compute(run(), source(), CODE).value == 0.0


def test_syntax_error_scores_zero_with_the_message() -> None:
    outcome = run(syntax_error="test_mod.py:1:5: SyntaxError: invalid syntax")
    metric = Correctness().compute(outcome, source(), CODE)
    assert (metric.value, metric.details["parses"]) == (0.0, False)
    assert metric.details["error"].startswith("test_mod.py:1:5")
