"""The latest-state gauges, computed from a store filled by hand and checked against hand counts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client import generate_latest

from agentic_testgen.config import BusinessSettings
from agentic_testgen.domain import EvalResult, TestOutcome, TestReport
from agentic_testgen.observability.collector import build_registry
from agentic_testgen.observability.monitor import Snapshot
from agentic_testgen.storage import RegressionFinding, ResultStore
from agentic_testgen.storage._observed import observed_state
from tests.conftest import make_result


def with_tests(coverage: float, pass_rate: float, outcomes: list[tuple[str, bool]]) -> EvalResult:
    result = make_result(0.8, {"coverage": coverage, "pass_rate": pass_rate})
    tests = tuple(
        TestReport(nodeid=f"t.py::test_{i}", outcome=TestOutcome(outcome), duration_s=0.01,
                   flaky=flaky, reached_module=True)
        for i, (outcome, flaky) in enumerate(outcomes)
    )  # fmt: skip
    return result.model_copy(update={"tests": tests})


@pytest.fixture
def snapshot(tmp_path: Path) -> Snapshot:
    store = ResultStore.for_workspace(tmp_path)
    old = store.start_suite("nightly")
    store.add_result(old.id, "a", make_result(0.4), started_at=datetime.now(UTC))
    store.finish_suite(old.id)
    store.set_baseline("nightly", old.id)
    suite = store.start_suite("nightly")
    now = datetime.now(UTC)
    store.add_result(
        suite.id,
        "a",
        with_tests(0.95, 1.0, [("passed", False)] * 4),
        started_at=now,
        metadata={"generator": "agent", "tests_kept": 6},
    )
    store.add_result(suite.id, "b", with_tests(0.80, 0.5, [("passed", True), ("failed", False),
                     ("passed", False), ("passed", False)]), started_at=now)  # fmt: skip
    store.finish_suite(suite.id)
    store.add_regressions(
        suite.id, [RegressionFinding("nightly", "coverage", 0.9, 0.8, -0.1, True)]
    )
    weekly = store.start_suite("weekly")
    store.add_result(weekly.id, "a", make_result(0.9), started_at=now)
    store.finish_suite(weekly.id)
    store.add_regressions(weekly.id, [RegressionFinding("weekly", "score", 0.9, 0.9, 0.0, False)])
    store.start_suite("running-now")
    return Snapshot.parse(generate_latest(build_registry(store)).decode())


def test_latest_state_gauges_match_hand_counts(snapshot: Snapshot) -> None:
    def value(name: str, **labels: str) -> float:
        return snapshot.series(name)[tuple(sorted(labels.items()))]

    # the latest suite with python entries is "weekly" (one entry, coverage 0.9 in make_result)
    assert value("test_coverage_ratio", language="python") == pytest.approx(0.9)
    assert value("eval_metric_ratio", eval_name="nightly", metric="coverage") == pytest.approx(
        0.875
    )
    assert value("baseline_score", eval_name="nightly") == pytest.approx(0.4)
    assert value("regression_detected", eval_name="nightly") == 1
    assert value("regression_detected", eval_name="weekly") == 0
    assert value("regression_rate") == pytest.approx(0.5)  # 1 of 2 checked names regressed
    assert value("active_sessions") == 1
    assert value("developer_time_saved_seconds") == 6 * 10 * 60
    assert value("safety_score") == 1.0


def test_unreliable_tests_and_goal_of_the_latest_suite(tmp_path: Path) -> None:
    store = ResultStore.for_workspace(tmp_path)
    suite = store.start_suite("nightly")
    now = datetime.now(UTC)
    store.add_result(suite.id, "a", with_tests(0.95, 1.0, [("passed", False)] * 4),
                     started_at=now)  # fmt: skip
    store.add_result(suite.id, "b", with_tests(0.80, 0.5, [("passed", True), ("failed", False),
                     ("passed", False), ("passed", False)]), started_at=now)  # fmt: skip
    store.finish_suite(suite.id)
    text = generate_latest(build_registry(store)).decode()
    snapshot = Snapshot.parse(text)
    assert snapshot.total("goal_achievement_ratio") == 0.5  # entry a meets 0.90/0.90, b does not
    assert snapshot.total("false_positive_rate") == pytest.approx(2 / 8)  # one flaky, one failed
    assert snapshot.total("flaky_tests", language="python") == 1
    assert snapshot.total("test_maintenance_cost_seconds") == 30 * 60
    # the assumptions are settings: a team's own figures change the estimates, not the counts
    theirs = BusinessSettings(minutes_saved_per_test=15, minutes_to_fix_flaky_test=45)
    own = Snapshot.parse(generate_latest(build_registry(store, theirs)).decode())
    assert own.total("test_maintenance_cost_seconds") == 1 * 45 * 60
    assert own.total("false_positive_rate") == pytest.approx(2 / 8)


def test_a_running_suite_stops_counting_as_active_after_an_hour(tmp_path: Path) -> None:
    store = ResultStore.for_workspace(tmp_path)
    store.start_suite("nightly")
    with store.engine.connect() as connection:
        from sqlalchemy.orm import Session

        session = Session(connection)
        assert observed_state(session).active_sessions == 1
        later = datetime.now(UTC) + timedelta(hours=2)
        assert observed_state(session, now=later).active_sessions == 0


def test_a_drifting_score_and_metric_are_flagged_and_a_flat_metric_is_not(tmp_path: Path) -> None:
    store = ResultStore.for_workspace(tmp_path)
    rng = random.Random(11)
    for run in range(15):  # one point lost per run under half a point of noise; no 5 % step
        coverage = 0.90 - 0.01 * run + rng.gauss(0, 0.005)
        pass_rate = 0.95 + rng.gauss(0, 0.01)  # flat and noisy
        suite = store.start_suite("nightly", dataset="d", generator="reference")
        for entry in ("a", "b"):
            result = make_result(coverage, {"coverage": coverage, "pass_rate": pass_rate})
            store.add_result(suite.id, entry, result, started_at=datetime.now(UTC))
        store.finish_suite(suite.id)
    for score in (0.9, 0.5, 0.9):  # too few runs to say anything
        suite = store.start_suite("weekly")
        store.add_result(suite.id, "a", make_result(score), started_at=datetime.now(UTC))
        store.finish_suite(suite.id)
    snapshot = Snapshot.parse(generate_latest(build_registry(store)).decode())
    assert snapshot.series("eval_metric_anomaly") == {
        (("eval_name", "nightly"), ("metric", "coverage")): -1,
        (("eval_name", "nightly"), ("metric", "pass_rate")): 0,
        (("eval_name", "nightly"), ("metric", "score")): -1,
        (("eval_name", "weekly"), ("metric", "coverage")): 0,
        (("eval_name", "weekly"), ("metric", "pass_rate")): 0,
        (("eval_name", "weekly"), ("metric", "score")): 0,
    }
