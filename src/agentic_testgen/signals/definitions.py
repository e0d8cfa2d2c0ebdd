"""Every Prometheus metric the exporter serves: name, type, help, labels, buckets — in one place.

Names follow the seed's KPI, KPM and operational tables exactly, plus its "not yet implemented"
business metrics and the OpenTelemetry GenAI client metrics (`gen_ai.client.*`, in Prometheus
form). Labels stay low-cardinality: languages, suite names, providers, models, agents, metric
names — never ids.

`source` says where a value comes from: "rollup" families are sums kept by the store as rows are
written (counters and histograms, correct across exporter restarts and across every writer of
the database); "latest" families are gauges read from the most recent suites at scrape time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["counter", "gauge", "histogram"]
Source = Literal["rollup", "latest"]

# OpenTelemetry GenAI semantic conventions, explicit bucket advice for the client metrics
GEN_AI_DURATION_BUCKETS = (
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
)  # fmt: skip
GEN_AI_TOKEN_BUCKETS = (
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
)  # fmt: skip
# suites and entries take seconds to tens of minutes; tests and files are small
EVAL_DURATION_BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800)
SUITE_DURATION_BUCKETS = (10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)
TEST_DURATION_BUCKETS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10)
FILE_SIZE_BUCKETS = (256, 1024, 4096, 16384, 65536, 262144, 1048576)


@dataclass(frozen=True)
class MetricDefinition:
    name: str
    kind: Kind
    help: str
    labels: tuple[str, ...] = ()
    buckets: tuple[float, ...] = ()
    source: Source = "rollup"


def _counter(name: str, help_: str, *labels: str) -> MetricDefinition:
    return MetricDefinition(name, "counter", help_, labels)


def _histogram(name: str, help_: str, buckets: tuple[float, ...], *labels: str) -> MetricDefinition:
    return MetricDefinition(name, "histogram", help_, labels, buckets)


def _gauge(name: str, help_: str, *labels: str) -> MetricDefinition:
    return MetricDefinition(name, "gauge", help_, labels, source="latest")


GEN_AI_LABELS = ("gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_request_model")

METRICS: tuple[MetricDefinition, ...] = (
    # -- generation (seed KPM and operational tables)
    _counter("test_generation_calls_total", "Test files the generator was asked for.", "status"),
    _counter("test_generation_errors_total", "Test generations that produced no usable file."),
    _histogram("test_generation_duration_seconds", "Time to generate the tests of one file.",
               EVAL_DURATION_BUCKETS),
    _histogram("test_file_size_bytes", "Size of the test files evaluated.", FILE_SIZE_BUCKETS),
    _counter("generated_tests_total", "Tests proposed by coders and kept by the critic.", "status"),
    _counter("agent_iterations_total", "Agent steps taken.", "agent"),
    _counter("agent_duration_seconds_total", "Time spent in each agent.", "agent"),
    # -- LLM calls
    _counter("llm_calls_total", "LLM API calls.", "provider", "model"),
    _counter("llm_call_errors_total", "LLM API calls that failed.", "provider", "status"),
    _counter("llm_tokens_total", "Tokens consumed.", "provider", "type"),
    _counter("llm_cost_total", "Estimated cost of LLM calls, in US dollars."),
    # cost attribution: `tag` is a run's tag key (team, project, generator, model,
    # prompt_version...), `value` its value; per test = cost / tests, in PromQL
    _counter("llm_cost_by_tag_total", "LLM cost in US dollars, under each tag of its run.",
             "tag", "value"),
    _counter("generated_tests_by_tag_total", "Generated tests kept, under each tag of their run.",
             "tag", "value"),
    _counter("generated_files_by_tag_total",
             "Generated test files evaluated, under each tag of their run.", "tag", "value"),
    _counter("coverage_points_by_tag_total",
             "Coverage points (percent) gained by generated files, under each tag of their run.",
             "tag", "value"),
    _histogram("llm_call_duration_seconds", "LLM call latency.", GEN_AI_DURATION_BUCKETS,
               "provider", "model"),
    _histogram("gen_ai_client_operation_duration_seconds",
               "GenAI operation duration (OpenTelemetry gen_ai.client.operation.duration).",
               GEN_AI_DURATION_BUCKETS, *GEN_AI_LABELS),
    _histogram("gen_ai_client_token_usage",
               "Tokens used per GenAI operation (OpenTelemetry gen_ai.client.token.usage).",
               GEN_AI_TOKEN_BUCKETS, *GEN_AI_LABELS, "gen_ai_token_type"),
    # -- guardrails
    _counter("guardrails_checks_total", "Guardrail invocations.", "type"),
    _counter("guardrails_violations_total", "Guardrail findings.", "type", "severity"),
    _counter("guardrails_blocks_total", "Actions blocked by a guardrail.", "type"),
    # -- evaluations
    _counter("eval_results_total", "Entries evaluated.", "eval_name", "status"),
    _counter("eval_verdicts_total", "Evaluated entries at or above the pass line, or below.",
             "eval_name", "verdict"),
    _histogram("eval_duration_seconds", "Time to evaluate one entry.", EVAL_DURATION_BUCKETS,
               "eval_name"),
    _counter("eval_suites_completed_total", "Suites run to the end.", "eval_name"),
    _histogram("ci_pipeline_duration_seconds", "Wall time of whole suite runs (a CI job).",
               SUITE_DURATION_BUCKETS, "eval_name"),
    _counter("tests_executed_total", "Tests run, by the runner's verdict.", "language", "outcome"),
    _counter("flaky_tests_total", "Tests whose verdict changed between reruns.", "language"),
    _histogram("test_duration_seconds", "Duration of one test.", TEST_DURATION_BUCKETS,
               "language"),
    _counter("mutants_total", "Mutants run, by verdict.", "language", "status"),
    _counter("eval_integrity_violations_total",
             "Tampering with the harness found in evaluated tests, by kind.", "kind"),
    _counter("metric_threshold_failures_total", "Entry metrics below their threshold.", "metric"),
    # the SLIs of coverage and pass-rate achievement and of guardrail effectiveness (slo.py)
    _counter("seeded_bugs_total",
             "Real bugs seeded into dataset modules, by whether the tests caught them.", "result"),
    _counter("entries_at_goal_total",
             "Evaluated entries whose coverage (pass rate) met the 0.90 goal, or missed it.",
             "metric", "result"),
    _counter("redteam_attacks_total", "Red-team attacks tried, by whether they were stopped.",
             "result"),
    _counter("regression_checks_total", "Values compared with a baseline, flagged or not.",
             "eval_name", "result"),
    _counter("regressions_detected_total", "Regressions flagged (score or a metric).",
             "eval_name"),
    # -- latest state (gauges read at scrape time)
    _gauge("test_coverage_ratio", "Branch coverage of the latest suite, mean over entries.",
           "language"),
    _gauge("test_pass_rate_ratio", "Pass rate of the latest suite, mean over entries.",
           "language"),
    _gauge("test_mutation_score_ratio", "Mutation score of the latest suite, mean over entries.",
           "language"),
    _gauge("goal_achievement_ratio",
           "Entries of the latest suite with coverage and pass rate both at least 0.90.",
           "language"),
    _gauge("test_quality_score", "Overall test quality of the latest suite (0-1)."),
    _gauge("eval_score",
           "Overall score of the latest completed suite of each name, at its evaluation level.",
           "eval_name", "level"),
    _gauge("eval_level_score",
           "Mean overall score of the latest suites at each evaluation level (unit, agent, "
           "system...).", "level"),
    _gauge("eval_metric_ratio", "Each metric of the latest suite of each name, mean over entries.",
           "eval_name", "metric"),
    _gauge("eval_metric_anomaly",
           "Spike or drift over the last 30 suites of each name: -1 a drop, 1 a rise, 0 none.",
           "eval_name", "metric"),
    _gauge("baseline_score", "Score of the baseline each suite name is compared with.",
           "eval_name"),
    _gauge("regression_detected",
           "Flagged regressions of the latest check of each suite name (0 when none).",
           "eval_name"),
    _gauge("regression_rate", "Share of suite names whose latest check flagged a regression."),
    _gauge("active_sessions", "Suites running now (a result written in the last hour)."),
    _gauge("last_suite_completed_timestamp_seconds", "When the latest suite of each name ended.",
           "eval_name"),
    _gauge("flaky_tests", "Flaky tests in the latest suite.", "language"),
    # -- business metrics (the seed's "not yet implemented" table)
    _gauge("bug_detection_rate",
           "Bugs the tests catch: the latest suite's mutation score (source=mutants), and the "
           "share of real bugs seeded into dataset modules caught, over every run "
           "(source=seeded_bugs).", "source"),
    _gauge("false_positive_rate",
           "Tests of the latest suite that fail or flake on code taken as correct."),
    # the seed's developer_time_saved_hours and test_maintenance_cost, in the base unit promtool
    # asks for (seconds)
    _gauge("developer_time_saved_seconds",
           "Estimate: kept generated tests x business.minutes_saved_per_test."),
    _gauge("test_maintenance_cost_seconds",
           "Estimate: flaky tests of the latest suite x business.minutes_to_fix_flaky_test."),
    _gauge("safety_score", "Share of guardrail checks without a finding (1 when none ran)."),
    _gauge("atg_build_info", "Version of atg serving the metrics and of its database schema.",
           "version", "schema_version"),
)  # fmt: skip

BY_NAME: dict[str, MetricDefinition] = {metric.name: metric for metric in METRICS}


def definition(name: str) -> MetricDefinition:
    """The definition of `name`; a KeyError names the unknown metric."""
    return BY_NAME[name]
