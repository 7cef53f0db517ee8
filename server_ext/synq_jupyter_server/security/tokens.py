"""Access and refresh tokens: an API key exchanged for a 15-minute JWT and a refresh token.

Refresh tokens rotate: each refresh uses one and returns the next of the same family. A
token presented a second time was copied, so the whole family is revoked, and the access
tokens of that family stop working with it. Logging out revokes the family too.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import jwt
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import ApiKey, RefreshToken
from synq_jupyter_server.jobs.job_view import as_utc
from synq_jupyter_server.security.api_keys import KeyPrincipal, digest, usable
from synq_jupyter_server.security.keyring import Keyring

REFRESH_PREFIX = "synqr_"
"""How a refresh token starts (an API key starts ``synq_``)."""

ACCESS_SECONDS = 15 * 60
REFRESH_DAYS = 30
ALGORITHM = "HS256"
ISSUER = "synq"


class TokenRefused(Exception):
    """A refresh token that is unknown, expired, revoked, or was used before."""


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    family_id: str


@dataclass(frozen=True)
class AccessPrincipal(KeyPrincipal):
    """A valid access token: the key it came from, and its refresh family."""

    family_id: str = ""


class TokenService:
    """Issues, refreshes and checks tokens. The signing key is derived from the keyring.

    Args:
        database: Where refresh tokens (their hashes) live.
        keyring: Source of the signing key (``Keyring.derive("synq access tokens")``).
        clock: Seconds since the epoch; replaceable in tests.
    """

    def __init__(
        self, database: Database, keyring: Keyring, clock: Callable[[], float] = time.time
    ) -> None:
        self.database = database
        self.clock = clock
        self._secret = keyring.derive("synq access tokens")

    def issue(self, principal: KeyPrincipal) -> TokenPair:
        """A new family: an access token with the key's scopes, and its first refresh token."""
        family = uuid.uuid4().hex
        with self.database.session() as session:
            refresh = self._add_refresh(session, principal.owner, principal.key_id, family)
        return TokenPair(self._access(principal, family), refresh, ACCESS_SECONDS, family)

    def refresh(self, presented: str) -> TokenPair:
        """Uses ``presented`` and returns the next pair of its family.

        Raises:
            TokenRefused: Unknown, expired or revoked; or used before, which revokes the
                family (a copied token must not outlive the original's owner noticing).
        """
        now = self._now()
        with self.database.session() as session:
            row = session.scalars(
                select(RefreshToken).where(RefreshToken.token_hash == digest(presented))
            ).one_or_none()
            if row is None or row.revoked_at is not None or as_utc(row.expires_at) <= now:
                raise TokenRefused("the refresh token is not valid")
            used = session.execute(
                update(RefreshToken)
                .where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None))
                .values(used_at=now)
            )
            if not getattr(used, "rowcount", 0):
                self._revoke_family(session, row.family_id, now)
                reused = True
            else:
                key = session.get(ApiKey, row.key_id)
                if key is None or not usable(key, now):
                    raise TokenRefused("the API key behind this token is no longer valid")
                principal = KeyPrincipal(row.owner, row.key_id, frozenset(key.scopes), key.org_id)
                refresh = self._add_refresh(session, row.owner, row.key_id, row.family_id)
                reused = False
        if reused:
            raise TokenRefused("the refresh token was used before; its family is revoked")
        access = self._access(principal, row.family_id)
        return TokenPair(access, refresh, ACCESS_SECONDS, row.family_id)

    def logout(self, family_id: str) -> None:
        """Revokes a family: its refresh tokens and its access tokens stop working."""
        with self.database.session() as session:
            self._revoke_family(session, family_id, self._now())

    def verify(self, token: str) -> AccessPrincipal | None:
        """The principal of a valid access token; ``None`` for anything else, including a
        token whose key was revoked or whose family was logged out."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                # Expiry is checked below against this service's clock (tests move it).
                options={"require": ["exp", "iat", "sub", "iss"], "verify_exp": False},
            )
        except jwt.PyJWTError:
            return None
        if claims.get("typ") != "access" or int(claims["exp"]) <= self.clock():
            return None
        now = self._now()
        with self.database.session(write=False) as session:
            key = session.get(ApiKey, claims.get("kid_synq"))
            family_revoked = session.scalar(
                select(RefreshToken.id).where(
                    RefreshToken.family_id == claims.get("fam"),
                    RefreshToken.revoked_at.is_not(None),
                )
            )
        if key is None or not usable(key, now):
            return None
        if family_revoked is not None:
            return None
        return AccessPrincipal(
            owner=str(claims["sub"]),
            key_id=key.id,
            scopes=frozenset(claims.get("scopes", [])) & frozenset(key.scopes),
            org_id=key.org_id,
            family_id=str(claims.get("fam", "")),
        )

    # -- helpers ------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), timezone.utc)

    def _access(self, principal: KeyPrincipal, family: str) -> str:
        issued = int(self.clock())
        claims = {
            "iss": ISSUER,
            "sub": principal.owner,
            "typ": "access",
            "kid_synq": principal.key_id,
            "fam": family,
            "scopes": sorted(principal.scopes),
            "iat": issued,
            "exp": issued + ACCESS_SECONDS,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def _add_refresh(self, session: Session, owner: str, key_id: str, family: str) -> str:
        token = f"{REFRESH_PREFIX}{secrets.token_urlsafe(32)}"
        now = self._now()
        session.add(
            RefreshToken(
                id=uuid.uuid4().hex,
                family_id=family,
                owner=owner,
                key_id=key_id,
                token_hash=digest(token),
                created_at=now,
                expires_at=now + timedelta(days=REFRESH_DAYS),
            )
        )
        return token

    @staticmethod
    def _revoke_family(session: Session, family: str, now: datetime) -> None:
        session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
