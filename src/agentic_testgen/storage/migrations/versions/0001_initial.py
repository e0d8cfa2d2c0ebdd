"""The seed's four tables, plus entries, per-test outcomes, LLM calls and regressions.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

NOW = sa.func.current_timestamp()


def upgrade() -> None:
    op.create_table(
        "eval_suites",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("overall_score", sa.Float()),
        sa.Column("quality_level", sa.String(20)),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        sa.Column("duration_seconds", sa.Float()),
        sa.Column("total_evals", sa.Integer()),
        sa.Column("passed_evals", sa.Integer()),
        sa.Column("failed_evals", sa.Integer()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("dataset", sa.String(200)),
        sa.Column("dataset_hash", sa.String(80)),
        sa.Column("generator", sa.String(200)),
        sa.Column("planned_entries", sa.Integer()),
        sa.Column("settings", sa.Text()),
    )
    op.create_index("ix_eval_suites_name_started", "eval_suites", ["name", "started_at"])
    op.create_table(
        "eval_results",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("eval_name", sa.String(200), nullable=False),
        sa.Column("eval_level", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        sa.Column("duration_seconds", sa.Float()),
        sa.Column("score", sa.Float()),
        sa.Column("quality_level", sa.String(20)),
        sa.Column("metrics", sa.Text()),
        sa.Column("metadata", sa.Text()),
        sa.Column("errors", sa.Text()),
        sa.Column("warnings", sa.Text()),
        sa.Column("recommendations", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("language", sa.String(40)),
        sa.Column("passed", sa.Boolean()),
        sa.Column("result_json", sa.Text()),
    )
    op.create_index("ix_eval_results_name_created", "eval_results", ["eval_name", "created_at"])
    op.create_table(
        "suite_results",
        sa.Column("suite_id", sa.String(64), sa.ForeignKey("eval_suites.id"), primary_key=True),
        sa.Column("result_id", sa.String(64), sa.ForeignKey("eval_results.id"), primary_key=True),
        sa.Column("entry_id", sa.String(200), nullable=False),
        sa.UniqueConstraint("suite_id", "entry_id", name="uq_suite_results_entry"),
    )
    op.create_table(
        "baselines",
        sa.Column("eval_name", sa.String(200), primary_key=True),
        sa.Column("baseline_score", sa.Float(), nullable=False),
        sa.Column("baseline_metrics", sa.Text(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("suite_id", sa.String(64), sa.ForeignKey("eval_suites.id")),
    )
    op.create_table(
        "test_outcomes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("result_id", sa.String(64), sa.ForeignKey("eval_results.id"), nullable=False),
        sa.Column("nodeid", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("flaky", sa.Boolean(), nullable=False),
        sa.Column("reached_module", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_test_outcomes_result_id", "test_outcomes", ["result_id"])
    op.create_table(
        "llm_calls",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("suite_id", sa.String(64), sa.ForeignKey("eval_suites.id")),
        sa.Column("result_id", sa.String(64), sa.ForeignKey("eval_results.id")),
        sa.Column("agent", sa.String(40), nullable=False),
        sa.Column("provider", sa.String(80), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("latency_s", sa.Float(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_llm_calls_suite_id", "llm_calls", ["suite_id"])
    op.create_table(
        "regressions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("suite_id", sa.String(64), sa.ForeignKey("eval_suites.id"), nullable=False),
        sa.Column("baseline_suite_id", sa.String(64)),
        sa.Column("eval_name", sa.String(200), nullable=False),
        sa.Column("metric", sa.String(80), nullable=False),
        sa.Column("baseline_value", sa.Float(), nullable=False),
        sa.Column("current_value", sa.Float(), nullable=False),
        sa.Column("delta", sa.Float(), nullable=False),
        sa.Column("ci_low", sa.Float()),
        sa.Column("ci_high", sa.Float()),
        sa.Column("paired_entries", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_regressions_suite_id", "regressions", ["suite_id"])


def downgrade() -> None:
    for table in (
        "regressions", "llm_calls", "test_outcomes", "baselines", "suite_results",
        "eval_results", "eval_suites",
    ):  # fmt: skip
        op.drop_table(table)
