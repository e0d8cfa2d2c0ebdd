"""Scoring: weighted mean of metric values, gated quality level, pass line; a pure function of a
run."""

from __future__ import annotations

from datetime import UTC, datetime

from agentic_testgen import __version__
from agentic_testgen.config import QUALITY_LEVEL_NAMES, ScoringSettings
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


def failed_gates(metrics: dict[str, MetricValue], gates: dict[str, float]) -> dict[str, float]:
    """The gated metrics present in `metrics` whose value is under the gate's minimum."""
    return {
        name: metrics[name].value
        for name, minimum in gates.items()
        if name in metrics and metrics[name].value < minimum
    }


def quality_level(
    score: float, metrics: dict[str, MetricValue], scoring: ScoringSettings
) -> tuple[str, dict[str, float]]:
    """The level the score reaches, capped at `scoring.gated_level` while a gate fails.

    Returns the level and the failed gates (metric -> value), empty when none capped it.
    """
    level = scoring.levels.level(score)
    failed = failed_gates(metrics, scoring.gates)
    if failed and QUALITY_LEVEL_NAMES.index(level) < QUALITY_LEVEL_NAMES.index(scoring.gated_level):
        return scoring.gated_level, failed
    return level, {}


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
    level, capped_by = quality_level(score, metrics, scoring)
    notes = outcome.notes
    if capped_by:
        reasons = ", ".join(
            f"{name} {value:.2f} < {scoring.gates[name]:.2f}" for name, value in capped_by.items()
        )
        notes = (*notes, f"quality level capped at {level}: {reasons}")
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
        notes=notes,
        duration_s=outcome.duration_s,
        created_at=datetime.now(UTC),
        atg_version=__version__,
        integrity=outcome.integrity,
    )
