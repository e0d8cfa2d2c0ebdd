"""What each stored record adds to the counters and histograms: pure functions, no I/O.

The store applies these increments in the same transaction as the record itself, so a scrape
reads a few hundred summed rows instead of aggregating millions (the exporter's p99 goal), and
the sums are exactly those of the stored records, whoever wrote them.

A histogram is kept as non-cumulative bucket counts (`bucket:<i>`, i the first bound the value
fits under, `len(buckets)` for +Inf) plus `sum` and `count`; the collector makes them cumulative.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from agentic_testgen.domain import EvalResult
from agentic_testgen.observability.definitions import GEN_AI_LABELS, definition

Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Increment:
    """Add `amount` to `field` of one labelled series of `family`."""

    family: str
    labels: Labels
    field: str
    amount: float

    @property
    def key(self) -> tuple[str, Labels, str]:
        return (self.family, self.labels, self.field)


def _labels(family: str, labels: Mapping[str, str]) -> Labels:
    expected = definition(family).labels
    if set(labels) != set(expected):
        raise ValueError(f"{family} takes labels {expected}, got {tuple(labels)}")
    return tuple((name, str(labels[name])) for name in expected)


def count(family: str, amount: float = 1.0, **labels: str) -> list[Increment]:
    """A counter increment."""
    return [Increment(family, _labels(family, labels), "value", float(amount))]


def observe(family: str, value: float, **labels: str) -> list[Increment]:
    """One histogram observation."""
    buckets = definition(family).buckets
    key = _labels(family, labels)
    index = bisect.bisect_left(buckets, value)  # first bound >= value ("le" is inclusive)
    return [
        Increment(family, key, f"bucket:{index}", 1.0),
        Increment(family, key, "sum", float(value)),
        Increment(family, key, "count", 1.0),
    ]


def merge(increments: Iterable[Increment]) -> list[Increment]:
    """Sum increments to the same series field (one upsert each)."""
    totals: dict[tuple[str, Labels, str], float] = {}
    for increment in increments:
        totals[increment.key] = totals.get(increment.key, 0.0) + increment.amount
    return [Increment(f, labels, field, amount) for (f, labels, field), amount in totals.items()]


def for_result(
    eval_name: str,
    result: EvalResult | None,
    *,
    duration_s: float,
    metadata: Mapping[str, Any],
) -> list[Increment]:
    """A stored entry: its evaluation, its tests and mutants, and how its tests were made."""
    status = "completed" if result is not None else "failed"
    out = count("eval_results_total", eval_name=eval_name, status=status)
    out += observe("eval_duration_seconds", duration_s, eval_name=eval_name)
    out += _generation(metadata, failed=result is None)
    if "test_file_bytes" in metadata:
        out += observe("test_file_size_bytes", float(metadata["test_file_bytes"]))
    if result is None:
        return out
    verdict = "pass" if result.passed else "fail"
    out += count("eval_verdicts_total", eval_name=eval_name, verdict=verdict)
    language = result.language.value
    for test in result.tests:
        out += count("tests_executed_total", language=language, outcome=test.outcome.value)
        out += observe("test_duration_seconds", test.duration_s, language=language)
        if test.flaky:
            out += count("flaky_tests_total", language=language)
    for name, metric in result.metrics.items():
        if not metric.passed:
            out += count("metric_threshold_failures_total", metric=name)
    mutation = result.metrics.get("mutation_score")
    if mutation is not None:
        for status_name in ("killed", "survived", "timeout", "no_coverage", "errors"):
            found = int(mutation.details.get(status_name, 0))
            if found:
                out += count("mutants_total", found, language=language, status=status_name)
    return out


def _generation(metadata: Mapping[str, Any], *, failed: bool) -> list[Increment]:
    """Generator work recorded in an entry's metadata (nothing for reference tests)."""
    if metadata.get("generator") in (None, "reference"):
        return []
    out = count("test_generation_calls_total", status="error" if failed else "success")
    if failed:
        out += count("test_generation_errors_total")
    if "generation_seconds" in metadata:
        out += observe("test_generation_duration_seconds", float(metadata["generation_seconds"]))
    for agent, stats in dict(metadata.get("agents", {})).items():
        out += count("agent_iterations_total", int(stats.get("iterations", 0)), agent=agent)
        out += count("agent_duration_seconds_total", float(stats.get("seconds", 0.0)), agent=agent)
    for status, key in (("proposed", "tests_proposed"), ("kept", "tests_kept")):
        if key in metadata:
            out += count("generated_tests_total", int(metadata[key]), status=status)
    for check in metadata.get("guardrails", ()):
        out += for_guardrail_check(**check)
    return out


def for_guardrail_check(
    type: str,
    findings: int = 0,
    severity: str = "medium",
    blocked: bool = False,
) -> list[Increment]:
    """One guardrail invocation and what it found."""
    out = count("guardrails_checks_total", type=type)
    if findings:
        out += count("guardrails_violations_total", findings, type=type, severity=severity)
    if blocked:
        out += count("guardrails_blocks_total", type=type)
    return out


def for_llm_call(
    *,
    provider: str,
    model: str,
    input_tokens: int,
    output_tokens: int,
    cost_usd: float,
    latency_s: float,
    status: str = "ok",
    operation: str = "chat",
) -> list[Increment]:
    """One model call, in the seed's names and in the GenAI semantic conventions' names."""
    gen_ai = dict(zip(GEN_AI_LABELS, (operation, provider, model), strict=True))
    out = count("llm_calls_total", provider=provider, model=model)
    if status != "ok":
        out += count("llm_call_errors_total", provider=provider, status=status)
    out += count("llm_tokens_total", input_tokens, provider=provider, type="input")
    out += count("llm_tokens_total", output_tokens, provider=provider, type="output")
    out += count("llm_cost_total", cost_usd)
    out += observe("llm_call_duration_seconds", latency_s, provider=provider, model=model)
    out += observe("gen_ai_client_operation_duration_seconds", latency_s, **gen_ai)
    for token_type, tokens in (("input", input_tokens), ("output", output_tokens)):
        out += observe("gen_ai_client_token_usage", tokens, **gen_ai, gen_ai_token_type=token_type)
    return out


def for_regression_check(eval_name: str, flagged: Iterable[bool]) -> list[Increment]:
    """The values one regression check compared with the baseline."""
    out: list[Increment] = []
    for was_flagged in flagged:
        result = "regressed" if was_flagged else "ok"
        out += count("regression_checks_total", eval_name=eval_name, result=result)
        if was_flagged:
            out += count("regressions_detected_total", eval_name=eval_name)
    return out


def for_finished_suite(eval_name: str, duration_s: float) -> list[Increment]:
    out = count("eval_suites_completed_total", eval_name=eval_name)
    return out + observe("ci_pipeline_duration_seconds", duration_s, eval_name=eval_name)
