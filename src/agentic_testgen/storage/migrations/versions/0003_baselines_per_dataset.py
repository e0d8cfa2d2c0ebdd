"""Baselines per suite name, dataset and generator; per-entry regression findings.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a primary key cannot be widened in place on SQLite: a new table, filled from the old one
    # (each baseline's dataset and generator are those of the suite it was taken from)
    op.create_table(
        "baselines_0003",
        sa.Column("eval_name", sa.String(200), primary_key=True),
        sa.Column("dataset", sa.String(200), primary_key=True, server_default=""),
        sa.Column("generator", sa.String(200), primary_key=True, server_default=""),
        sa.Column("baseline_score", sa.Float(), nullable=False),
        sa.Column("baseline_metrics", sa.Text(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("suite_id", sa.String(64), sa.ForeignKey("eval_suites.id")),
    )
    op.execute(
        "INSERT INTO baselines_0003 (eval_name, dataset, generator, baseline_score, "
        "baseline_metrics, set_at, suite_id) "
        "SELECT b.eval_name, COALESCE(s.dataset, ''), COALESCE(s.generator, ''), "
        "b.baseline_score, b.baseline_metrics, b.set_at, b.suite_id "
        "FROM baselines b LEFT JOIN eval_suites s ON s.id = b.suite_id"
    )
    op.drop_table("baselines")
    op.rename_table("baselines_0003", "baselines")
    op.add_column("regressions", sa.Column("entry_id", sa.String(200)))


def downgrade() -> None:
    op.drop_column("regressions", "entry_id")
    op.create_table(
        "baselines_0002",
        sa.Column("eval_name", sa.String(200), primary_key=True),
        sa.Column("baseline_score", sa.Float(), nullable=False),
        sa.Column("baseline_metrics", sa.Text(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("suite_id", sa.String(64), sa.ForeignKey("eval_suites.id")),
    )
    op.execute(
        "INSERT INTO baselines_0002 (eval_name, baseline_score, baseline_metrics, set_at, "
        "suite_id) SELECT eval_name, baseline_score, baseline_metrics, set_at, suite_id "
        "FROM baselines b WHERE set_at = "
        "(SELECT MAX(set_at) FROM baselines n WHERE n.eval_name = b.eval_name)"
    )
    op.drop_table("baselines")
    op.rename_table("baselines_0002", "baselines")
