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

from agentic_testgen.domain import GOAL, EvalResult
from agentic_testgen.signals.definitions import (
    GEN_AI_DURATION_BUCKETS,
    GEN_AI_LABELS,
    GEN_AI_TOKEN_BUCKETS,
    definition,
)

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
    bucket = bucket_of(definition(family).buckets, value)
    return observe_bucketed(family, bucket, 1, value, **labels)


def bucket_of(buckets: tuple[float, ...], value: float) -> int:
    """The index of the first bound >= value ("le" is inclusive); len(buckets) for +Inf."""
    return bisect.bisect_left(buckets, value)


def observe_bucketed(
    family: str, bucket: int, count: float, total: float, **labels: str
) -> list[Increment]:
    """`count` observations already placed in bucket `bucket` (as `observe` places them), with
    their sum: how records aggregated by the database are added."""
    key = _labels(family, labels)
    return [
        Increment(family, key, f"bucket:{bucket}", float(count)),
        Increment(family, key, "sum", float(total)),
        Increment(family, key, "count", float(count)),
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
    out += _measured(metadata)
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
    for name in ("coverage", "pass_rate"):
        met = name in result.metrics and result.metrics[name].value >= GOAL
        out += count("entries_at_goal_total", metric=name, result="met" if met else "missed")
    for kind in sorted({finding.kind for finding in result.integrity.findings}):
        found = sum(1 for finding in result.integrity.findings if finding.kind == kind)
        out += count("eval_integrity_violations_total", found, kind=kind)
    mutation = result.metrics.get("mutation_score")
    if mutation is not None:
        for status_name in ("killed", "survived", "timeout", "no_coverage", "errors"):
            found = int(mutation.details.get(status_name, 0))
            if found:
                out += count("mutants_total", found, language=language, status=status_name)
    return out


def _measured(metadata: Mapping[str, Any]) -> list[Increment]:
    """What the runner measured beside the evaluation: the test file's size, seeded bugs."""
    out: list[Increment] = []
    if "test_file_bytes" in metadata:
        out += observe("test_file_size_bytes", float(metadata["test_file_bytes"]))
    for verdict in ("caught", "missed"):
        found = len(metadata.get("seeded_bugs", {}).get(verdict, ()))
        if found:
            out += count("seeded_bugs_total", found, result=verdict)
    return out


def is_generated(metadata: Mapping[str, Any]) -> bool:
    """Whether an entry's tests came from a generator (its metadata names one), not the
    dataset: what the generation counters and SLOs count."""
    return metadata.get("generator") not in (None, "reference")


def for_evaluation(suite_name: str, metadata: Mapping[str, Any]) -> list[Increment]:
    """A stored system or agent evaluation: the red team's attacks (stopped, tried)."""
    if suite_name != "red_team" or "tried" not in metadata:
        return []
    stopped, tried = int(metadata.get("stopped", 0)), int(metadata["tried"])
    out = count("redteam_attacks_total", stopped, result="stopped") if stopped else []
    return out + (count("redteam_attacks_total", tried - stopped, result="passed")
                  if tried > stopped else [])  # fmt: skip


def tag_pairs(tags: Mapping[str, str], model: str | None = None) -> list[tuple[str, str]]:
    """A run's tags as (key, value) pairs, with the model a call used as `model` (a tag the
    run sets itself wins)."""
    pairs = dict(tags)
    if model and "model" not in pairs:
        pairs["model"] = model
    return sorted(pairs.items())


def for_tagged_cost(tags: Mapping[str, str], model: str, cost_usd: float) -> list[Increment]:
    """One model call's cost, under each tag of its run and its model."""
    out: list[Increment] = []
    for key, value in tag_pairs(tags, model):
        out += count("llm_cost_by_tag_total", cost_usd, tag=key, value=value)
    return out


def for_tagged_result(
    tags: Mapping[str, str], result: EvalResult | None, metadata: Mapping[str, Any]
) -> list[Increment]:
    """A generated entry under each tag of its run: one file, its kept tests, and the coverage
    points it gained (generation starts from no tests: the points are its coverage x 100)."""
    if not is_generated(metadata):
        return []
    coverage = result.metrics.get("coverage") if result is not None else None
    points = coverage.value * 100 if coverage is not None else 0.0
    out: list[Increment] = []
    for key, value in tag_pairs(tags):
        out += count("generated_files_by_tag_total", tag=key, value=value)
        out += count("generated_tests_by_tag_total", int(metadata.get("tests_kept", 0)),
                     tag=key, value=value)  # fmt: skip
        out += count("coverage_points_by_tag_total", points, tag=key, value=value)
    return out


def _generation(metadata: Mapping[str, Any], *, failed: bool) -> list[Increment]:
    """Generator work recorded in an entry's metadata (nothing for reference tests)."""
    if not is_generated(metadata):
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


def for_llm_calls(
    *,
    provider: str,
    model: str,
    status: str,
    calls: int,
    input_tokens: int,
    output_tokens: int,
    cost_usd: float,
) -> list[Increment]:
    """The counters of `calls` model calls of one provider, model and status, summed (the
    histograms come from `llm_latency` and `llm_token_usage`)."""
    out = count("llm_calls_total", calls, provider=provider, model=model)
    if status != "ok":
        out += count("llm_call_errors_total", calls, provider=provider, status=status)
    out += count("llm_tokens_total", input_tokens, provider=provider, type="input")
    out += count("llm_tokens_total", output_tokens, provider=provider, type="output")
    return out + count("llm_cost_total", cost_usd)


def llm_latency(
    provider: str, model: str, *, bucket: int, calls: int, total_s: float, operation: str = "chat"
) -> list[Increment]:
    """Call latencies already bucketed (by the GenAI duration bounds), in both families."""
    gen_ai = dict(zip(GEN_AI_LABELS, (operation, provider, model), strict=True))
    out = observe_bucketed("llm_call_duration_seconds", bucket, calls, total_s,
                           provider=provider, model=model)  # fmt: skip
    return out + observe_bucketed(
        "gen_ai_client_operation_duration_seconds", bucket, calls, total_s, **gen_ai
    )


def llm_token_usage(
    provider: str,
    model: str,
    *,
    token_type: str,
    bucket: int,
    calls: int,
    tokens: int,
    operation: str = "chat",
) -> list[Increment]:
    """Per-call token counts already bucketed (by the GenAI token bounds)."""
    gen_ai = dict(zip(GEN_AI_LABELS, (operation, provider, model), strict=True))
    return observe_bucketed("gen_ai_client_token_usage", bucket, calls, tokens, **gen_ai,
                            gen_ai_token_type=token_type)  # fmt: skip


def for_llm_call(
    *,
    provider: str,
    model: str,
    input_tokens: int,
    output_tokens: int,
    cost_usd: float,
    latency_s: float,
    status: str = "ok",
) -> list[Increment]:
    """One model call, in the seed's names and in the GenAI semantic conventions' names."""
    out = for_llm_calls(provider=provider, model=model, status=status, calls=1,
                        input_tokens=input_tokens, output_tokens=output_tokens,
                        cost_usd=cost_usd)  # fmt: skip
    bucket = bucket_of(GEN_AI_DURATION_BUCKETS, latency_s)
    out += llm_latency(provider, model, bucket=bucket, calls=1, total_s=latency_s)
    for token_type, tokens in (("input", input_tokens), ("output", output_tokens)):
        bucket = bucket_of(GEN_AI_TOKEN_BUCKETS, tokens)
        out += llm_token_usage(
            provider, model, token_type=token_type, bucket=bucket, calls=1, tokens=tokens
        )
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
