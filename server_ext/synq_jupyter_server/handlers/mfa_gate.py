"""The MFA gate of sensitive actions: once MFA is on, they need a code."""

from __future__ import annotations

import asyncio

from synq_jupyter_server.security.mfa import MfaService
from synq_jupyter_server.security.refusals import Forbidden


async def require_mfa(
    mfa: MfaService, owner: str, code: str | None, status: int = 403, field: str = "totp"
) -> None:
    """Passes when ``owner`` has no MFA, or ``code`` is a current TOTP or unused recovery code.

    Args:
        field: Where the route reads the code: the body's ``totp``, or the ``X-Synq-TOTP``
            header.

    Raises:
        Forbidden: ``status`` naming ``field``, of kind ``mfa_code``: threat detection counts
            it as a failed authentication, so guessing codes runs into a lockout here as it
            does at the token exchange.
    """
    if not await asyncio.to_thread(mfa.enabled, owner):
        return
    accepted: bool = False
    if code:
        accepted = await asyncio.to_thread(mfa.check, owner, code)
    if accepted:
        return
    raise Forbidden(
        f"MFA is on for this account: send a valid `{field}` code",
        field=field,
        kind="mfa_code",
        status=status,
        reason="a current TOTP code or an unused recovery code",
    )
