"""Metric rollups: apply increments with an upsert, read them, rebuild them from the records."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from agentic_testgen.domain import EvalResult
from agentic_testgen.signals import rollups
from agentic_testgen.signals.definitions import GEN_AI_DURATION_BUCKETS, GEN_AI_TOKEN_BUCKETS
from agentic_testgen.signals.rollups import Increment, Labels
from agentic_testgen.storage._models import (
    EvalResultRow,
    EvalSuiteRow,
    LLMCallRow,
    MetricRollupRow,
    RegressionRow,
    SuiteResultRow,
)

_CHUNK = 400  # rows per INSERT: well under SQLite's bound-parameter limit


def apply(target: Session | Connection, increments: Iterable[Increment]) -> None:
    """Add the increments to their rollup rows (created at zero when missing)."""
    rows = [
        {"family": i.family, "labels": _labels_text(i.labels), "field": i.field, "value": i.amount}
        for i in rollups.merge(increments)
    ]
    if not rows:
        return
    bind = target if isinstance(target, Connection) else target.get_bind()
    insert = postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert
    for start in range(0, len(rows), _CHUNK):
        statement = insert(MetricRollupRow).values(rows[start : start + _CHUNK])
        target.execute(
            statement.on_conflict_do_update(
                index_elements=["family", "labels", "field"],
                set_={"value": MetricRollupRow.value + statement.excluded.value},
            )
        )


def read(session: Session) -> list[tuple[str, Labels, str, float]]:
    """Every rollup row: (family, labels, field, value)."""
    rows = session.execute(
        select(
            MetricRollupRow.family, MetricRollupRow.labels, MetricRollupRow.field,
            MetricRollupRow.value,
        )
    )  # fmt: skip
    return [(family, _labels_tuple(labels), field, value) for family, labels, field, value in rows]


def rebuild(connection: Connection) -> None:
    """Recompute every rollup from the stored records (used by the migration that added them)."""
    connection.execute(delete(MetricRollupRow))
    apply(connection, _increments_from_rows(connection))


def _increments_from_rows(connection: Connection) -> Iterator[Increment]:
    results = connection.execute(
        select(
            EvalSuiteRow.name, EvalSuiteRow.tags, EvalResultRow.eval_level,
            EvalResultRow.duration_seconds, EvalResultRow.metadata_json,
            EvalResultRow.result_json,
        )
        .join(SuiteResultRow, SuiteResultRow.result_id == EvalResultRow.id)
        .join(EvalSuiteRow, EvalSuiteRow.id == SuiteResultRow.suite_id)
    )  # fmt: skip
    for name, tags, level, duration, metadata, result_json in results:
        if level != "unit":  # an evaluator's result (safety, red team, agents)
            yield from rollups.for_evaluation(name, _json(metadata, {}))
            continue
        result = EvalResult.model_validate_json(result_json) if result_json else None
        yield from rollups.for_result(
            name, result, duration_s=duration or 0.0, metadata=_json(metadata, {})
        )
        yield from rollups.for_tagged_result(_json(tags, {}), result, _json(metadata, {}))
    yield from _llm_call_increments(connection)
    checks = connection.execute(select(RegressionRow.eval_name, RegressionRow.flagged))
    for name, flagged in checks:
        yield from rollups.for_regression_check(name, [flagged])
    suites = connection.execute(
        select(EvalSuiteRow.name, EvalSuiteRow.duration_seconds).where(
            EvalSuiteRow.status == "completed"
        )
    )
    for name, duration in suites:
        yield from rollups.for_finished_suite(name, duration or 0.0)


def _llm_call_increments(connection: Connection) -> Iterator[Increment]:
    """The LLM-call rollups, aggregated by the database: a million calls are a few GROUP BYs,
    not a million Python calls (the same increments as `rollups.for_llm_call`, summed)."""
    call = LLMCallRow
    for provider, model, status, calls, tokens_in, tokens_out, cost in connection.execute(
        select(call.provider, call.model, call.status, func.count(), func.sum(call.input_tokens),
               func.sum(call.output_tokens), func.sum(call.cost_usd))
        .group_by(call.provider, call.model, call.status)
    ):  # fmt: skip
        yield from rollups.for_llm_calls(
            provider=provider, model=model, status=status, calls=calls,
            input_tokens=tokens_in or 0, output_tokens=tokens_out or 0, cost_usd=cost or 0.0,
        )  # fmt: skip
    for tags, model, cost in connection.execute(
        select(EvalSuiteRow.tags, call.model, func.sum(call.cost_usd))
        .outerjoin(EvalSuiteRow, EvalSuiteRow.id == call.suite_id)
        .group_by(EvalSuiteRow.tags, call.model)
    ):  # fmt: skip
        yield from rollups.for_tagged_cost(_json(tags, {}), model, cost or 0.0)
    bucket = _bucket(call.latency_s, GEN_AI_DURATION_BUCKETS)
    for provider, model, index, calls, total in connection.execute(
        select(call.provider, call.model, bucket, func.count(), func.sum(call.latency_s))
        .group_by(call.provider, call.model, bucket)
    ):  # fmt: skip
        yield from rollups.llm_latency(
            provider, model, bucket=index, calls=calls, total_s=total or 0.0
        )
    for token_type, column in (("input", call.input_tokens), ("output", call.output_tokens)):
        bucket = _bucket(column, GEN_AI_TOKEN_BUCKETS)
        for provider, model, index, calls, total in connection.execute(
            select(call.provider, call.model, bucket, func.count(), func.sum(column))
            .group_by(call.provider, call.model, bucket)
        ):  # fmt: skip
            yield from rollups.llm_token_usage(
                provider, model, token_type=token_type, bucket=index, calls=calls,
                tokens=total or 0,
            )  # fmt: skip


def _bucket(column: Any, bounds: tuple[float, ...]) -> Any:
    """SQL for `rollups.bucket_of`: the index of the first bound the value is at or under."""
    return case(
        *((column <= bound, index) for index, bound in enumerate(bounds)), else_=len(bounds)
    ).label("bucket")


def _labels_text(labels: Labels) -> str:
    return json.dumps([list(pair) for pair in labels], separators=(",", ":"))


def _labels_tuple(text: str) -> Labels:
    return tuple((str(name), str(value)) for name, value in json.loads(text))


def _json(text: str | None, empty: Any) -> Any:
    return json.loads(text) if text else empty
