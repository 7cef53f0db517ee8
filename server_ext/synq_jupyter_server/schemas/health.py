"""Schemas of the health route."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from synq_jupyter_server.schemas.base import Response

Status = Literal["ok", "error"]


class DatabaseHealth(Response):
    status: Status
    backend: str = Field(description="sqlite or postgresql.")
    url: str = Field(description="Connection URL with the password hidden.")
    revision: str | None = Field(description="Alembic revision the database is at.")
    head: str | None = Field(description="Newest revision this version ships.")
    detail: str | None = None


class ExecutorHealth(Response):
    status: Status
    kind: str
    workers: int | None = None
    worker_pid: int | None = None
    busy: int | None = Field(default=None, description="Workers running a job right now.")
    scheduler: str | None = Field(default=None, description="Address of a Dask scheduler.")
    detail: str | None = None


class Health(Response):
    status: Status
    version: str
    database: DatabaseHealth
    executor: ExecutorHealth
