"""The database schema: the seed's four tables plus what the system needs (SQLAlchemy 2 models).

The seed's tables keep their columns (`eval_results`, `eval_suites`, `suite_results`,
`baselines`); JSON documents are stored as TEXT, as in the seed, so the file stays readable with
any SQLite client. Added columns and tables are marked below.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class EvalSuiteRow(Base):
    __tablename__ = "eval_suites"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    overall_score: Mapped[float | None] = mapped_column(Float)
    quality_level: Mapped[str | None] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    total_evals: Mapped[int | None] = mapped_column(Integer)
    passed_evals: Mapped[int | None] = mapped_column(Integer)
    failed_evals: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
    # added: what was run, with what, and how far it got
    status: Mapped[str] = mapped_column(String(20), default="running")
    dataset: Mapped[str | None] = mapped_column(String(200))
    dataset_hash: Mapped[str | None] = mapped_column(String(80))
    generator: Mapped[str | None] = mapped_column(String(200))
    planned_entries: Mapped[int | None] = mapped_column(Integer)
    settings: Mapped[str | None] = mapped_column(Text)  # JSON
    # added (0004): who and what a run is for (team, project, model...): cost attribution
    tags: Mapped[str | None] = mapped_column(Text)  # JSON object

    __table_args__ = (
        Index("ix_eval_suites_name_started", "name", "started_at"),
        # added (0002): the latest completed suite of each name, for the metric gauges
        Index("ix_eval_suites_status_name_completed", "status", "name", "completed_at"),
    )


class EvalResultRow(Base):
    __tablename__ = "eval_results"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    eval_name: Mapped[str] = mapped_column(String(200))
    eval_level: Mapped[str] = mapped_column(String(20))  # unit, component, agent, system, business
    status: Mapped[str] = mapped_column(String(20))  # pending, running, completed, failed
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    quality_level: Mapped[str | None] = mapped_column(String(20))
    metrics: Mapped[str | None] = mapped_column(Text)  # JSON: {"coverage": 0.85, ...}
    metadata_json: Mapped[str | None] = mapped_column("metadata", Text)  # JSON
    errors: Mapped[str | None] = mapped_column(Text)  # JSON list
    warnings: Mapped[str | None] = mapped_column(Text)  # JSON list
    recommendations: Mapped[str | None] = mapped_column(Text)  # JSON list
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
    # added: the full result document (re-scoring, reports) and the fields queries filter on
    language: Mapped[str | None] = mapped_column(String(40))
    passed: Mapped[bool | None] = mapped_column(Boolean)
    result_json: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_eval_results_name_created", "eval_name", "created_at"),)


class SuiteResultRow(Base):
    __tablename__ = "suite_results"

    suite_id: Mapped[str] = mapped_column(ForeignKey("eval_suites.id"), primary_key=True)
    result_id: Mapped[str] = mapped_column(ForeignKey("eval_results.id"), primary_key=True)
    # added: one result per entry per suite, so a resumed suite can never hold duplicates
    entry_id: Mapped[str] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("suite_id", "entry_id", name="uq_suite_results_entry"),)


class BaselineRow(Base):
    __tablename__ = "baselines"

    eval_name: Mapped[str] = mapped_column(String(200), primary_key=True)
    # added (0003): a baseline is per suite name, dataset and generator ("" when unknown)
    dataset: Mapped[str] = mapped_column(String(200), primary_key=True, default="")
    generator: Mapped[str] = mapped_column(String(200), primary_key=True, default="")
    baseline_score: Mapped[float] = mapped_column(Float)
    baseline_metrics: Mapped[str] = mapped_column(Text)  # JSON
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # added: the suite the baseline was taken from (its per-entry results feed paired tests)
    suite_id: Mapped[str | None] = mapped_column(ForeignKey("eval_suites.id"))


class TestOutcomeRow(Base):
    """Added: one row per test of a result."""

    __tablename__ = "test_outcomes"
    __test__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    result_id: Mapped[str] = mapped_column(ForeignKey("eval_results.id"), index=True)
    nodeid: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(20))
    duration_s: Mapped[float] = mapped_column(Float)
    flaky: Mapped[bool] = mapped_column(Boolean)
    reached_module: Mapped[bool] = mapped_column(Boolean)


class LLMCallRow(Base):
    """Added: one row per model call made while generating tests (tokens, cost, latency)."""

    __tablename__ = "llm_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    suite_id: Mapped[str | None] = mapped_column(ForeignKey("eval_suites.id"), index=True)
    result_id: Mapped[str | None] = mapped_column(ForeignKey("eval_results.id"))
    agent: Mapped[str] = mapped_column(String(40))
    provider: Mapped[str] = mapped_column(String(80))
    model: Mapped[str] = mapped_column(String(200))
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    latency_s: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(20), default="ok")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class RegressionRow(Base):
    """Added: what each regression check found, flagged or not."""

    __tablename__ = "regressions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    suite_id: Mapped[str] = mapped_column(ForeignKey("eval_suites.id"), index=True)
    baseline_suite_id: Mapped[str | None] = mapped_column(String(64))
    eval_name: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(80))  # "score" or a metric name
    # added (0003): the entry of a per-entry finding (None: the suite's mean)
    entry_id: Mapped[str | None] = mapped_column(String(200))
    baseline_value: Mapped[float] = mapped_column(Float)
    current_value: Mapped[float] = mapped_column(Float)
    delta: Mapped[float] = mapped_column(Float)
    ci_low: Mapped[float | None] = mapped_column(Float)
    ci_high: Mapped[float | None] = mapped_column(Float)
    paired_entries: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[bool] = mapped_column(Boolean)
    detected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class MetricRollupRow(Base):
    """Added (0002): running sums behind the Prometheus counters and histograms, one row per
    (metric family, label set, field); written in the same transaction as the records they sum."""

    __tablename__ = "metric_rollups"

    family: Mapped[str] = mapped_column(String(120), primary_key=True)
    labels: Mapped[str] = mapped_column(String(1000), primary_key=True)  # JSON [[name, value]...]
    field: Mapped[str] = mapped_column(String(40), primary_key=True)  # value|sum|count|bucket:i
    value: Mapped[float] = mapped_column(Float, default=0.0)


class SpanRow(Base):
    """Added (0002): the local trace store, one row per finished OpenTelemetry span."""

    __tablename__ = "spans"

    span_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    trace_id: Mapped[str] = mapped_column(String(32), index=True)
    parent_id: Mapped[str | None] = mapped_column(String(16))
    suite_id: Mapped[str | None] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    start_ns: Mapped[int] = mapped_column(BigInteger)
    end_ns: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    attributes: Mapped[str] = mapped_column(Text)  # JSON object
    events: Mapped[str] = mapped_column(Text)  # JSON list of {name, time_ns, attributes}
