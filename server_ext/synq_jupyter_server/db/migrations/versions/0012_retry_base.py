"""``jobs.retry_base``: the attempts a job had made when it was last retried by hand.

Automatic retries of transient failures are counted from there, so a job retried by hand
gets its ``max_retries`` again, while ``attempts`` goes on counting every run.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("retry_base", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    # Not a batch copy of the table on SQLite: dropping the old ``jobs`` would cascade to
    # every job's result and tags. SQLite drops a column in place since 3.35.
    op.drop_column("jobs", "retry_base")
