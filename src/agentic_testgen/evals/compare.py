"""A/B comparison of two suites: per-metric deltas with confidence intervals, wins and losses."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from agentic_testgen.evals._stats import paired_delta
from agentic_testgen.storage import ResultStore, StoredResult, SuiteRecord

TIE = 0.005


@dataclass(frozen=True)
class MetricComparison:
    """`b - a` for one value over the shared entries; `significant` when the CI excludes 0."""

    name: str
    mean_a: float
    mean_b: float
    delta: float
    ci_low: float | None
    ci_high: float | None
    significant: bool


@dataclass(frozen=True)
class EntryComparison:
    entry_id: str
    score_a: float
    score_b: float

    @property
    def delta(self) -> float:
        return self.score_b - self.score_a


@dataclass(frozen=True)
class SuiteComparison:
    suite_a: SuiteRecord
    suite_b: SuiteRecord
    metrics: tuple[MetricComparison, ...]
    entries: tuple[EntryComparison, ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]

    @property
    def wins(self) -> int:
        """Entries where B scored higher than A."""
        return sum(1 for e in self.entries if e.delta > TIE)

    @property
    def losses(self) -> int:
        return sum(1 for e in self.entries if e.delta < -TIE)

    @property
    def ties(self) -> int:
        return len(self.entries) - self.wins - self.losses

    @property
    def verdict(self) -> str:
        score = self.metrics[0]
        if not score.significant:
            return "no significant difference"
        better = "B" if score.delta > 0 else "A"
        return f"{better} is better (score {score.delta:+.3f}, CI excludes 0)"


def _values(results: list[StoredResult], metric: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for result in results:
        value = result.score if metric == "score" else result.metrics.get(metric)
        if result.entry_id and value is not None:
            out[result.entry_id] = value
    return out


def compare_suites(
    store: ResultStore, suite_a: str, suite_b: str, *, seed: int = 0
) -> SuiteComparison:
    """Compare suite B against suite A over the entries both evaluated."""
    a, b = store.suite(suite_a), store.suite(suite_b)
    results_a, results_b = store.suite_results(a.id), store.suite_results(b.id)
    scores_a, scores_b = _values(results_a, "score"), _values(results_b, "score")
    shared = sorted(scores_a.keys() & scores_b.keys())
    names = ["score", *sorted({n for r in results_a + results_b for n in r.metrics})]
    metrics = []
    for name in names:
        values_a, values_b = _values(results_a, name), _values(results_b, name)
        common = [e for e in shared if e in values_a and e in values_b]
        before, after = [values_a[e] for e in common], [values_b[e] for e in common]
        paired = paired_delta(before, after, seed=seed)
        metrics.append(
            MetricComparison(
                name=name,
                mean_a=statistics.fmean(before) if before else 0.0,
                mean_b=statistics.fmean(after) if after else 0.0,
                delta=paired.mean,
                ci_low=paired.low,
                ci_high=paired.high,
                significant=paired.significant,
            )
        )
    return SuiteComparison(
        suite_a=a,
        suite_b=b,
        metrics=tuple(metrics),
        entries=tuple(EntryComparison(e, scores_a[e], scores_b[e]) for e in shared),
        only_a=tuple(sorted(scores_a.keys() - scores_b.keys())),
        only_b=tuple(sorted(scores_b.keys() - scores_a.keys())),
    )
