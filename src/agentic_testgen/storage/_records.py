"""What the store hands back: plain frozen records, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from agentic_testgen.domain import EvalResult


@dataclass(frozen=True)
class SuiteRecord:
    """One suite run: what it ran and its aggregate outcome (`status`: running, completed)."""

    id: str
    name: str
    status: str
    started_at: datetime
    dataset: str | None = None
    dataset_hash: str | None = None
    generator: str | None = None
    description: str | None = None
    overall_score: float | None = None
    quality_level: str | None = None
    completed_at: datetime | None = None
    duration_seconds: float | None = None
    total_evals: int = 0
    passed_evals: int = 0
    failed_evals: int = 0
    planned_entries: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredResult:
    """One entry's stored evaluation; `result` is None when the evaluation itself failed."""

    id: str
    eval_name: str
    status: str
    score: float | None
    quality_level: str | None
    passed: bool | None
    metrics: dict[str, float]
    created_at: datetime
    duration_seconds: float | None = None
    entry_id: str | None = None
    errors: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    result: EvalResult | None = None
    level: str = "unit"  # the evaluation level (unit, component, agent, system, business)


@dataclass(frozen=True)
class LLMUsage:
    """What a suite's test generation spent on models: which models, how many calls, the cost."""

    models: tuple[str, ...] = ()
    calls: int = 0
    cost_usd: float = 0.0


@dataclass(frozen=True)
class Baseline:
    """The suite a suite name is compared against, for one dataset and generator."""

    eval_name: str
    baseline_score: float
    baseline_metrics: dict[str, float]
    set_at: datetime
    suite_id: str | None = None
    dataset: str = ""
    generator: str = ""


@dataclass(frozen=True)
class RegressionFinding:
    """A comparison of one value (the score or a metric) against its baseline."""

    eval_name: str
    metric: str
    baseline_value: float
    current_value: float
    delta: float
    flagged: bool
    ci_low: float | None = None
    ci_high: float | None = None
    paired_entries: int = 0
    baseline_suite_id: str | None = None
    entry_id: str | None = None  # a per-entry finding; None: the mean over paired entries


@dataclass(frozen=True)
class ResultSummary:
    """One entry of a suite, as the metric gauges need it."""

    language: str | None
    score: float | None
    passed: bool
    metrics: dict[str, float]
    tests: int = 0
    flaky_tests: int = 0
    unreliable_tests: int = 0  # failed, errored or flaked
    level: str = "unit"  # the evaluation level (unit, component, agent, system, business)


@dataclass(frozen=True)
class SuiteSummary:
    """The latest completed suite of one name, with its entries and its regression check."""

    id: str
    name: str
    overall_score: float
    quality_level: str | None
    completed_at: datetime
    results: tuple[ResultSummary, ...]
    regressions_flagged: int = 0
    regression_checked: bool = False

    @property
    def level(self) -> str:
        """The evaluation level of the suite's results (a suite holds one level)."""
        return self.results[0].level if self.results else "unit"


@dataclass(frozen=True)
class HistoryPoint:
    """One completed suite in the history of its name: its score and each metric's mean."""

    suite_id: str
    score: float
    metrics: dict[str, float]


@dataclass(frozen=True)
class ObservedState:
    """What the gauges show at a scrape: the latest suite of each name, baselines, live runs,
    and each name's recent history (oldest first, over the latest suite's dataset and
    generator)."""

    suites: tuple[SuiteSummary, ...]
    baselines: dict[str, float]
    active_sessions: int
    histories: dict[str, tuple[HistoryPoint, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class EntryActivity:
    """One stored entry of a test suite, as the SLOs read it."""

    at: datetime
    suite: str
    generated: bool  # its tests came from a generator, not the dataset
    failed: bool  # no evaluation was stored (generation or evaluation failed)
    generation_seconds: float | None = None
    tests_kept: int = 0
    coverage: float | None = None
    pass_rate: float | None = None
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Spend:
    """One model call's cost, with the model and the tags of the suite it was made for."""

    at: datetime
    cost_usd: float
    model: str = ""
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Activity:
    """What was stored between `since` and `until`: test-suite entries, model spend and
    red-team attacks (time, stopped, tried)."""

    since: datetime
    until: datetime
    entries: tuple[EntryActivity, ...] = ()
    llm_costs: tuple[Spend, ...] = ()
    attacks: tuple[tuple[datetime, int, int], ...] = ()

    def last(self, hours: float) -> Activity:
        """The part of this activity in the last `hours` before `until`."""
        since = max(self.since, self.until - timedelta(hours=hours))
        return Activity(
            since, self.until,
            tuple(e for e in self.entries if e.at >= since),
            tuple(c for c in self.llm_costs if c.at >= since),
            tuple(a for a in self.attacks if a[0] >= since),
        )  # fmt: skip
