"""Regression detection, trends and A/B comparison over stored suites."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from agentic_testgen.evals._stats import paired_delta
from agentic_testgen.evals.compare import compare_suites
from agentic_testgen.evals.regression import check_regression
from agentic_testgen.evals.trends import analyze_trend, moving_average, slope, sparkline
from agentic_testgen.storage import ResultStore
from tests.conftest import make_result


def suite_with(store: ResultStore, scores: dict[str, float], name: str = "test_quality") -> str:
    suite = store.start_suite(name, dataset="d")
    for entry, score in scores.items():
        store.add_result(suite.id, entry, make_result(score), started_at=datetime.now(UTC))
    return store.finish_suite(suite.id).id


@pytest.fixture
def store(tmp_path: Path) -> ResultStore:
    return ResultStore.for_workspace(tmp_path)


BASE = {f"e{i}": 0.9 for i in range(8)}


def test_a_consistent_drop_is_flagged_with_its_interval(store: ResultStore) -> None:
    store.set_baseline("test_quality", suite_with(store, BASE))
    dropped = suite_with(store, {e: 0.75 + 0.01 * i for i, e in enumerate(BASE)})
    report = check_regression(store, dropped, "test_quality")
    score = next(f for f in report.findings if f.metric == "score")
    assert report.detected and score.flagged
    assert score.paired_entries == 8
    assert score.ci_high is not None and score.ci_high < 0
    assert store.regressions(dropped) == list(report.findings)


def test_an_unchanged_suite_is_not_a_regression(store: ResultStore) -> None:
    store.set_baseline("test_quality", suite_with(store, BASE))
    report = check_regression(store, suite_with(store, BASE), "test_quality")
    assert not report.detected
    assert all(f.delta == 0 for f in report.findings)


def test_without_a_baseline_the_check_says_how_to_set_one(store: ResultStore) -> None:
    report = check_regression(store, suite_with(store, BASE), "test_quality")
    assert report.baseline is None and not report.detected
    assert "atg eval baseline set test_quality" in report.note


def test_paired_delta_is_repeatable_from_its_seed() -> None:
    before, after = [0.5, 0.6, 0.7, 0.8], [0.6, 0.6, 0.9, 0.7]
    assert paired_delta(before, after, seed=3) == paired_delta(before, after, seed=3)
    assert paired_delta(before, after).mean == pytest.approx(0.05)
    assert paired_delta([0.1], [0.2]).low is None


def test_trend_of_suites_has_slope_moving_average_and_sparkline(store: ResultStore) -> None:
    for score in (0.5, 0.6, 0.7, 0.8):
        suite_with(store, {"a": score})
    trend = analyze_trend(store, "test_quality", window=3)
    assert [p.value for p in trend.points] == pytest.approx([0.6, 0.7, 0.8])
    assert trend.slope == pytest.approx(0.1)
    assert trend.direction == "improving"
    assert trend.sparkline == "▅▆▇"
    assert trend.kind == "suite"


def test_trend_of_an_entry_reads_its_results(store: ResultStore) -> None:
    suite_with(store, {"simple/clamp": 0.9})
    suite_with(store, {"simple/clamp": 0.5})
    trend = analyze_trend(store, "simple/clamp")
    assert (trend.kind, trend.direction) == ("entry", "declining")


def test_a_trend_carries_the_anomalies_of_its_score_and_of_each_metric(store: ResultStore) -> None:
    for run in range(8):  # entry a loses 2 points a run, b holds: the suite mean loses 1
        suite_with(store, {"a": 0.9 - 0.02 * run, "b": 0.9})
    trend = analyze_trend(store, "test_quality")
    assert trend.anomaly is not None
    assert (trend.anomaly.kind, trend.anomaly.direction) == ("drift", "down")
    assert set(trend.metric_anomalies) == {"coverage", "pass_rate"}
    assert set(trend.flagged_metrics) == {"coverage", "pass_rate"}
    assert trend.metric_anomalies["coverage"].points == 8
    entry = analyze_trend(store, "b")  # an entry's own metrics, flat
    assert entry.kind == "entry"
    assert entry.anomaly is not None and not entry.anomaly.flagged
    assert entry.flagged_metrics == {}


def test_trend_helpers() -> None:
    assert moving_average([1.0, 2.0, 3.0, 4.0], 2) == [1.0, 1.5, 2.5, 3.5]
    assert slope([1.0]) == 0.0
    assert sparkline([0.0, 1.0]) == "▁█"


def test_compare_reports_deltas_wins_and_a_verdict(store: ResultStore) -> None:
    a = suite_with(store, {**BASE, "only_a": 0.1})
    b = suite_with(store, {**{e: 0.95 for e in BASE}, "e7": 0.85, "only_b": 1.0})
    comparison = compare_suites(store, a, b)
    score = comparison.metrics[0]
    assert score.name == "score"
    assert score.delta == pytest.approx((7 * 0.05 - 0.05) / 8)
    assert (comparison.wins, comparison.losses, comparison.ties) == (7, 1, 0)
    assert (comparison.only_a, comparison.only_b) == (("only_a",), ("only_b",))
    assert comparison.verdict.startswith("B is better")
