"""Geometry of the inline SVG charts: computed here, drawn by the templates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agentic_testgen.evals.trends import TrendPoint

# A bar within this distance under its own threshold is amber (close), further under it red.
AMBER_MARGIN = 0.15
GREEN, AMBER, RED = "#2da44e", "#d4a72c", "#cf222e"

BAR_LABEL_WIDTH = 130
BAR_WIDTH = 360
BAR_ROW_HEIGHT = 24
BAR_HEIGHT = 16

TREND_WIDTH, TREND_HEIGHT = 640, 200
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 40, 20, 14, 36
TREND_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
# dates drawn under the x axis; more would overlap on a 640-unit-wide chart
TREND_MAX_DATE_LABELS = 6


def _unit(value: float) -> float:
    return max(0.0, min(1.0, value))


def bar_colour(value: float, threshold: float) -> str:
    """Green at or above the metric's own threshold, amber just under it, red well under it."""
    if value >= threshold:
        return GREEN
    return AMBER if value >= threshold - AMBER_MARGIN else RED


@dataclass(frozen=True)
class Bar:
    """One metric's mean as a bar, with its own threshold marked across it."""

    name: str
    value: float
    threshold: float | None
    y: float
    width: float
    threshold_x: float | None
    colour: str


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    label_width: int
    bar_width: int
    bar_height: int
    width: int
    height: int


def metric_bars(
    means: Mapping[str, float], thresholds: Mapping[str, float], names: Sequence[str]
) -> BarChart:
    """Horizontal bars on a 0..1 scale, each coloured against its own metric's threshold."""
    bars = []
    for index, name in enumerate(names):
        value = _unit(means[name])
        threshold = thresholds.get(name)
        bars.append(
            Bar(
                name=name,
                value=value,
                threshold=threshold,
                y=index * BAR_ROW_HEIGHT + 4,
                width=round(value * BAR_WIDTH, 1),
                threshold_x=None
                if threshold is None
                else round(BAR_LABEL_WIDTH + _unit(threshold) * BAR_WIDTH, 1),
                colour=GREEN if threshold is None else bar_colour(value, threshold),
            )
        )
    return BarChart(
        bars=tuple(bars),
        label_width=BAR_LABEL_WIDTH,
        bar_width=BAR_WIDTH,
        bar_height=BAR_HEIGHT,
        width=BAR_LABEL_WIDTH + BAR_WIDTH + 110,
        height=BAR_ROW_HEIGHT * len(names) + 8,
    )


@dataclass(frozen=True)
class TrendDot:
    x: float
    y: float
    value: float
    title: str


@dataclass(frozen=True)
class AxisLabel:
    position: float
    text: str


@dataclass(frozen=True)
class TrendChart:
    """A line of suite scores over time: y ticks on the left, dates under the x axis."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    polyline: str
    dots: tuple[TrendDot, ...]
    y_labels: tuple[AxisLabel, ...]
    x_labels: tuple[AxisLabel, ...]
    goal_y: float


def _spread(count: int, most: int) -> list[int]:
    """Up to `most` indexes from 0 to count - 1, evenly spaced, first and last included."""
    if count <= most:
        return list(range(count))
    step = (count - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})


def trend_chart(points: Sequence[TrendPoint], goal: float) -> TrendChart | None:
    """The chart of `points` (oldest first), or None when there is nothing to draw."""
    if not points:
        return None
    inner_w = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    inner_h = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    step = inner_w / max(len(points) - 1, 1)

    def y_of(value: float) -> float:
        return round(TREND_TOP + (1 - _unit(value)) * inner_h, 1)

    dots = tuple(
        TrendDot(
            x=round(TREND_LEFT + index * step, 1),
            y=y_of(point.value),
            value=point.value,
            title=f"{point.id} ({point.at:%Y-%m-%d %H:%M}): {point.value:.3f}",
        )
        for index, point in enumerate(points)
    )
    # one label per day at most: several suites on one day would print the same date
    dates = [f"{point.at:%Y-%m-%d}" for point in points]
    shown = [i for i in _spread(len(points), TREND_MAX_DATE_LABELS)
             if i == 0 or dates[i] != dates[i - 1]]  # fmt: skip
    return TrendChart(
        width=TREND_WIDTH,
        height=TREND_HEIGHT,
        left=TREND_LEFT,
        right=TREND_RIGHT,
        top=TREND_TOP,
        bottom=TREND_BOTTOM,
        polyline=" ".join(f"{dot.x},{dot.y}" for dot in dots),
        dots=dots,
        y_labels=tuple(AxisLabel(y_of(tick), f"{tick:.2f}") for tick in TREND_TICKS),
        x_labels=tuple(AxisLabel(dots[i].x, dates[i]) for i in shown),
        goal_y=y_of(goal),
    )
