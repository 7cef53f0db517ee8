"""Shared pieces of the API schemas."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Request(BaseModel):
    """A request body: unknown fields are refused and types are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Response(BaseModel):
    """A response body."""

    model_config = ConfigDict(extra="ignore")


class FieldError(Response):
    """One invalid field of a request."""

    field: str
    message: str


class Problem(Response):
    """An RFC 9457 problem detail (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] = []
    correlation_id: str | None = None
