"""TOTP second factor (RFC 6238, via pyotp) with replay prevention and recovery codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import pyotp
from sqlalchemy import delete, or_, update

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import MfaSecret, RecoveryCode, utcnow
from synq_jupyter_server.jobs.states import personal_org
from synq_jupyter_server.security.api_keys import digest as secret_digest
from synq_jupyter_server.security.keyring import Keyring, Sealed

log = logging.getLogger("synq.security")

ISSUER = "SynQ"
STEP_SECONDS = 30
DRIFT_STEPS = 1  # accept the codes of one step before and after (clock drift)
RECOVERY_CODES = 10


def totp_at(seed: bytes, step: int, digest: str = "sha1", digits: int = 6) -> str:
    """The code of time step ``step`` (Unix time // 30) for a raw ``seed`` (RFC 6238)."""
    secret = base64.b32encode(seed).decode()
    return pyotp.TOTP(secret, digits=digits, digest=getattr(hashlib, digest)).at(
        step * STEP_SECONDS
    )


@dataclass(frozen=True)
class MfaSetup:
    """What a user needs to add SynQ to an authenticator app."""

    otpauth_uri: str
    qr_png: str  # a data: URI
    secret: str  # base32, for typing in by hand


class MfaService:
    """Seeds sealed with the keyring (bound to ``org|mfa_secrets|owner``); codes checked in
    constant time; a code is accepted once (the last accepted step is stored and only later
    steps pass); recovery codes are single-use, and only their hashes are kept.

    Args:
        database: Where seeds and recovery codes live.
        keyring: Seals the seeds.
        clock: Seconds since the epoch; replaceable in tests.
    """

    def __init__(
        self, database: Database, keyring: Keyring, clock: Callable[[], float] = time.time
    ) -> None:
        self.database = database
        self.keyring = keyring
        self.clock = clock

    def enabled(self, owner: str) -> bool:
        with self.database.session(write=False) as session:
            row = session.get(MfaSecret, owner)
            return bool(row is not None and row.enabled)

    def setup(self, owner: str) -> MfaSetup:
        """Starts (or restarts) enrolment with a fresh seed; MFA is on once ``verify`` passes.

        Raises:
            SynqInputError: MFA is already on (disable it first).
        """
        if self.enabled(owner):
            raise SynqInputError("MFA is already on; disable it first", field="mfa")
        import segno

        seed = secrets.token_bytes(20)
        org = personal_org(owner)
        sealed = self.keyring.seal(seed, _associated(org, owner))
        with self.database.session() as session:
            session.execute(delete(MfaSecret).where(MfaSecret.owner == owner))
            session.add(
                MfaSecret(
                    owner=owner,
                    org_id=org,
                    key_id=sealed.key_id,
                    nonce=sealed.nonce,
                    ciphertext=sealed.ciphertext,
                    enabled=False,
                    created_at=utcnow(),
                )
            )
        secret = base64.b32encode(seed).decode()
        uri = pyotp.TOTP(secret).provisioning_uri(name=owner, issuer_name=ISSUER)
        return MfaSetup(uri, segno.make(uri, micro=False).png_data_uri(scale=4), secret)

    def verify(self, owner: str, code: str) -> list[str]:
        """Turns MFA on with a first valid code; returns the 10 recovery codes, shown once.

        Raises:
            SynqInputError: No enrolment, MFA already on, or a wrong or replayed code.
        """
        with self.database.session(write=False) as session:
            row = session.get(MfaSecret, owner)
        if row is None or row.enabled:
            raise SynqInputError("start with POST /synq/api/auth/mfa/setup", field="code")
        if not self._accept_totp(owner, code):
            raise SynqInputError("the code is wrong or was used already", field="code")
        codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
        with self.database.session() as session:
            session.execute(update(MfaSecret).where(MfaSecret.owner == owner).values(enabled=True))
            session.execute(delete(RecoveryCode).where(RecoveryCode.owner == owner))
            session.add_all(RecoveryCode(owner=owner, code_hash=secret_digest(c)) for c in codes)
        return codes

    def check(self, owner: str, code: str) -> bool:
        """A current TOTP code not used before, or an unused recovery code (then used up)."""
        code = code.strip().replace(" ", "")
        if len(code) == 6 and code.isdigit():
            return self._accept_totp(owner, code)
        with self.database.session() as session:
            used = session.execute(
                update(RecoveryCode)
                .where(
                    RecoveryCode.owner == owner,
                    RecoveryCode.code_hash == secret_digest(code.lower()),
                    RecoveryCode.used_at.is_(None),
                )
                .values(used_at=utcnow())
            )
            return bool(getattr(used, "rowcount", 0))

    def disable(self, owner: str, code: str) -> None:
        """Turns MFA off; needs a valid code, so a stolen session alone cannot."""
        if not self.enabled(owner):
            raise SynqInputError("MFA is not on", field="mfa")
        if not self.check(owner, code):
            raise SynqInputError("the code is wrong or was used already", field="code")
        with self.database.session() as session:
            session.execute(delete(MfaSecret).where(MfaSecret.owner == owner))
            session.execute(delete(RecoveryCode).where(RecoveryCode.owner == owner))

    def _accept_totp(self, owner: str, code: str) -> bool:
        with self.database.session(write=False) as session:
            row = session.get(MfaSecret, owner)
        if row is None:
            return False
        seed = self.keyring.open(
            Sealed(row.key_id, row.nonce, row.ciphertext), _associated(row.org_id, owner)
        )
        now = int(self.clock()) // STEP_SECONDS
        matched = [
            step
            for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1)
            if hmac.compare_digest(totp_at(seed, step), code)
        ]
        if not matched:
            return False
        step = matched[0]
        with self.database.session() as session:
            # Conditional on the stored step: of two requests with one code, one wins.
            accepted = session.execute(
                update(MfaSecret)
                .where(
                    MfaSecret.owner == owner,
                    or_(MfaSecret.last_step.is_(None), MfaSecret.last_step < step),
                )
                .values(last_step=step)
            )
        if not getattr(accepted, "rowcount", 0):
            log.warning("SynQ refused a replayed TOTP code for %s", owner)
            return False
        return True


def _associated(org: str, owner: str) -> str:
    return f"{org}|mfa_secrets|{owner}"
