"""Metric rollups (filled from the records already stored by 0004), the local span store, and
an index for the latest completed suite of each name.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "metric_rollups",
        sa.Column("family", sa.String(120), primary_key=True),
        sa.Column("labels", sa.String(1000), primary_key=True),
        sa.Column("field", sa.String(40), primary_key=True),
        sa.Column("value", sa.Float(), nullable=False),
    )
    op.create_table(
        "spans",
        sa.Column("span_id", sa.String(16), primary_key=True),
        sa.Column("trace_id", sa.String(32), nullable=False),
        sa.Column("parent_id", sa.String(16)),
        sa.Column("suite_id", sa.String(64)),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("start_ns", sa.BigInteger(), nullable=False),
        sa.Column("end_ns", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attributes", sa.Text(), nullable=False),
        sa.Column("events", sa.Text(), nullable=False),
    )
    op.create_index("ix_spans_trace_id", "spans", ["trace_id"])
    op.create_index("ix_spans_suite_id", "spans", ["suite_id"])
    op.create_index(
        "ix_eval_suites_status_name_completed", "eval_suites", ["status", "name", "completed_at"]
    )
    # the rollups are filled from the stored records by 0004, once the columns they read exist


def downgrade() -> None:
    op.drop_table("spans")
    op.drop_table("metric_rollups")
