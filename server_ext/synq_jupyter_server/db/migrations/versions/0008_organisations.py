"""Organisations, their members and roles, and their monthly usage.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.String(255), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("personal", sa.Boolean(), nullable=False),
        sa.Column("plan", sa.String(32), nullable=False),
        sa.Column("quota_overrides", sa.JSON(), nullable=False),
        sa.Column("require_mfa", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "org_members",
        sa.Column("org_id", sa.String(255), primary_key=True),
        sa.Column("username", sa.String(255), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("added_by", sa.String(255), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_org_members_username", "org_members", ["username"])
    op.create_table(
        "org_usage",
        sa.Column("org_id", sa.String(255), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("shots", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("org_usage")
    op.drop_index("ix_org_members_username", table_name="org_members")
    op.drop_table("org_members")
    op.drop_table("organizations")
