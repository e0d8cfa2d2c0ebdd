"""Metric rollups: apply increments with an upsert, read them, rebuild them from the records."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from agentic_testgen.domain import EvalResult
from agentic_testgen.observability import rollups
from agentic_testgen.observability.rollups import Increment, Labels
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
            EvalSuiteRow.name, EvalResultRow.duration_seconds, EvalResultRow.metadata_json,
            EvalResultRow.result_json,
        )
        .join(SuiteResultRow, SuiteResultRow.result_id == EvalResultRow.id)
        .join(EvalSuiteRow, EvalSuiteRow.id == SuiteResultRow.suite_id)
    )  # fmt: skip
    for name, duration, metadata, result_json in results:
        result = EvalResult.model_validate_json(result_json) if result_json else None
        yield from rollups.for_result(
            name, result, duration_s=duration or 0.0, metadata=_json(metadata, {})
        )
    calls = connection.execute(
        select(
            LLMCallRow.provider, LLMCallRow.model, LLMCallRow.input_tokens,
            LLMCallRow.output_tokens, LLMCallRow.cost_usd, LLMCallRow.latency_s, LLMCallRow.status,
        )
    )  # fmt: skip
    for provider, model, input_tokens, output_tokens, cost, latency, status in calls:
        yield from rollups.for_llm_call(
            provider=provider, model=model, input_tokens=input_tokens,
            output_tokens=output_tokens, cost_usd=cost, latency_s=latency, status=status,
        )  # fmt: skip
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


def _labels_text(labels: Labels) -> str:
    return json.dumps([list(pair) for pair in labels], separators=(",", ":"))


def _labels_tuple(text: str) -> Labels:
    return tuple((str(name), str(value)) for name, value in json.loads(text))


def _json(text: str | None, empty: Any) -> Any:
    return json.loads(text) if text else empty
