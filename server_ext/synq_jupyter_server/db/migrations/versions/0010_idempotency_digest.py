"""Jobs remember the fingerprint of the request that carried their idempotency key.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("request_digest", sa.String(64), nullable=True))


def downgrade() -> None:
    # In place, not a batch copy of ``jobs``: on SQLite, dropping the old table would cascade
    # to every job's result and tags.
    op.drop_column("jobs", "request_digest")
