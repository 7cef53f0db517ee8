"""API keys: create (shown once), list, revoke, and authenticate a presented key."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import ApiKey, utcnow
from synq_jupyter_server.jobs.job_view import as_utc
from synq_jupyter_server.jobs.queue import NotFound
from synq_jupyter_server.jobs.states import personal_org

SCOPES = (
    "jobs:read",
    "jobs:write",
    "circuits:run",
    "plugins:publish",
    "webhooks:manage",
    "analytics:read",
    "org:admin",
)
"""Everything a key may be allowed; a key holds a subset."""

KEY_PREFIX = "synq_"
PREFIX_LENGTH = len(KEY_PREFIX) + 8  # "synq_" and 4 random bytes in hex
MAX_DAYS = 365
LAST_USED_EVERY = timedelta(minutes=1)
"""How stale ``last_used_at`` may get: one write per key per minute, not per request."""


class ApiKeyNotFound(NotFound):
    """No key with that id belongs to the caller."""

    what = "API key"
    field = "key_id"


@dataclass(frozen=True)
class KeyView:
    """A key as its owner sees it later: never the secret."""

    id: str
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> KeyView:
        return cls(
            id=key.id,
            name=key.name,
            prefix=key.prefix,
            scopes=list(key.scopes),
            created_at=as_utc(key.created_at),
            expires_at=as_utc(key.expires_at),
            last_used_at=as_utc(key.last_used_at),
            revoked_at=as_utc(key.revoked_at),
        )


@dataclass(frozen=True)
class KeyPrincipal:
    """Who a valid key speaks for, and what it may do."""

    owner: str
    key_id: str
    scopes: frozenset[str]
    org_id: str = ""
    """The organisation the key acts in (chosen when it was made)."""


class ApiKeyService:
    """Keys in the database. The secret exists only in ``create``'s return value.

    A key reads ``synq_<8 characters>_<43 characters>``: the first part is its visible
    prefix (it finds the row), the whole is hashed with SHA-256 (a random 256-bit secret
    needs no slow hash) and compared in constant time.
    """

    def __init__(self, database: Database) -> None:
        self.database = database

    def create(
        self,
        owner: str,
        name: str,
        scopes: list[str],
        expires_in_days: int,
        org_id: str | None = None,
    ) -> tuple[KeyView, str]:
        """A new key acting in ``org_id`` (the owner's personal organisation by default)."""
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown:
            raise SynqInputError(
                f"unknown scope {unknown[0]!r}; scopes are {', '.join(SCOPES)}", field="scopes"
            )
        if not 1 <= expires_in_days <= MAX_DAYS:
            raise SynqInputError(f"a key lives 1 to {MAX_DAYS} days", field="expires_in_days")
        prefix = KEY_PREFIX + secrets.token_hex(4)  # PREFIX_LENGTH characters
        secret = f"{prefix}_{secrets.token_urlsafe(32)}"
        now = utcnow()
        key = ApiKey(
            id=uuid.uuid4().hex,
            owner=owner,
            org_id=org_id or personal_org(owner),
            name=name,
            prefix=prefix,
            secret_hash=digest(secret),
            scopes=sorted(set(scopes)),
            created_at=now,
            expires_at=now + timedelta(days=expires_in_days),
        )
        with self.database.session() as session:
            session.add(key)
            session.flush()
            return KeyView.of(key), secret

    def list(self, owner: str, org_id: str | None = None) -> list[KeyView]:
        """The owner's keys, newest first; only those acting in ``org_id`` when given."""
        query = select(ApiKey).where(ApiKey.owner == owner)
        if org_id is not None:
            query = query.where(ApiKey.org_id == org_id)
        with self.database.session(write=False) as session:
            keys = session.scalars(query.order_by(ApiKey.created_at.desc()))
            return [KeyView.of(key) for key in keys]

    def revoke(self, owner: str, key_id: str) -> KeyView:
        """Revokes the key at once: the next request that presents it is refused."""
        with self.database.session() as session:
            key = session.scalars(
                select(ApiKey).where(ApiKey.id == key_id, ApiKey.owner == owner)
            ).one_or_none()
            if key is None:
                raise ApiKeyNotFound(key_id)
            if key.revoked_at is None:
                key.revoked_at = utcnow()
            return KeyView.of(key)

    def authenticate(self, presented: str) -> KeyPrincipal | None:
        """The principal of a valid, unexpired, unrevoked key; ``None`` for anything else."""
        prefix, separator = presented[:PREFIX_LENGTH], presented[PREFIX_LENGTH : PREFIX_LENGTH + 1]
        if not prefix.startswith(KEY_PREFIX) or separator != "_":
            return None
        with self.database.session(write=False) as session:
            key = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).one_or_none()
            if key is None or not hmac.compare_digest(key.secret_hash, digest(presented)):
                return None
            now = utcnow()
            if not usable(key, now):
                return None
            principal = KeyPrincipal(key.owner, key.id, frozenset(key.scopes), key.org_id)
            stale = key.last_used_at is None or now - as_utc(key.last_used_at) > LAST_USED_EVERY
        if stale:
            with self.database.session() as session:
                session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
        return principal


def usable(key: ApiKey, now: datetime) -> bool:
    """The key is not revoked and has not expired."""
    return key.revoked_at is None and as_utc(key.expires_at) > now


def digest(secret: str) -> str:
    """The SHA-256 (hex) kept in place of a random secret: a key, a token, a code."""
    return hashlib.sha256(secret.encode()).hexdigest()
