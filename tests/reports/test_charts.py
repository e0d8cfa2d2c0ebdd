"""Chart geometry: bars against their own thresholds, a dated trend axis with readable labels."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from agentic_testgen.evals.trends import TrendPoint
from agentic_testgen.reports._charts import (
    AMBER,
    GREEN,
    RED,
    TREND_MAX_DATE_LABELS,
    metric_bars,
    trend_chart,
)

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_a_bar_is_coloured_against_its_own_threshold_not_a_common_one() -> None:
    chart = metric_bars(
        {"readability": 0.75, "coverage": 0.8, "mutation_score": 0.5},
        {"readability": 0.7, "coverage": 0.9, "mutation_score": 0.8},
        ["readability", "coverage", "mutation_score"],
    )
    colours = {bar.name: bar.colour for bar in chart.bars}
    # 0.75 passes readability's 0.7; 0.8 is just under coverage's 0.9; 0.5 is far under 0.8
    assert colours == {"readability": GREEN, "coverage": AMBER, "mutation_score": RED}
    ticks = {bar.name: bar.threshold_x for bar in chart.bars}
    assert ticks["readability"] != ticks["coverage"] != ticks["mutation_score"]


def test_a_metric_without_a_threshold_has_no_tick() -> None:
    chart = metric_bars({"custom": 0.3}, {}, ["custom"])
    assert chart.bars[0].threshold_x is None


def test_trend_axis_shows_dates_and_never_more_labels_than_fit() -> None:
    points = [TrendPoint(f"suite_{i}", START + timedelta(days=i), 0.5 + i / 40) for i in range(12)]
    chart = trend_chart(points, goal=0.9)
    assert chart is not None
    texts = [label.text for label in chart.x_labels]
    assert texts[0] == "2026-03-01" and texts[-1] == "2026-03-12"
    assert len(texts) <= TREND_MAX_DATE_LABELS
    gaps = [b.position - a.position for a, b in itertools.pairwise(chart.x_labels)]
    assert min(gaps) >= 70  # a 10-character date at font size 10 is about 55 units wide


def test_several_suites_on_one_day_print_the_date_once() -> None:
    points = [TrendPoint(f"suite_{i}", START + timedelta(hours=i), 0.8) for i in range(3)]
    chart = trend_chart(points, goal=0.9)
    assert chart is not None
    assert [label.text for label in chart.x_labels] == ["2026-03-01"]


def test_y_labels_are_far_enough_apart_not_to_overlap() -> None:
    chart = trend_chart([TrendPoint("suite_a", START, 0.7)], goal=0.9)
    assert chart is not None
    positions = sorted(label.position for label in chart.y_labels)
    assert min(b - a for a, b in itertools.pairwise(positions)) >= 14  # font 10
    assert chart.goal_y not in positions  # the goal is a dashed line, not a crowded tick


def test_no_points_no_chart() -> None:
    assert trend_chart([], goal=0.9) is None
