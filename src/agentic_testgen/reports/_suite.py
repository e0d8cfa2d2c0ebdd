"""What every suite report shows, gathered once from the store."""

from __future__ import annotations

from dataclasses import dataclass, field

from agentic_testgen.domain import GOAL
from agentic_testgen.evals.trends import Trend, analyze_trend
from agentic_testgen.storage import (
    LLMUsage,
    RegressionFinding,
    ResultStore,
    StoredResult,
    SuiteRecord,
    metric_means,
)

METRIC_ORDER = (
    "correctness", "pass_rate", "coverage", "completeness", "assertions", "determinism",
    "readability", "mutation_score",
)  # fmt: skip
TREND_WINDOW = 10


@dataclass(frozen=True)
class SuiteReport:
    """A suite, its results, the mean of each metric, its regression findings, its trend and
    what its test generation spent on models."""

    suite: SuiteRecord
    results: tuple[StoredResult, ...]
    metric_means: dict[str, float]
    regressions: tuple[RegressionFinding, ...]
    trend: Trend
    usage: LLMUsage = field(default_factory=LLMUsage)

    @property
    def level(self) -> str:
        """The evaluation level of the suite's results (unit for test suites)."""
        return self.results[0].level if self.results else "unit"

    @property
    def tests_kept(self) -> int:
        """Generated tests kept, over the suite's entries (0 for reference tests)."""
        return sum(int(r.metadata.get("tests_kept", 0)) for r in self.results)

    @property
    def cost_per_test(self) -> float | None:
        """Model dollars per kept generated test; None when no test was generated."""
        return self.usage.cost_usd / self.tests_kept if self.tests_kept else None

    @property
    def anomalies(self) -> list[str]:
        """One line per flagged series of the trend (the score, then each metric)."""
        flagged = [("score", self.trend.anomaly)] if self.trend.anomaly else []
        flagged += sorted(self.trend.metric_anomalies.items())
        return [f"{name}: {found.reason}" for name, found in flagged if found and found.flagged]

    @property
    def metric_names(self) -> list[str]:
        known = [name for name in METRIC_ORDER if name in self.metric_means]
        return known + sorted(set(self.metric_means) - set(known))

    @property
    def metric_thresholds(self) -> dict[str, float]:
        """Each metric's threshold, as the first result that has the metric records it."""
        thresholds: dict[str, float] = {}
        for stored in self.results:
            for name, metric in (stored.result.metrics if stored.result else {}).items():
                thresholds.setdefault(name, metric.threshold)
        return thresholds

    @property
    def flagged(self) -> tuple[RegressionFinding, ...]:
        return tuple(finding for finding in self.regressions if finding.flagged)

    @property
    def goals(self) -> dict[str, bool]:
        """The 90% coverage and 90% pass-rate goals, on the suite's means and, in a suite of
        several languages, on each language's means (`java: coverage >= 0.90`)."""
        found = _goals(self.metric_means, "")
        languages = sorted({s.result.language.value for s in self.results if s.result})
        if len(languages) > 1:
            for language in languages:
                means = metric_means(
                    s for s in self.results if s.result and s.result.language.value == language
                )
                found |= _goals(means, f"{language}: ")
        return found


def _goals(means: dict[str, float], prefix: str) -> dict[str, bool]:
    return {
        f"{prefix}{name} >= {GOAL:.2f}": means.get(name, 0.0) >= GOAL
        for name in ("coverage", "pass_rate")
    }


def subject(finding: RegressionFinding) -> str:
    """What a finding compares: one entry, or the mean over the paired entries."""
    if finding.entry_id is not None:
        return finding.entry_id
    return f"mean of {finding.paired_entries}"


def format_ci(low: float | None, high: float | None, missing: str = "—") -> str:
    """A 95% interval as `[-0.120, +0.030]`, or `missing` when there were too few pairs."""
    return f"[{low:+.3f}, {high:+.3f}]" if low is not None and high is not None else missing


def build_suite_report(store: ResultStore, suite_id: str) -> SuiteReport:
    suite = store.suite(suite_id)
    results = tuple(store.suite_results(suite_id))
    trend = analyze_trend(
        store, suite.name, TREND_WINDOW, dataset=suite.dataset, generator=suite.generator
    )
    return SuiteReport(
        suite=suite,
        results=results,
        metric_means=metric_means(results),
        regressions=tuple(store.regressions(suite_id)),
        trend=trend,
        usage=store.llm_usage(suite_id),
    )
