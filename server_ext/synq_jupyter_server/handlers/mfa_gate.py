"""The MFA gate of sensitive actions: once MFA is on, they need a code."""

from __future__ import annotations

import asyncio

from synq_jupyter_server.handlers.base import RequestError
from synq_jupyter_server.schemas.base import FieldError
from synq_jupyter_server.security.mfa import MfaService


async def require_mfa(mfa: MfaService, owner: str, code: str | None, status: int = 403) -> None:
    """Passes when ``owner`` has no MFA, or ``code`` is a current TOTP or unused recovery code.

    Raises:
        RequestError: ``status`` naming the ``totp`` field.
    """
    if not await asyncio.to_thread(mfa.enabled, owner):
        return
    accepted: bool = False
    if code:
        accepted = await asyncio.to_thread(mfa.check, owner, code)
    if accepted:
        return
    error = FieldError(field="totp", message="a current TOTP code or an unused recovery code")
    raise RequestError(status, "MFA is on for this account: send a valid `totp` code", [error])
