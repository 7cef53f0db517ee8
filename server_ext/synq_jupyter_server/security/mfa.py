"""TOTP second factor (RFC 6238, via pyotp) with replay prevention and recovery codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
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
RECOVERY_BYTES = 5  # a recovery code is their hex: 10 characters 0-9, a-f

TOTP_PATTERN = "^[0-9]{6}$"
"""A TOTP code: 6 ASCII digits. Not ``\\d`` nor ``str.isdigit()``, which also take
full-width, Arabic-Indic or superscript digits, which ``hmac.compare_digest`` refuses."""
CODE_PATTERN = f"^(?:[0-9]{{6}}|[0-9A-Fa-f]{{{2 * RECOVERY_BYTES}}})$"
"""A TOTP code or a recovery code, in either case."""
TOTP_RULE = "6 digits 0-9"
CODE_RULE = f"{TOTP_RULE}, or a recovery code of {2 * RECOVERY_BYTES} characters 0-9 and a-f"
_TOTP = re.compile(TOTP_PATTERN)
_CODE = re.compile(CODE_PATTERN)
_MAX_SENT = 64  # characters of a code as sent, spaces included


def totp_form(sent: str) -> str | None:
    """``sent`` as a TOTP code, without the spaces an authenticator app shows in it (one
    space inside, say), or ``None`` when it is not 6 ASCII digits."""
    code = _without_spaces(sent)
    return code if _TOTP.fullmatch(code) else None


def code_form(sent: str) -> str | None:
    """``sent`` as a TOTP code or a recovery code (in lower case), without spaces, or
    ``None`` when it is neither."""
    code = _without_spaces(sent)
    return code.lower() if _CODE.fullmatch(code) else None


def _without_spaces(sent: str) -> str:
    if len(sent) > _MAX_SENT or not sent.isascii():
        return ""
    return sent.strip().replace(" ", "")


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
        """Turns MFA on with a first valid TOTP code; returns the 10 recovery codes, shown
        once.

        Raises:
            SynqInputError: MFA already on, no enrolment, a code that is not 6 ASCII digits,
                or a wrong or replayed code.
        """
        with self.database.session(write=False) as session:
            row = session.get(MfaSecret, owner)
        if row is not None and row.enabled:
            raise SynqInputError("MFA is already on; disable it first", field="mfa")
        if row is None:
            raise SynqInputError("start with POST /synq/api/auth/mfa/setup", field="code")
        totp = totp_form(code)
        if totp is None:
            raise SynqInputError(f"a TOTP code is {TOTP_RULE}", field="code")
        if not self._accept_totp(owner, totp):
            raise SynqInputError("the code is wrong or was used already", field="code")
        codes = [secrets.token_hex(RECOVERY_BYTES) for _ in range(RECOVERY_CODES)]
        with self.database.session() as session:
            session.execute(update(MfaSecret).where(MfaSecret.owner == owner).values(enabled=True))
            session.execute(delete(RecoveryCode).where(RecoveryCode.owner == owner))
            session.add_all(RecoveryCode(owner=owner, code_hash=secret_digest(c)) for c in codes)
        return codes

    def check(self, owner: str, code: str) -> bool:
        """A current TOTP code not used before, or an unused recovery code (then used up);
        anything else (``code_form``) is refused without a look at the database."""
        form = code_form(code)
        if form is None:
            return False
        if _TOTP.fullmatch(form):
            return self._accept_totp(owner, form)
        with self.database.session() as session:
            used = session.execute(
                update(RecoveryCode)
                .where(
                    RecoveryCode.owner == owner,
                    RecoveryCode.code_hash == secret_digest(form),
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
        if not _TOTP.fullmatch(code):  # compare_digest raises on non-ASCII text
            return False
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
