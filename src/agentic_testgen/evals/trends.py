"""Trends: moving average, slope, a sparkline and anomalies over the last N results of an
eval."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from agentic_testgen.evals.anomaly import Anomaly, detect, detect_all, metric_series
from agentic_testgen.storage import ResultStore

SPARKS = "▁▂▃▄▅▆▇█"
MOVING_AVERAGE_WINDOW = 3
FLAT_SLOPE = 0.005  # per run: below this, a series is "stable"


@dataclass(frozen=True)
class TrendPoint:
    id: str
    at: datetime
    value: float


@dataclass(frozen=True)
class Trend:
    """A series of scores, oldest first, with what it says."""

    eval_name: str
    kind: str  # "suite" (overall scores of suites with that name) or "entry" (one entry's scores)
    points: tuple[TrendPoint, ...]
    moving_average: tuple[float, ...]
    slope: float
    direction: str
    sparkline: str
    dataset: str | None = None  # a suite series is of one dataset and one generator
    generator: str | None = None
    anomaly: Anomaly | None = None  # of the scores (evals/anomaly.py)
    # each metric's series (a suite's mean over its entries, or the entry's value), by name
    metric_anomalies: Mapping[str, Anomaly] = field(default_factory=dict)

    @property
    def flagged_metrics(self) -> dict[str, Anomaly]:
        """The metrics whose series the detectors flagged."""
        return {name: found for name, found in self.metric_anomalies.items() if found.flagged}

    @property
    def latest(self) -> float | None:
        return self.points[-1].value if self.points else None

    @property
    def mean(self) -> float | None:
        return statistics.fmean(p.value for p in self.points) if self.points else None


def moving_average(values: list[float], window: int = MOVING_AVERAGE_WINDOW) -> list[float]:
    """Trailing mean over up to `window` values."""
    return [statistics.fmean(values[max(0, i - window + 1) : i + 1]) for i in range(len(values))]


def slope(values: list[float]) -> float:
    """Least-squares change per run (0 for fewer than two values)."""
    if len(values) < 2:
        return 0.0
    xs = range(len(values))
    x_mean, y_mean = statistics.fmean(xs), statistics.fmean(values)
    spread = sum((x - x_mean) ** 2 for x in xs)
    return sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, values, strict=True)) / spread


def sparkline(values: list[float], low: float = 0.0, high: float = 1.0) -> str:
    """One block character per value on a fixed 0..1 scale, so sparklines compare across evals."""
    span = high - low or 1.0
    return "".join(
        SPARKS[min(int((min(max(v, low), high) - low) / span * len(SPARKS)), len(SPARKS) - 1)]
        for v in values
    )


def analyze_trend(
    store: ResultStore,
    eval_name: str,
    window: int = 10,
    *,
    dataset: str | None = None,
    generator: str | None = None,
) -> Trend:
    """The last `window` completed suites named `eval_name` over one dataset with one generator
    (by default those of its latest suite: runs of another dataset are not the same series),
    or else results of that entry."""
    latest = store.latest_suite(eval_name)
    if latest is not None:
        dataset = dataset if dataset is not None else latest.dataset
        generator = generator if generator is not None else latest.generator
    suites = store.suites(
        eval_name, limit=window, status="completed", dataset=dataset, generator=generator
    )
    metrics: list[Mapping[str, float]]
    if suites:
        kind = "suite"
        points = [TrendPoint(s.id, s.started_at, s.overall_score or 0.0) for s in suites]
        means = store.suite_metric_means([s.id for s in suites])
        metrics = [means.get(s.id, {}) for s in suites]
    else:
        kind = "entry"
        results = store.result_history(eval_name, limit=window)
        points = [TrendPoint(r.id, r.created_at, r.score or 0.0) for r in results]
        metrics = [r.metrics for r in results]
    values = [p.value for p in points]
    change = slope(values)
    direction = "stable" if abs(change) < FLAT_SLOPE else "improving" if change > 0 else "declining"
    return Trend(
        eval_name=eval_name,
        kind=kind,
        dataset=dataset if kind == "suite" else None,
        generator=generator if kind == "suite" else None,
        points=tuple(points),
        moving_average=tuple(moving_average(values)),
        slope=change,
        direction=direction if len(values) > 1 else "stable",
        sparkline=sparkline(values),
        anomaly=detect(values),
        metric_anomalies=detect_all(metric_series(metrics)),
    )
