"""Provider credentials, sealed with the keyring."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from synq_jupyter_server.db.models.base import Base, utcnow


class ProviderCredential(Base):
    """One owner's secret for one provider (IonQ token ...), never stored in clear."""

    __tablename__ = "provider_credentials"
    __table_args__ = (UniqueConstraint("owner", "provider", name="uq_credentials_owner_provider"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(String(255), index=True)
    org_id: Mapped[str] = mapped_column(String(255))
    provider: Mapped[str] = mapped_column(String(32))
    key_id: Mapped[str] = mapped_column(String(64))
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
