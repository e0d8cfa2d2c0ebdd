"""Score calibration: rank statistics, the shipped labeled set, and the goals the score meets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentic_testgen.config import RunSettings, ScoringSettings, Settings
from agentic_testgen.evals._stats import average_ranks, spearman
from agentic_testgen.evals.calibration import (
    LABELS,
    CalibrationRecord,
    LabelsError,
    calibration_report,
    evaluate_labeled,
    load_labels,
    score_record,
)

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "tests" / "calibration" / "labels.yaml"
STORED = ROOT / "bench" / "results" / "calibration.json"
GOAL = 0.70


def stored_records() -> list[CalibrationRecord]:
    return [CalibrationRecord.from_json(entry) for entry in json.loads(STORED.read_text())["files"]]


def record(label: str, **metrics: float) -> CalibrationRecord:
    return CalibrationRecord("t.py", "m.py", label, 1, metrics)


def test_tied_values_share_the_mean_of_their_ranks() -> None:
    assert average_ranks([10.0, 20.0, 20.0, 5.0]) == [2.0, 3.5, 3.5, 1.0]


def test_spearman_is_one_for_the_same_order_and_minus_one_for_the_reverse() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 400]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)


def test_spearman_with_ties_matches_pearson_of_average_ranks() -> None:
    # ranks [1, 2.5, 2.5, 4] and [1, 3, 2, 4]: covariance 4.5 / sqrt(4.5 * 5)
    assert spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(4.5 / (4.5 * 5) ** 0.5)


def test_spearman_of_a_constant_side_is_zero() -> None:
    assert spearman([1, 1, 1], [1, 2, 3]) == 0.0


def test_spearman_refuses_sequences_of_different_length() -> None:
    with pytest.raises(ValueError, match="same length"):
        spearman([1, 2], [1])


def test_the_shipped_set_has_every_label_over_ten_modules() -> None:
    labeled = load_labels(SET)
    assert len(labeled) >= 40
    assert len({item.module for item in labeled}) >= 10
    assert {item.label for item in labeled} == set(LABELS)
    groups = {item.label: item.rank_group for item in labeled}
    assert groups["strong"] < groups["partial"] < groups["wrong"] < groups["assertion-free"]


def test_a_labels_file_naming_a_missing_test_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("x = 1\n")
    labels = tmp_path / "labels.yaml"
    labels.write_text("files:\n  - {tests: t.py, module: m.py, label: strong, rank_group: 1}\n")
    with pytest.raises(LabelsError, match=r"entry 1: .*t\.py does not exist"):
        load_labels(labels)


def test_an_unknown_label_is_refused(tmp_path: Path) -> None:
    labels = tmp_path / "labels.yaml"
    labels.write_text("files:\n  - {tests: t.py, module: m.py, label: great}\n")
    with pytest.raises(LabelsError, match="unknown label 'great'"):
        load_labels(labels)


def test_a_file_without_a_mutation_score_counts_as_catching_nothing() -> None:
    assert record("wrong", coverage=0.8).true_mutation_score == 0.0


def test_a_file_under_half_coverage_is_capped_at_fair_whatever_its_score() -> None:
    scored = score_record(
        record("partial", coverage=0.4, assertions=1.0, pass_rate=1.0, mutation_score=1.0),
        ScoringSettings(),
    )
    assert scored.score == pytest.approx((0.15 * 0.4 + 0.20 + 0.10 + 0.25) / 0.70)
    assert scored.level == "fair"
    assert scored.capped_by == {"coverage": 0.4}


def test_the_report_lists_files_under_half_coverage_rated_good() -> None:
    records = [record("strong", coverage=0.4, mutation_score=1.0), record("partial", coverage=1)]
    report = calibration_report(records, ScoringSettings(gates={}))
    assert [item.record.label for item in report.gate_violations] == ["strong"]
    # (0.15 * 0.4 + 0.25 * 1.0) / (0.15 + 0.25)
    assert report.label_ranges["strong"] == pytest.approx((0.775, 0.775, 0.775))


def test_the_default_score_ranks_the_stored_set_like_its_mutation_score() -> None:
    report = calibration_report(stored_records(), ScoringSettings())
    assert report.spearman >= GOAL
    assert report.gate_violations == ()
    assert (
        report.spearman_without_mutation
        > calibration_report(
            stored_records(), ScoringSettings(weights={"coverage": 1.0})
        ).spearman_without_mutation
    )


def test_no_assertion_free_or_flaky_file_of_the_stored_set_is_rated_good() -> None:
    report = calibration_report(stored_records(), ScoringSettings())
    levels = {item.level for item in report.scored if item.record.label != "strong"}
    by_label = {
        item.level for item in report.scored if item.record.label in ("assertion-free", "flaky")
    }
    assert by_label <= {"fair", "poor"}
    assert "excellent" not in levels


@pytest.mark.slow
def test_the_shipped_set_evaluated_for_real_meets_the_calibration_goals() -> None:
    settings = Settings(run=RunSettings(reruns=2, test_timeout_s=3.0, mutation=True))
    records = evaluate_labeled(load_labels(SET), settings, root=ROOT)
    report = calibration_report(records, ScoringSettings())
    assert report.spearman >= GOAL, report.spearman
    assert report.gate_violations == ()
    under_half = [r for r in records if r.metrics["coverage"] < 0.5]
    assert under_half, "the set should hold files under 50 % coverage for the gate to matter"
