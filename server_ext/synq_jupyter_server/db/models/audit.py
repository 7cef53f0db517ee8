"""The audit log: one hash chain of entries per organisation, and each chain's head."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from synq_jupyter_server.db.models.base import Base, utcnow


class AuditEntry(Base):
    """Something a principal did, or something that happened to security, as it happened.

    ``seq`` counts an organisation's entries from 1 with no gaps; ``hash`` is the SHA-256 of
    ``prev_hash`` (the previous entry's ``hash``) and this entry's fields, so an edited or
    deleted entry breaks the chain (see ``security/audit.py``).
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_org_created", "org_id", "created_at"),)

    org_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(255))
    target: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(512), nullable=True)
    outcome: Mapped[str] = mapped_column(String(32))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The newest entry of an organisation's chain, written in the same transaction.

    It is what lets ``verify`` notice that the last entries were deleted (nothing after them
    points back), and its row is what concurrent writers of one chain lock.
    """

    __tablename__ = "audit_heads"

    org_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
