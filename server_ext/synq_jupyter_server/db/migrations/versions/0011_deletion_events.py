"""A deleted job leaves one event behind, so ``job_events.job_id`` stops referencing ``jobs``;
and on SQLite, event ids are never reused.

The ``deleted`` event tells every open stream (the jobs panel in another tab, say) to drop
the job; it outlives the job's row, which a foreign key would forbid. Streams resume after
the last event id they saw, so an id must never come back: without AUTOINCREMENT, SQLite
gives the next event the id of the newest one deleted.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _events_table() -> sa.Table:
    """``job_events`` as it is from this revision on (SQLite rebuilds the table to it)."""
    table = sa.Table(
        "job_events",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("job_id", sa.String(32), nullable=False),
        sa.Column("owner", sa.String(255), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,
    )
    sa.Index("ix_job_events_job_id", table.c.job_id)
    sa.Index("ix_job_events_owner", table.c.owner)
    return table


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # SQLite cannot drop a constraint or add AUTOINCREMENT: the table is copied.
        with op.batch_alter_table("job_events", copy_from=_events_table(), recreate="always"):
            pass
        return
    for key in sa.inspect(bind).get_foreign_keys("job_events"):
        if key["referred_table"] == "jobs" and key["name"]:
            op.drop_constraint(key["name"], "job_events", type_="foreignkey")


def downgrade() -> None:
    op.execute("DELETE FROM job_events WHERE job_id NOT IN (SELECT id FROM jobs)")
    with op.batch_alter_table("job_events", copy_from=_events_table()) as batch:
        batch.create_foreign_key(
            "job_events_job_id_fkey", "jobs", ["job_id"], ["id"], ondelete="CASCADE"
        )
