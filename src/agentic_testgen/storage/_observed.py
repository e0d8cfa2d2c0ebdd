"""Queries behind the exporter's gauges and the trace viewer (kept out of the write path)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import Session

from agentic_testgen.storage._models import (
    BaselineRow,
    EvalResultRow,
    EvalSuiteRow,
    RegressionRow,
    SpanRow,
    SuiteResultRow,
    TestOutcomeRow,
)
from agentic_testgen.storage._records import (
    ObservedState,
    ResultSummary,
    SpanRecord,
    SuiteSummary,
)

ACTIVE_WINDOW = timedelta(hours=1)  # a running suite with no result for longer was killed


def observed_state(session: Session, now: datetime | None = None) -> ObservedState:
    now = now or datetime.now(UTC)
    latest = (
        select(EvalSuiteRow.name, func.max(EvalSuiteRow.completed_at).label("completed_at"))
        .where(EvalSuiteRow.status == "completed")
        .group_by(EvalSuiteRow.name)
        .subquery()
    )
    rows = session.scalars(
        select(EvalSuiteRow).join(
            latest,
            (EvalSuiteRow.name == latest.c.name)
            & (EvalSuiteRow.completed_at == latest.c.completed_at),
        )
    ).all()
    suites = tuple(_summary(session, row) for row in rows)
    baselines = {
        name: score
        for name, score in session.execute(
            select(BaselineRow.eval_name, BaselineRow.baseline_score)
        )
    }
    return ObservedState(suites, baselines, _active_sessions(session, now))


def _summary(session: Session, suite: EvalSuiteRow) -> SuiteSummary:
    results = session.execute(
        select(
            EvalResultRow.id, EvalResultRow.language, EvalResultRow.score, EvalResultRow.passed,
            EvalResultRow.metrics,
        )
        .join(SuiteResultRow, SuiteResultRow.result_id == EvalResultRow.id)
        .where(SuiteResultRow.suite_id == suite.id)
    ).all()  # fmt: skip
    counts = _test_counts(session, [row.id for row in results])
    flagged = session.execute(
        select(func.count(), func.sum(case((RegressionRow.flagged, 1), else_=0))).where(
            RegressionRow.suite_id == suite.id
        )
    ).one()
    completed = suite.completed_at or suite.started_at
    return SuiteSummary(
        id=suite.id,
        name=suite.name,
        overall_score=suite.overall_score or 0.0,
        quality_level=suite.quality_level,
        completed_at=_aware(completed),
        results=tuple(
            ResultSummary(
                row.language, row.score, bool(row.passed), json.loads(row.metrics or "{}"),
                *counts.get(row.id, (0, 0, 0)),
            )
            for row in results
        ),
        regressions_flagged=int(flagged[1] or 0),
        regression_checked=bool(flagged[0]),
    )  # fmt: skip


def _test_counts(session: Session, result_ids: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """result id -> (tests, flaky tests, tests that failed or flaked)."""
    if not result_ids:
        return {}
    failing = TestOutcomeRow.outcome.in_(("failed", "error")) | TestOutcomeRow.flaky
    rows = session.execute(
        select(
            TestOutcomeRow.result_id, func.count(), func.sum(TestOutcomeRow.flaky.cast(Integer)),
            func.sum(case((failing, 1), else_=0)),
        )
        .where(TestOutcomeRow.result_id.in_(result_ids))
        .group_by(TestOutcomeRow.result_id)
    )  # fmt: skip
    return {rid: (int(n), int(flaky or 0), int(bad or 0)) for rid, n, flaky, bad in rows}


def _active_sessions(session: Session, now: datetime) -> int:
    """Running suites that started or stored a result within the window."""
    since = now - ACTIVE_WINDOW
    active = 0
    running = session.execute(
        select(EvalSuiteRow.id, EvalSuiteRow.started_at).where(EvalSuiteRow.status == "running")
    )
    for suite_id, started in running:
        last = session.scalar(
            select(func.max(EvalResultRow.created_at))
            .join(SuiteResultRow, SuiteResultRow.result_id == EvalResultRow.id)
            .where(SuiteResultRow.suite_id == suite_id)
        )
        latest = max(_aware(moment) for moment in (started, last or started))
        active += latest >= since
    return active


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def add_spans(session: Session, suite_id: str | None, spans: Sequence[SpanRecord]) -> None:
    session.add_all(
        SpanRow(
            span_id=span.span_id, trace_id=span.trace_id, parent_id=span.parent_id,
            suite_id=suite_id, name=span.name, kind=span.kind, start_ns=span.start_ns,
            end_ns=span.end_ns, status=span.status,
            attributes=json.dumps(span.attributes, default=str),
            events=json.dumps(list(span.events), default=str),
        )
        for span in spans
    )  # fmt: skip


def spans(session: Session, suite_id: str) -> list[SpanRecord]:
    """Every span of the traces that touched a suite, in start order."""
    traces = select(SpanRow.trace_id).where(SpanRow.suite_id == suite_id).distinct()
    rows = session.scalars(
        select(SpanRow).where(SpanRow.trace_id.in_(traces)).order_by(SpanRow.start_ns)
    )
    return [
        SpanRecord(
            span_id=row.span_id, trace_id=row.trace_id, parent_id=row.parent_id, name=row.name,
            kind=row.kind, start_ns=row.start_ns, end_ns=row.end_ns, status=row.status,
            attributes=json.loads(row.attributes), events=tuple(json.loads(row.events)),
        )
        for row in rows
    ]  # fmt: skip
