"""Regression detection: a suite against its baseline, overall and per metric, paired by entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from agentic_testgen.evals._stats import paired_delta
from agentic_testgen.storage import Baseline, RegressionFinding, ResultStore, StoredResult

DEFAULT_THRESHOLD = 0.05


@dataclass(frozen=True)
class RegressionReport:
    """What a regression check compared and found; `detected` when any finding is flagged."""

    eval_name: str
    suite_id: str
    baseline: Baseline | None
    findings: tuple[RegressionFinding, ...] = ()
    note: str = ""

    @property
    def detected(self) -> bool:
        return any(finding.flagged for finding in self.findings)

    @property
    def flagged(self) -> tuple[RegressionFinding, ...]:
        return tuple(finding for finding in self.findings if finding.flagged)


def _by_entry(results: list[StoredResult], metric: str) -> dict[str, float]:
    values: dict[str, float] = {}
    for result in results:
        value = result.score if metric == "score" else result.metrics.get(metric)
        if result.entry_id is not None and value is not None:
            values[result.entry_id] = value
    return values


def compare_values(
    eval_name: str,
    metric: str,
    baseline: dict[str, float],
    current: dict[str, float],
    *,
    threshold: float,
    baseline_value: float | None = None,
    baseline_suite_id: str | None = None,
    seed: int = 0,
) -> RegressionFinding:
    """Flag a drop of more than `threshold` that the paired test does not put down to noise.

    With three or more shared entries the drop must also be significant (the bootstrap interval
    of the paired mean difference lies below zero); with fewer, the threshold alone decides.
    """
    shared = sorted(baseline.keys() & current.keys())
    paired = paired_delta([baseline[e] for e in shared], [current[e] for e in shared], seed=seed)
    before = baseline_value if baseline_value is not None else _mean(baseline.values())
    after = _mean(current.values())
    delta = paired.mean if shared else after - before
    noise = paired.low is not None and not paired.significant
    return RegressionFinding(
        eval_name=eval_name,
        metric=metric,
        baseline_value=before,
        current_value=after,
        delta=delta,
        flagged=delta < -threshold and not noise,
        ci_low=paired.low,
        ci_high=paired.high,
        paired_entries=paired.pairs,
        baseline_suite_id=baseline_suite_id,
    )


def _mean(values: Iterable[float]) -> float:
    found = list(values)
    return sum(found) / len(found) if found else 0.0


def check_regression(
    store: ResultStore,
    suite_id: str,
    eval_name: str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 0,
    record: bool = True,
) -> RegressionReport:
    """Compare suite `suite_id` with the baseline of `eval_name`; store what was found."""
    baseline = store.baseline(eval_name)
    if baseline is None:
        note = (
            f"no baseline for {eval_name!r} yet: set one with `atg eval baseline set {eval_name}`"
        )
        return RegressionReport(eval_name, suite_id, None, note=note)
    current = store.suite_results(suite_id)
    before = store.suite_results(baseline.suite_id) if baseline.suite_id else []
    metrics = ["score", *sorted({name for r in current for name in r.metrics})]
    findings = tuple(
        compare_values(
            eval_name,
            metric,
            _by_entry(before, metric),
            _by_entry(current, metric),
            threshold=threshold,
            baseline_value=(
                baseline.baseline_score
                if metric == "score"
                else baseline.baseline_metrics.get(metric)
            ),
            baseline_suite_id=baseline.suite_id,
            seed=seed,
        )
        for metric in metrics
    )
    if record:
        store.add_regressions(suite_id, findings)
    return RegressionReport(eval_name, suite_id, baseline, findings)
