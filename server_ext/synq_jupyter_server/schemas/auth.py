"""Schemas of the identity routes: API keys and who I am."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from synq_jupyter_server.schemas.base import Request, Response
from synq_jupyter_server.security.api_keys import MAX_DAYS, SCOPES


class ApiKeyCreate(Request):
    name: str = Field(min_length=1, max_length=255, examples=["ci pipeline"])
    scopes: list[str] = Field(
        min_length=1, max_length=len(SCOPES), description=f"Any of: {', '.join(SCOPES)}."
    )
    expires_in_days: int = Field(default=90, ge=1, le=MAX_DAYS)
    totp: str | None = Field(
        default=None, max_length=32, description="Required once MFA is on for the account."
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
    totp: str | None = Field(
        default=None, max_length=32, description="A TOTP or recovery code, when MFA is on."
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


class MfaCode(Request):
    code: str = Field(min_length=6, max_length=32, description="A TOTP or recovery code.")


class RecoveryCodes(Response):
    recovery_codes: list[str] = Field(description="10 single-use codes, shown this once.")
