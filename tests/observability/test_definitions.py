"""The metric definitions: every seed name present, well-formed, and documented."""

from __future__ import annotations

import re
from pathlib import Path

from agentic_testgen.signals import METRICS

SEED_NAMES = {
    "test_generation_calls_total", "test_coverage_ratio", "test_pass_rate_ratio",
    "test_quality_score", "llm_calls_total", "llm_tokens_total", "llm_call_duration_seconds",
    "llm_cost_total", "agent_iterations_total", "guardrails_checks_total",
    "guardrails_violations_total", "guardrails_blocks_total", "eval_score",
    "eval_duration_seconds", "regression_detected", "active_sessions", "test_file_size_bytes",
    "test_generation_duration_seconds", "test_generation_errors_total", "bug_detection_rate",
    "false_positive_rate", "ci_pipeline_duration_seconds",
    "gen_ai_client_operation_duration_seconds", "gen_ai_client_token_usage",
}  # fmt: skip
DOC = Path(__file__).resolve().parents[2] / "docs" / "observability.md"


def test_every_seed_metric_is_defined_among_at_least_40_families() -> None:
    names = [metric.name for metric in METRICS]
    assert set(names) >= SEED_NAMES
    assert len(names) == len(set(names)) >= 40


def test_the_readme_counts_the_families_there_are() -> None:
    readme = (DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    counted = re.search(r"(\d+) metric families of atg's own", readme)
    assert counted is not None and int(counted[1]) == len(METRICS)


def test_definitions_are_well_formed() -> None:
    for metric in METRICS:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", metric.name), metric.name
        assert metric.help.endswith("."), metric.name
        assert metric.name.endswith("_total") == (metric.kind == "counter"), metric.name
        assert (metric.kind == "histogram") == bool(metric.buckets), metric.name
        assert list(metric.buckets) == sorted(set(metric.buckets)), metric.name
        assert "id" not in {label.split("_")[-1] for label in metric.labels}, metric.name


def test_the_documentation_lists_every_family_as_defined() -> None:
    doc = DOC.read_text()
    for metric in METRICS:
        labels = ", ".join(metric.labels) or "-"
        assert f"| `{metric.name}` | {metric.kind} | {labels} | {metric.help} |" in doc
