"""Scoring: weighted mean over the metrics present, quality level, pass line."""

from __future__ import annotations

import pytest

from agentic_testgen.config import ScoringSettings
from agentic_testgen.domain import MetricValue, TestOutcome
from agentic_testgen.evals import score_run, weighted_score
from tests.evals.metrics._outcomes import code_of, result, run, source


def metric(name: str, value: float) -> MetricValue:
    return MetricValue(name=name, value=value, threshold=0.5)


def test_weighted_score_renormalises_over_present_metrics() -> None:
    metrics = {"coverage": metric("coverage", 1.0), "pass_rate": metric("pass_rate", 0.5)}
    weights = {"coverage": 3.0, "pass_rate": 1.0, "readability": 5.0}
    assert weighted_score(metrics, weights) == pytest.approx((3.0 + 0.5) / 4.0)


def test_a_zero_weight_leaves_a_metric_out() -> None:
    metrics = {"coverage": metric("coverage", 1.0), "pass_rate": metric("pass_rate", 0.0)}
    assert weighted_score(metrics, {"coverage": 1.0, "pass_rate": 0.0}) == 1.0


def test_passed_is_derived_from_value_and_threshold() -> None:
    assert metric("coverage", 0.5).passed
    assert not metric("coverage", 0.49).passed


def test_configured_thresholds_and_pass_line_are_applied() -> None:
    scoring = ScoringSettings(thresholds={"pass_rate": 1.0}, pass_line=0.99)
    outcome = run(result("test_a"), result("test_b", lines=()))
    scored = score_run(outcome, source(), code_of("def test_a():\n    pass\n"), scoring, reruns=0)
    assert scored.metrics["pass_rate"].threshold == 1.0
    assert scored.metrics["pass_rate"].passed
    assert scored.metrics["correctness"].threshold == 0.90
    assert not scored.passed
    assert scored.quality_level == scoring.levels.level(scored.score)


def test_a_failed_gate_caps_the_level_and_says_why() -> None:
    scoring = ScoringSettings(weights={"pass_rate": 1.0}, gates={"coverage": 0.5})
    outcome = run(result("test_a"), result("test_b", lines=()))
    tests = code_of("def test_a():\n    assert 1 == 1\n\ndef test_b():\n    assert 2 == 2\n")
    scored = score_run(outcome, source(), tests, scoring, reruns=0)
    assert scored.score == 1.0
    assert scored.quality_level == "fair"
    assert any(note.startswith("quality level capped at fair: coverage") for note in scored.notes)


def test_a_gate_never_raises_a_level() -> None:
    scoring = ScoringSettings(weights={"pass_rate": 1.0}, gates={"coverage": 0.5})
    outcome = run(result("test_a", TestOutcome.FAILED))
    scored = score_run(
        outcome, source(), code_of("def test_a():\n    assert 0\n"), scoring, reruns=0
    )
    assert scored.quality_level == "poor"
    assert scored.notes == ()


def test_without_failed_gates_the_level_follows_the_score() -> None:
    scoring = ScoringSettings(weights={"pass_rate": 1.0}, gates={"pass_rate": 0.5})
    outcome = run(result("test_a"))
    scored = score_run(
        outcome, source(), code_of("def test_a():\n    assert 1\n"), scoring, reruns=0
    )
    assert scored.quality_level == "excellent"
