"""The regression check's noise model on hand-built histories: collapses are caught and named,
noise is not flagged, and only like is compared with like."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agentic_testgen.evals._stats import t_quantile
from agentic_testgen.evals.power import simulate
from agentic_testgen.evals.regression import check_regression
from agentic_testgen.storage import RegressionFinding, ResultStore
from tests.conftest import make_result


@pytest.fixture
def store(tmp_path: Path) -> ResultStore:
    return ResultStore.for_workspace(tmp_path)


def run(
    store: ResultStore,
    scores: dict[str, float | None],
    *,
    dataset: str = "mixed",
    generator: str = "reference",
    modules: dict[str, str] | None = None,
) -> str:
    """A finished suite named `nightly`; a score of None is an entry whose evaluation failed."""
    suite = store.start_suite("nightly", dataset=dataset, generator=generator)
    for entry, score in scores.items():
        module = (modules or {}).get(entry, f"code of {entry}")
        store.add_result(
            suite.id, entry, None if score is None else make_result(score),
            started_at=datetime.now(UTC), errors=["boom"] if score is None else [],
            metadata={"module_sha256": module, "tests_sha256": "tests"},
        )  # fmt: skip
    return store.finish_suite(suite.id).id


def flagged_entries(findings: tuple[RegressionFinding, ...], metric: str = "score") -> set[str]:
    return {f.entry_id for f in findings if f.flagged and f.metric == metric and f.entry_id}


def mean_finding(findings: tuple[RegressionFinding, ...]) -> RegressionFinding:
    return next(f for f in findings if f.metric == "score" and f.entry_id is None)


def test_one_entry_of_six_collapsing_is_flagged_and_named(store: ResultStore) -> None:
    six = {f"e{i}": 0.9 for i in range(6)}
    store.set_baseline("nightly", run(store, six))
    report = check_regression(store, run(store, {**six, "e3": 0.05}), "nightly")
    assert report.detected and report.compared
    assert flagged_entries(report.findings) == {"e3"}
    named = next(f for f in report.flagged if f.entry_id == "e3" and f.metric == "score")
    assert (named.baseline_value, named.current_value) == (0.9, 0.05)
    mean = mean_finding(report.findings)
    assert mean.flagged and mean.ci_high is not None and mean.ci_high < 0
    assert store.regressions(report.suite_id) == list(report.findings)  # stored as found


def test_three_of_fourteen_collapsing_is_flagged(store: ResultStore) -> None:
    fourteen = {f"e{i}": 0.93 for i in range(14)}
    store.set_baseline("nightly", run(store, fourteen))
    report = check_regression(
        store, run(store, {**fourteen, "e1": 0.0, "e5": 0.0, "e9": 0.2}), "nightly"
    )
    assert flagged_entries(report.findings) == {"e1", "e5", "e9"}
    assert mean_finding(report.findings).flagged  # a mean drop of 0.18, far beyond noise


def test_a_flaky_entry_moving_within_its_own_history_is_not_flagged(store: ResultStore) -> None:
    rng = random.Random(7)
    base = {f"e{i}": 0.9 for i in range(8)}
    for _ in range(4):  # e0 has always moved by +-0.03 from run to run
        run(store, {**base, "e0": 0.9 + rng.uniform(-0.03, 0.03)})
    store.set_baseline("nightly", run(store, {**base, "e0": 0.93}))
    report = check_regression(store, run(store, {**base, "e0": 0.87}), "nightly")
    assert not report.detected


def test_a_drop_beyond_the_threshold_but_within_an_entrys_noise_is_not_flagged(
    store: ResultStore,
) -> None:
    base = {f"e{i}": 0.9 for i in range(8)}
    for value in (0.3, 0.9, 0.5, 0.8):  # e0 swings widely on its own
        run(store, {**base, "e0": value})
    store.set_baseline("nightly", run(store, {**base, "e0": 0.85}))
    report = check_regression(store, run(store, {**base, "e0": 0.6}), "nightly")
    [finding] = [f for f in report.findings if f.entry_id == "e0" and f.metric == "score"]
    assert finding.delta < -0.05 and not finding.flagged
    assert not report.detected


def test_an_entry_that_fails_counts_as_zero_and_is_a_regression_of_that_entry(
    store: ResultStore,
) -> None:
    base = {f"e{i}": 0.9 for i in range(5)}
    store.set_baseline("nightly", run(store, base))
    report = check_regression(store, run(store, {**base, "e2": None}), "nightly")
    assert flagged_entries(report.findings) == {"e2"}
    mean = mean_finding(report.findings)
    assert mean.current_value == pytest.approx(0.9 * 4 / 5)


def test_an_entry_whose_module_changed_is_reported_as_changed_not_compared(
    store: ResultStore,
) -> None:
    base = {f"e{i}": 0.9 for i in range(5)}
    store.set_baseline("nightly", run(store, base))
    report = check_regression(
        store, run(store, {**base, "e4": 0.1}, modules={"e4": "rewritten"}), "nightly"
    )
    assert report.changed == ("e4",)
    assert not report.detected
    assert "not compared, their module changed: e4" in report.note


def test_another_dataset_under_the_same_name_is_refused_not_flagged(store: ResultStore) -> None:
    store.set_baseline("nightly", run(store, {"simple/a": 0.9}, dataset="synthetic-simple"))
    report = check_regression(store, run(store, {"real/b": 0.2}, dataset="real-world"), "nightly")
    assert (report.compared, report.refused, report.detected) == (False, True, False)
    assert report.note.startswith("not compared: the baseline of 'nightly' is for dataset")
    assert store.regressions(report.suite_id) == []


def test_a_baseline_is_kept_per_dataset_and_generator(store: ResultStore) -> None:
    store.set_baseline("nightly", run(store, {"a": 0.9}, dataset="one"))
    store.set_baseline("nightly", run(store, {"b": 0.5}, dataset="two"))
    one = store.baseline("nightly", dataset="one", generator="reference")
    two = store.baseline("nightly", dataset="two", generator="reference")
    assert one is not None and two is not None
    assert (one.baseline_score, two.baseline_score) == (0.9, 0.5)
    report = check_regression(store, run(store, {"a": 0.2}, dataset="one"), "nightly")
    assert flagged_entries(report.findings) == {"a"}


def test_no_shared_entry_is_refused(store: ResultStore) -> None:
    store.set_baseline("nightly", run(store, {"a": 0.9}))
    report = check_regression(store, run(store, {"b": 0.1}), "nightly")
    assert report.refused and not report.detected
    assert "no entry of this run is in it" in report.note


def test_unchanged_suites_raise_fewer_than_five_percent_false_alarms() -> None:
    # the mixed suite with its reference tests measured no spread at all over 4 runs; these
    # are harsher: three flaky entries, then every entry moving by 0.03 from run to run
    assert simulate([0.0] * 11 + [0.01, 0.02, 0.03], trials=200, seed=1).rate < 0.05
    assert simulate([0.03] * 14, trials=200, seed=2).rate < 0.05


def test_collapses_are_always_detected_in_simulation() -> None:
    noise = [0.0] * 11 + [0.01, 0.02, 0.03]
    assert simulate(noise, changed=1, drop=0.5, trials=100, seed=2).rate == 1.0
    assert simulate(noise, changed=3, drop=0.2, trials=100, seed=3).rate == 1.0


@pytest.mark.parametrize(
    ("probability", "freedom", "table"),
    [(0.975, 1, 12.706), (0.975, 2, 4.303), (0.999, 3, 10.215), (0.999, 4, 7.173),
     (0.99, 5, 3.365), (0.999, 10, 4.144), (0.95, 30, 1.697)],
)  # fmt: skip
def test_t_quantiles_match_the_tables(probability: float, freedom: int, table: float) -> None:
    assert t_quantile(probability, freedom) == pytest.approx(table, abs=5e-4)
