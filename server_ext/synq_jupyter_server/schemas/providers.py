"""Schemas of the provider credential routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from synq_jupyter_server.schemas.base import Request, Response


class CredentialsPut(Request):
    token: str = Field(min_length=1, max_length=4096, description="The provider's API key.")
    url: str | None = Field(
        default=None, max_length=2048, description="API base URL; the provider's by default."
    )
    instance: str | None = Field(
        default=None,
        max_length=1024,
        description="IBM only: the instance's CRN; the client picks one when null.",
    )


class ProviderStatus(Response):
    name: str
    configured: bool
    updated_at: datetime | None


class ProviderList(Response):
    providers: list[ProviderStatus]
