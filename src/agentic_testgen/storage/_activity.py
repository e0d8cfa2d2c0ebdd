"""What was stored in a time window, as the SLOs and cost reports read it (read path only)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import cast, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from agentic_testgen.domain import EVALUATOR_SUITES
from agentic_testgen.signals.rollups import is_generated
from agentic_testgen.storage._models import EvalResultRow, EvalSuiteRow, LLMCallRow, SuiteResultRow
from agentic_testgen.storage._records import Activity, EntryActivity, Spend


def _field(session: Session, column: Any, key: str) -> Any:
    """One top-level field of a JSON text column, read by the database: an entry's metadata
    also holds its module's code, which a window of thousands of entries must not load."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(column, JSONB)[key].astext
    return func.json_extract(column, f"$.{key}")


def activity(session: Session, since: datetime, until: datetime) -> Activity:
    """Test-suite entries, model calls and red-team attacks stored in [since, until]."""
    entries = []
    metadata = EvalResultRow.metadata_json
    rows = session.execute(
        select(
            EvalResultRow.created_at, EvalSuiteRow.name, EvalSuiteRow.tags, EvalResultRow.status,
            EvalResultRow.metrics, _field(session, metadata, "generator"),
            _field(session, metadata, "generation_seconds"),
            _field(session, metadata, "tests_kept"),
        )
        .join(SuiteResultRow, SuiteResultRow.result_id == EvalResultRow.id)
        .join(EvalSuiteRow, EvalSuiteRow.id == SuiteResultRow.suite_id)
        .where(
            EvalResultRow.eval_level == "unit",
            EvalSuiteRow.name.not_in(EVALUATOR_SUITES),
            EvalResultRow.created_at >= since,
            EvalResultRow.created_at <= until,
        )
    )  # fmt: skip
    for at, suite, tags, status, metrics_json, generator, seconds, kept in rows:
        metrics: dict[str, float] = _json(metrics_json)
        entries.append(
            EntryActivity(
                at=_aware(at), suite=suite, generated=is_generated({"generator": generator}),
                failed=status == "failed",
                generation_seconds=float(seconds) if seconds is not None else None,
                tests_kept=int(kept or 0),
                coverage=metrics.get("coverage"), pass_rate=metrics.get("pass_rate"),
                tags=_json(tags),
            )
        )  # fmt: skip
    costs = session.execute(
        select(LLMCallRow.created_at, LLMCallRow.cost_usd, LLMCallRow.model, EvalSuiteRow.tags)
        .outerjoin(EvalSuiteRow, EvalSuiteRow.id == LLMCallRow.suite_id)
        .where(LLMCallRow.created_at >= since, LLMCallRow.created_at <= until)
    )
    attacks = session.execute(
        select(EvalResultRow.created_at, EvalResultRow.metadata_json)
        .join(SuiteResultRow, SuiteResultRow.result_id == EvalResultRow.id)
        .join(EvalSuiteRow, EvalSuiteRow.id == SuiteResultRow.suite_id)
        .where(
            EvalSuiteRow.name == "red_team",
            EvalResultRow.created_at >= since,
            EvalResultRow.created_at <= until,
        )
    )
    return Activity(
        since, until, tuple(sorted(entries, key=lambda entry: entry.at)),
        tuple(
            Spend(_aware(at), float(cost or 0.0), model, _json(tags))
            for at, cost, model, tags in costs
        ),
        tuple(
            (_aware(at), int(found.get("stopped", 0)), int(found.get("tried", 0)))
            for at, found in ((at, _json(text)) for at, text in attacks)
            if "tried" in found
        ),
    )  # fmt: skip


def _json(text: str | None) -> Any:
    return json.loads(text) if text else {}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
