"""Schemas of the identity routes: API keys and who I am."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, WithJsonSchema

from synq_jupyter_server.schemas.base import DisplayName, Request, Response
from synq_jupyter_server.security.api_keys import MAX_DAYS, SCOPES
from synq_jupyter_server.security.mfa import (
    CODE_PATTERN,
    CODE_RULE,
    TOTP_PATTERN,
    TOTP_RULE,
    code_form,
    totp_form,
)


def _totp(sent: str) -> str:
    code = totp_form(sent)
    if code is None:
        raise ValueError(f"a TOTP code is {TOTP_RULE}")
    return code


def _totp_or_recovery(sent: str) -> str:
    code = code_form(sent)
    if code is None:
        raise ValueError(f"a code is {CODE_RULE}")
    return code


_SPACES = "Spaces are ignored."
TotpCode = Annotated[
    str,
    AfterValidator(_totp),
    WithJsonSchema({"type": "string", "pattern": TOTP_PATTERN, "examples": ["123456"]}),
]
"""A TOTP code: 6 ASCII digits (spaces are dropped); other digits, such as full-width or
Arabic-Indic ones, are refused naming the field."""
MfaCodeText = Annotated[
    str,
    AfterValidator(_totp_or_recovery),
    WithJsonSchema({"type": "string", "pattern": CODE_PATTERN, "examples": ["123456"]}),
]
"""A TOTP code or a recovery code (lower-cased, spaces dropped)."""


class ApiKeyCreate(Request):
    name: DisplayName = Field(examples=["ci pipeline"])
    scopes: list[str] = Field(
        min_length=1, max_length=len(SCOPES), description=f"Any of: {', '.join(SCOPES)}."
    )
    expires_in_days: int = Field(default=90, ge=1, le=MAX_DAYS)
    totp: MfaCodeText | None = Field(
        default=None,
        description="Required once MFA is on for the account: a TOTP or recovery code. " + _SPACES,
    )


class ApiKey(Response):
    id: str
    name: str
    prefix: str = Field(description="The key's visible start, to tell keys apart.")
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKey):
    key: str = Field(description="The whole key. Shown this once; store it now.")


class ApiKeyList(Response):
    keys: list[ApiKey]


class Me(Response):
    username: str
    authenticated_by: Literal["server", "api_key", "access_token"]
    scopes: list[str] | None = Field(description="The key's scopes; null without a key.")
    key_id: str | None
    org_id: str = Field(description="The organisation this request acts in.")
    org_role: str | None = Field(description="Your role there (null: not a member).")
    platform_role: Literal["user", "admin", "superadmin"]


class TokenRequest(Request):
    totp: MfaCodeText | None = Field(
        default=None, description=f"A TOTP or recovery code, when MFA is on. {_SPACES}"
    )


class TokenPair(Response):
    access_token: str = Field(description="A JWT for `Authorization: Bearer`, 15 minutes.")
    refresh_token: str = Field(description="Single use: `POST /synq/api/auth/refresh`.")
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Seconds the access token lives.")


class RefreshRequest(Request):
    refresh_token: str = Field(min_length=1, max_length=256)


class MfaSetup(Response):
    otpauth_uri: str = Field(description="For authenticator apps.")
    qr_png: str = Field(description="The same URI as a QR code, a PNG `data:` URI.")
    secret: str = Field(description="The base32 seed, to type in by hand.")


class MfaVerify(Request):
    code: TotpCode = Field(description=f"The authenticator app's current code. {_SPACES}")


class MfaCode(Request):
    code: MfaCodeText = Field(description=f"A TOTP or recovery code. {_SPACES}")


class RecoveryCodes(Response):
    recovery_codes: list[str] = Field(description="10 single-use codes, shown this once.")
