"""Threat detection: security events, incidents and principals' baselines.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "security_incidents",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("org_id", sa.String(255), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(320), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("summary", sa.String(512), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("changed_by", sa.String(255), nullable=True),
        sa.Column("note", sa.String(2000), nullable=True),
        sa.Column("open_key", sa.String(64), nullable=True, unique=True),
    )
    op.create_index(
        "ix_security_incidents_org_opened", "security_incidents", ["org_id", "opened_at"]
    )
    op.create_table(
        "security_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("org_id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("subject", sa.String(320), nullable=False),
        sa.Column("principal", sa.String(255), nullable=True),
        sa.Column("ip", sa.String(64), nullable=True),
        sa.Column("user_agent", sa.String(512), nullable=True),
        sa.Column("summary", sa.String(512), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column(
            "incident_id", sa.String(32), sa.ForeignKey("security_incidents.id"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_security_events_org_id", "security_events", ["org_id", "id"])
    op.create_index("ix_security_events_incident_id", "security_events", ["incident_id"])
    op.create_table(
        "security_baselines",
        sa.Column("principal", sa.String(255), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("value", sa.String(512), primary_key=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("security_baselines")
    op.drop_index("ix_security_events_incident_id", table_name="security_events")
    op.drop_index("ix_security_events_org_id", table_name="security_events")
    op.drop_table("security_events")
    op.drop_index("ix_security_incidents_org_opened", table_name="security_incidents")
    op.drop_table("security_incidents")
