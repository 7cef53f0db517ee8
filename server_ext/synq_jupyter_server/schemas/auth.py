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
    authenticated_by: Literal["server", "api_key"]
    scopes: list[str] | None = Field(description="The key's scopes; null without a key.")
    key_id: str | None
