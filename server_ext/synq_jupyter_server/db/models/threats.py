"""Threat detection: security events, the incidents they open, and principals' baselines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from synq_jupyter_server.db.models.base import Base, utcnow


class SecurityIncident(Base):
    """What a rule opened about one subject (``user:alice``, ``ip:203.0.113.7``).

    While it is not resolved, ``open_key`` (the SHA-256 of organisation, rule and subject)
    is set and unique, so a rule that fires again adds evidence to it instead of opening a
    second one, across processes too; resolving it clears the key.
    """

    __tablename__ = "security_incidents"
    __table_args__ = (Index("ix_security_incidents_org_opened", "org_id", "opened_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(255))
    rule: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(320))
    severity: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(String(512))
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    changed_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    note: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    open_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)


class SecurityEvent(Base):
    """One thing a threat rule noticed, with its evidence; ``incident_id`` when it opened
    an incident or added to one."""

    __tablename__ = "security_events"
    __table_args__ = (Index("ix_security_events_org_id", "org_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(320))
    principal: Mapped[str | None] = mapped_column(String(255), nullable=True)
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(512), nullable=True)
    summary: Mapped[str] = mapped_column(String(512))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    incident_id: Mapped[str | None] = mapped_column(
        ForeignKey("security_incidents.id"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SecurityBaseline(Base):
    """An address or user agent a principal used, and when it was first seen.

    A principal's earliest row is when SynQ first saw it; later new values are unusual.
    """

    __tablename__ = "security_baselines"

    principal: Mapped[str] = mapped_column(String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(512), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
