"""Organisations: who belongs, in which role, on which plan, and what they used."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from synq_jupyter_server.db.models.base import Base, utcnow


class Organization(Base):
    """A tenant. Every user also has a personal one (``personal:<user>``), made on first use.

    ``quota_overrides`` replaces single limits of the plan (a platform admin's deal).
    """

    __tablename__ = "organizations"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    personal: Mapped[bool] = mapped_column(Boolean, default=False)
    plan: Mapped[str] = mapped_column(String(32))
    quota_overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    require_mfa: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OrgMember(Base):
    """One user's role in one organisation: owner, admin, member or viewer."""

    __tablename__ = "org_members"

    org_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    username: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16))
    added_by: Mapped[str] = mapped_column(String(255))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OrgUsage(Base):
    """Shots an organisation submitted in one calendar month (``period`` is ``YYYY-MM``)."""

    __tablename__ = "org_usage"

    org_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    shots: Mapped[int] = mapped_column(BigInteger, default=0)
