"""Scoring: weighted mean of metric values, quality level, pass line; a pure function of a run."""

from __future__ import annotations

from datetime import UTC, datetime

from agentic_testgen import __version__
from agentic_testgen.config import ScoringSettings
from agentic_testgen.domain import (
    EvalResult,
    GeneratedTests,
    MetricValue,
    RunOutcome,
    SourceUnit,
    TestReport,
)
from agentic_testgen.evals.metrics import METRICS
from agentic_testgen.observability.tracing import span

# The quality level of a result whose run shows tampering with the harness.
INVALID = "invalid"


def weighted_score(metrics: dict[str, MetricValue], weights: dict[str, float]) -> float:
    """Mean of metric values weighted by `weights`, over the metrics present (renormalised)."""
    used = {name: weight for name, weight in weights.items() if name in metrics and weight > 0}
    total = sum(used.values())
    if not total:
        return 0.0
    return sum(metrics[name].value * weight for name, weight in used.items()) / total


def compute_metrics(
    outcome: RunOutcome, source: SourceUnit, tests: GeneratedTests, scoring: ScoringSettings
) -> dict[str, MetricValue]:
    """Every registered metric, each with its configured threshold (or its own default)."""
    metrics: dict[str, MetricValue] = {}
    for name, factory in METRICS.items():
        threshold = scoring.thresholds.get(name)
        calculator = factory() if threshold is None else factory(threshold=threshold)
        with span(f"metric {name}", {"atg.metric": name}) as current:
            value = calculator.compute(outcome, source, tests)
            if value is not None:
                current.set_attribute("atg.metric.value", value.value)
        if value is not None:
            metrics[name] = value
    return metrics


def score_run(
    outcome: RunOutcome,
    source: SourceUnit,
    tests: GeneratedTests,
    scoring: ScoringSettings,
    *,
    reruns: int,
) -> EvalResult:
    """Turn one run's evidence into a scored `EvalResult` (re-scoring a stored run is exact)."""
    metrics = compute_metrics(outcome, source, tests, scoring)
    score = weighted_score(metrics, scoring.weights)
    level = scoring.levels.level(score)
    if not outcome.integrity.ok:  # evidence the tests tampered with: nothing of it counts
        score, level = 0.0, INVALID
    flaky = outcome.flaky_nodeids()
    return EvalResult(
        score=score,
        quality_level=level,
        passed=score >= scoring.pass_line and outcome.integrity.ok,
        pass_line=scoring.pass_line,
        language=source.language,
        source=source.path,
        tests_file=tests.path or tests.filename,
        metrics=metrics,
        weights=dict(scoring.weights),
        tests=tuple(
            TestReport(
                nodeid=test.nodeid,
                outcome=test.outcome,
                duration_s=test.duration_s,
                flaky=test.nodeid in flaky,
                reached_module=test.reached_module,
                failure=test.failure,
            )
            for test in outcome.tests
        ),
        collection_errors=outcome.collection_errors,
        syntax_error=outcome.syntax_error,
        sandbox=outcome.sandbox,
        reruns=reruns,
        notes=outcome.notes,
        duration_s=outcome.duration_s,
        created_at=datetime.now(UTC),
        atg_version=__version__,
        integrity=outcome.integrity,
    )
