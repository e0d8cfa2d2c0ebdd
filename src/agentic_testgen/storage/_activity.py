"""What was stored in a time window, as the SLOs and cost reports read it (read path only)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from agentic_testgen.domain import EVALUATOR_SUITES
from agentic_testgen.observability.rollups import is_generated
from agentic_testgen.storage._models import EvalResultRow, EvalSuiteRow, LLMCallRow, SuiteResultRow
from agentic_testgen.storage._records import Activity, EntryActivity, Spend


def activity(session: Session, since: datetime, until: datetime) -> Activity:
    """Test-suite entries, model calls and red-team attacks stored in [since, until]."""
    entries = []
    rows = session.execute(
        select(
            EvalResultRow.created_at, EvalSuiteRow.name, EvalSuiteRow.tags, EvalResultRow.status,
            EvalResultRow.metrics, EvalResultRow.metadata_json,
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
    for at, suite, tags, status, metrics_json, metadata_json in rows:
        metrics: dict[str, float] = _json(metrics_json)
        metadata: dict[str, Any] = _json(metadata_json)
        seconds = metadata.get("generation_seconds")
        entries.append(
            EntryActivity(
                at=_aware(at), suite=suite, generated=is_generated(metadata),
                failed=status == "failed",
                generation_seconds=float(seconds) if seconds is not None else None,
                tests_kept=int(metadata.get("tests_kept", 0)),
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
