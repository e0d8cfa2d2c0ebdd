"""Queries behind the exporter's gauges and the trace viewer (kept out of the write path)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, case, func, or_, select, text
from sqlalchemy.orm import Session

from agentic_testgen.signals.spans import SpanRecord
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
    HistoryPoint,
    ObservedState,
    ResultSummary,
    SuiteSummary,
)

ACTIVE_WINDOW = timedelta(hours=1)  # a running suite with no result for longer was killed
# completed suites of each name whose history the anomaly gauge reads (its help says 30)
HISTORY_RUNS = 30
KNOWN_MEANS_LIMIT = 10_000  # suites whose metric means a store keeps between scrapes
SuiteMeans = dict[str, dict[str, float]]  # suite id -> metric -> mean over its results

# The newest completed suite of each name, by a loose index scan over
# ix_eval_suites_status_name_completed: one index probe per name instead of a GROUP BY over
# every suite ever run (0.07 ms instead of 5 ms with 10,000 suites). SQLite and PostgreSQL.
LATEST_SUITE_PER_NAME = text("""
WITH RECURSIVE names(name) AS (
    SELECT MIN(name) FROM eval_suites WHERE status = 'completed'
    UNION ALL
    SELECT (SELECT MIN(name) FROM eval_suites WHERE status = 'completed' AND name > names.name)
    FROM names WHERE names.name IS NOT NULL
)
SELECT (SELECT id FROM eval_suites WHERE status = 'completed' AND name = names.name
        ORDER BY completed_at DESC LIMIT 1)
FROM names WHERE names.name IS NOT NULL
""")


def observed_state(
    session: Session, now: datetime | None = None, known_means: SuiteMeans | None = None
) -> ObservedState:
    """A handful of column queries, whatever the number of suite names (scrape latency).

    `known_means` holds the metric means of completed suites read by earlier scrapes (a
    completed suite's results never change): only suites not in it are read, and it is filled.
    """
    now = now or datetime.now(UTC)
    ids = [suite_id for (suite_id,) in session.execute(LATEST_SUITE_PER_NAME)]
    suites = session.execute(
        select(
            EvalSuiteRow.id, EvalSuiteRow.name, EvalSuiteRow.overall_score,
            EvalSuiteRow.quality_level, EvalSuiteRow.completed_at, EvalSuiteRow.started_at,
            EvalSuiteRow.dataset, EvalSuiteRow.generator,
        ).where(EvalSuiteRow.id.in_(ids))
    ).all()  # fmt: skip
    results: dict[str, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(
            SuiteResultRow.suite_id, EvalResultRow.id, EvalResultRow.language,
            EvalResultRow.score, EvalResultRow.passed, EvalResultRow.metrics,
            EvalResultRow.eval_level,
        )
        .join(EvalResultRow, SuiteResultRow.result_id == EvalResultRow.id)
        .where(SuiteResultRow.suite_id.in_(ids))
    ):  # fmt: skip
        results[row.suite_id].append(row)
    counts = _test_counts(session, [row.id for rows in results.values() for row in rows])
    checks = {
        suite_id: (int(checked), int(flagged or 0))
        for suite_id, checked, flagged in session.execute(
            select(
                RegressionRow.suite_id, func.count(),
                func.sum(case((RegressionRow.flagged, 1), else_=0)),
            )
            .where(RegressionRow.suite_id.in_(ids))
            .group_by(RegressionRow.suite_id)
        )
    }  # fmt: skip
    summaries = tuple(
        SuiteSummary(
            id=suite.id, name=suite.name, overall_score=suite.overall_score or 0.0,
            quality_level=suite.quality_level,
            completed_at=_aware(suite.completed_at or suite.started_at),
            results=tuple(
                ResultSummary(row.language, row.score, bool(row.passed),
                              json.loads(row.metrics or "{}"), *counts.get(row.id, (0, 0, 0)),
                              level=row.eval_level)
                for row in results[suite.id]
            ),
            regressions_flagged=checks.get(suite.id, (0, 0))[1],
            regression_checked=suite.id in checks,
        )
        for suite in suites
    )  # fmt: skip
    baselines = {
        name: score
        for name, score in session.execute(
            # one gauge per name: the baseline set last, of any dataset and generator
            select(BaselineRow.eval_name, BaselineRow.baseline_score).order_by(BaselineRow.set_at)
        )
    }
    return ObservedState(
        summaries, baselines, _active_sessions(session, now),
        _histories(session, suites, {} if known_means is None else known_means),
    )  # fmt: skip


def _histories(
    session: Session, latest: Sequence[Any], known_means: SuiteMeans
) -> dict[str, tuple[HistoryPoint, ...]]:
    """Name -> its last `HISTORY_RUNS` completed suites over the dataset and generator of its
    latest one (another dataset is another series), oldest first: two queries for any number
    of names, each name's series read from the index on (status, name, completed_at), and the
    metrics of the suites' results parsed once per suite (`known_means`)."""
    if not latest:
        return {}
    series = (
        select(EvalSuiteRow.id)
        .where(
            EvalSuiteRow.status == "completed",
            EvalSuiteRow.name == suite.name,
            EvalSuiteRow.dataset.is_not_distinct_from(suite.dataset),
            EvalSuiteRow.generator.is_not_distinct_from(suite.generator),
        )
        .order_by(EvalSuiteRow.completed_at.desc())
        .limit(HISTORY_RUNS)
        for suite in latest
    )
    rows = session.execute(
        select(EvalSuiteRow.id, EvalSuiteRow.name, EvalSuiteRow.overall_score)
        .where(or_(*(EvalSuiteRow.id.in_(ids) for ids in series)))
        .order_by(EvalSuiteRow.completed_at, EvalSuiteRow.id)
    ).all()
    # read into a local dict first: scrapes on other threads share `known_means`
    means = {row.id: known for row in rows if (known := known_means.get(row.id)) is not None}
    unknown = [row.id for row in rows if row.id not in means]
    found = suite_metric_means(session, unknown)
    means.update({suite_id: found.get(suite_id, {}) for suite_id in unknown})
    if len(known_means) + len(unknown) > KNOWN_MEANS_LIMIT:
        known_means.clear()  # most are of suites that left every window
    known_means.update({suite_id: means[suite_id] for suite_id in unknown})
    histories: dict[str, list[HistoryPoint]] = defaultdict(list)
    for row in rows:
        point = HistoryPoint(row.id, row.overall_score or 0.0, means[row.id])
        histories[row.name].append(point)
    return {name: tuple(points) for name, points in histories.items()}


def suite_metric_means(session: Session, suite_ids: Sequence[str]) -> dict[str, dict[str, float]]:
    """Suite id -> the mean of each metric over the suite's results that have it (a failed
    result has none), in one query; a suite without any metric is left out."""
    if not suite_ids:
        return {}
    # running sums, not lists: a scrape reads 30 suites of every name this way
    sums: dict[str, dict[str, list[float]]] = defaultdict(dict)
    rows = session.execute(
        select(SuiteResultRow.suite_id, EvalResultRow.metrics)
        .join(EvalResultRow, SuiteResultRow.result_id == EvalResultRow.id)
        .where(SuiteResultRow.suite_id.in_(suite_ids))
    )
    for suite_id, metrics in rows:
        of_suite = sums[suite_id]
        for name, value in json.loads(metrics or "{}").items():
            total = of_suite.setdefault(name, [0.0, 0.0])
            total[0] += value
            total[1] += 1
    return {
        suite_id: {name: total / count for name, (total, count) in sorted(of_suite.items())}
        for suite_id, of_suite in sums.items()
        if of_suite
    }


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
