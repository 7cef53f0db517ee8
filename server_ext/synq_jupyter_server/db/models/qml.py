"""Trained quantum models, kept for predictions after their training job."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from synq_jupyter_server.db.models.base import Base, utcnow


class QmlModel(Base):
    """A model a training job produced: its architecture, parameters and scores.

    The id is the training job's id, so a model always points back at how it was made;
    deleting that job keeps the model.
    """

    __tablename__ = "qml_models"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(255), index=True)
    org_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    model: Mapped[dict[str, Any]] = mapped_column(JSON)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
