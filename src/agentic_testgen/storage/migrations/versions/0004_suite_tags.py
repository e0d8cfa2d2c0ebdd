"""Tags on suites (team, project, model, prompt version... for cost attribution), and the
counters behind the SLOs (entries at the goal, red-team attacks), backfilled.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from agentic_testgen.storage._rollups import rebuild

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("eval_suites", sa.Column("tags", sa.Text()))  # JSON object
    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_column("eval_suites", "tags")
