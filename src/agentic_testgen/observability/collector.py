"""The scrape-time collector: every metric family, read from storage when Prometheus asks.

It keeps no state of its own, so a restarted exporter serves the same counters, and work done by
any process that wrote to the database (CLI runs, CI jobs, workers) is counted.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator

from prometheus_client import CollectorRegistry, GCCollector, PlatformCollector, ProcessCollector
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from agentic_testgen import __version__
from agentic_testgen.config import BusinessSettings
from agentic_testgen.domain import EVAL_LEVELS, EVALUATOR_SUITES, GOAL
from agentic_testgen.evals.anomaly import detect_all, metric_series
from agentic_testgen.signals.definitions import METRICS, MetricDefinition
from agentic_testgen.signals.rollups import Labels
from agentic_testgen.storage import (
    SCHEMA_VERSION,
    ObservedState,
    ResultStore,
    ResultSummary,
    SuiteSummary,
    metric_means,
)

Rollups = dict[str, dict[Labels, dict[str, float]]]  # family -> labels -> field -> value


class StorageCollector(Collector):
    """Yields every family of `definitions.METRICS` from one read of the store; the business
    estimates use the assumptions of `business` (docs/business-metrics.md)."""

    def __init__(self, store: ResultStore, business: BusinessSettings | None = None) -> None:
        self.store = store
        self.business = business or BusinessSettings()

    def collect(self) -> Iterator[Metric]:
        rows, state = self.store.metrics_snapshot()
        sums = _group(rows)
        gauges = _gauges(state, sums, self.business)
        for metric in METRICS:
            if metric.kind == "counter":
                yield _counter(metric, sums.get(metric.name, {}))
            elif metric.kind == "histogram":
                yield _histogram(metric, sums.get(metric.name, {}))
            else:
                family = GaugeMetricFamily(metric.name, metric.help, labels=metric.labels)
                for labels, value in gauges.get(metric.name, {}).items():
                    family.add_metric([v for _, v in labels], value)
                yield family


def build_registry(
    store: ResultStore, business: BusinessSettings | None = None
) -> CollectorRegistry:
    """A registry with the storage collector and the process, platform and GC collectors."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StorageCollector(store, business))
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    return registry


def _group(rows: Iterable[tuple[str, Labels, str, float]]) -> Rollups:
    grouped: Rollups = defaultdict(lambda: defaultdict(dict))
    for family, labels, field, value in rows:
        grouped[family][labels][field] = value
    return grouped


def _counter(metric: MetricDefinition, series: dict[Labels, dict[str, float]]) -> Metric:
    family = CounterMetricFamily(metric.name, metric.help, labels=metric.labels)
    if not series and not metric.labels:
        series = {(): {"value": 0.0}}  # an unlabelled counter exists from the start
    for labels, fields in sorted(series.items()):
        family.add_metric([value for _, value in labels], fields.get("value", 0.0))
    return family


def _histogram(metric: MetricDefinition, series: dict[Labels, dict[str, float]]) -> Metric:
    family = HistogramMetricFamily(metric.name, metric.help, labels=metric.labels)
    if not series and not metric.labels:
        series = {(): {}}
    for labels, fields in sorted(series.items()):
        cumulative = 0.0
        buckets: list[tuple[str, float]] = []
        for index, bound in enumerate((*metric.buckets, float("inf"))):
            cumulative += fields.get(f"bucket:{index}", 0.0)
            buckets.append(("+Inf" if bound == float("inf") else repr(float(bound)), cumulative))
        family.add_metric([value for _, value in labels], buckets, fields.get("sum", 0.0))
    return family


def _gauges(
    state: ObservedState, sums: Rollups, business: BusinessSettings
) -> dict[str, dict[Labels, float]]:
    """Gauge name -> labels -> value, from the latest suites and the rollups."""
    out: dict[str, dict[Labels, float]] = defaultdict(dict)
    newest_first = sorted(state.suites, key=lambda suite: suite.completed_at, reverse=True)
    for language, results in _latest_by_language(newest_first).items():
        key = (("language", language),)
        for gauge, metric_name in (
            ("test_coverage_ratio", "coverage"),
            ("test_pass_rate_ratio", "pass_rate"),
            ("test_mutation_score_ratio", "mutation_score"),
        ):
            values = [r.metrics[metric_name] for r in results if metric_name in r.metrics]
            if values:
                out[gauge][key] = statistics.fmean(values)
        goals = [
            r.metrics.get("coverage", 0.0) >= GOAL and r.metrics.get("pass_rate", 0.0) >= GOAL
            for r in results
        ]
        out["goal_achievement_ratio"][key] = sum(goals) / len(goals)
        out["flaky_tests"][key] = float(sum(r.flaky_tests for r in results))
    for suite in newest_first:
        name = (("eval_name", suite.name),)
        out["eval_score"][(*name, ("level", suite.level))] = suite.overall_score
        out["last_suite_completed_timestamp_seconds"][name] = suite.completed_at.timestamp()
        out["regression_detected"][name] = float(suite.regressions_flagged)
        for metric_name, value in metric_means(suite.results).items():
            out["eval_metric_ratio"][(*name, ("metric", metric_name))] = value
    for level in EVAL_LEVELS:
        scores = [suite.overall_score for suite in newest_first if suite.level == level]
        if scores:
            out["eval_level_score"][(("level", level),)] = statistics.fmean(scores)
    _anomaly_gauges(state, out)
    for eval_name, score in state.baselines.items():
        out["baseline_score"][(("eval_name", eval_name),)] = score
    checked = [suite for suite in state.suites if suite.regression_checked]
    if checked:
        regressed = sum(suite.regressions_flagged > 0 for suite in checked)
        out["regression_rate"][()] = regressed / len(checked)
    out["active_sessions"][()] = float(state.active_sessions)
    tested = [suite for suite in newest_first if suite.name not in EVALUATOR_SUITES]
    if tested:
        _latest_suite_gauges(tested[0], out, business)
    kept = _value(sums, "generated_tests_total", (("status", "kept"),))
    out["developer_time_saved_seconds"][()] = kept * business.minutes_saved_per_test * 60
    caught = _value(sums, "seeded_bugs_total", (("result", "caught"),))
    seeded = caught + _value(sums, "seeded_bugs_total", (("result", "missed"),))
    if seeded:
        out["bug_detection_rate"][(("source", "seeded_bugs"),)] = caught / seeded
    checks = sum(f.get("value", 0.0) for f in sums.get("guardrails_checks_total", {}).values())
    violations = sum(
        f.get("value", 0.0) for f in sums.get("guardrails_violations_total", {}).values()
    )
    out["safety_score"][()] = 1.0 - min(violations, checks) / checks if checks else 1.0
    out["atg_build_info"][(("version", __version__), ("schema_version", SCHEMA_VERSION))] = 1.0
    return out


def _anomaly_gauges(state: ObservedState, out: dict[str, dict[Labels, float]]) -> None:
    """`eval_metric_anomaly`: the score and each metric of the latest suite of each name, over
    that name's history (evals/anomaly.py), as -1 (a flagged drop), 1 (a rise) or 0."""
    for eval_name, history in state.histories.items():
        series = {
            "score": [point.score for point in history],
            **metric_series([point.metrics for point in history]),
        }
        for metric, anomaly in detect_all(series).items():
            labels = (("eval_name", eval_name), ("metric", metric))
            out["eval_metric_anomaly"][labels] = float(anomaly.signed_flag)


def _latest_suite_gauges(
    suite: SuiteSummary, out: dict[str, dict[Labels, float]], business: BusinessSettings
) -> None:
    """The unlabelled gauges: the most recent suite of any name."""
    out["test_quality_score"][()] = suite.overall_score
    mutation = [r.metrics["mutation_score"] for r in suite.results if "mutation_score" in r.metrics]
    if mutation:
        out["bug_detection_rate"][(("source", "mutants"),)] = statistics.fmean(mutation)
    tests = sum(r.tests for r in suite.results)
    if tests:
        out["false_positive_rate"][()] = sum(r.unreliable_tests for r in suite.results) / tests
    flaky = sum(r.flaky_tests for r in suite.results)
    out["test_maintenance_cost_seconds"][()] = flaky * business.minutes_to_fix_flaky_test * 60


def _latest_by_language(newest_first: list[SuiteSummary]) -> dict[str, list[ResultSummary]]:
    """Language -> the results in that language of the most recent suite that has any."""
    found: dict[str, list[ResultSummary]] = {}
    for suite in newest_first:
        languages = {r.language for r in suite.results if r.language and r.language not in found}
        for language in languages:
            found[language] = [r for r in suite.results if r.language == language]
    return found


def _value(sums: Rollups, family: str, labels: Labels) -> float:
    return sums.get(family, {}).get(labels, {}).get("value", 0.0)
