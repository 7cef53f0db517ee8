"""Refusals a service raises when the caller may not do something, for the handlers to turn
into problem+json (and threat detection to count)."""

from __future__ import annotations

from typing import Literal

RefusalKind = Literal["role", "own_role", "scope", "admin", "quota", "mfa", "mfa_code", "org"]
"""``mfa``: the organisation requires MFA the caller has not set up; ``mfa_code``: a wrong
or missing second-factor code, which counts as a failed authentication."""


class Forbidden(Exception):
    """The caller may not do this: a ``status`` (403, or 429 for a spent quota) whose field
    error names ``field``. ``kind`` says which rule refused, for threat detection."""

    def __init__(
        self,
        detail: str,
        field: str,
        kind: RefusalKind = "role",
        status: int = 403,
        reason: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        """Whole seconds until the refusal ends, when that is known (``Retry-After``)."""
        self.detail = detail
        self.field = field
        self.kind = kind
        self.status = status
        self.reason = reason or detail
        """The field error's message (the detail unless shorter words fit the field)."""
