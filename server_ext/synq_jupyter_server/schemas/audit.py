"""Schemas of the audit log routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from synq_jupyter_server.schemas.base import QueryCount, Request, Response, UtcDatetime
from synq_jupyter_server.security.audit_records import AuditFilter, ChainReport

MAX_PAGE = 500


class AuditQuery(Request):
    model_config = Request.model_config | {"strict": False}

    actor: str | None = Field(default=None, max_length=255)
    action: str | None = Field(
        default=None, max_length=255, examples=["POST /synq/api/jobs", "security.brute_force"]
    )
    outcome: str | None = Field(default=None, max_length=32, examples=["201", "detected"])
    since: UtcDatetime | None = Field(default=None, description="Inclusive; UTC when no offset.")
    until: UtcDatetime | None = Field(default=None, description="Exclusive; UTC when no offset.")
    # Before limit and cursor, which are checked against it.
    format: Literal["json", "jsonl", "csv"] = "json"
    limit: QueryCount = Field(default=100, ge=1, le=MAX_PAGE, description="Not with an export.")
    cursor: str | None = Field(default=None, description="Not with an export.")

    @field_validator("limit", "cursor")
    @classmethod
    def _paged_only(cls, value: Any, info: ValidationInfo) -> Any:
        """An export holds every matching entry: a page's size or place, sent with one,
        would be silently ignored."""
        fmt = info.data.get("format", "json")
        if fmt != "json":
            raise ValueError(f"not with format={fmt}: an export holds every matching entry")
        return value

    def filters(self) -> AuditFilter:
        return AuditFilter(
            actor=self.actor,
            action=self.action,
            outcome=self.outcome,
            since=self.since,
            until=self.until,
        )


class AuditEntry(Response):
    seq: int = Field(description="The entry's place in its organisation's chain, from 1.")
    org_id: str
    created_at: datetime
    actor: str = Field(description="Who acted; `anonymous` before authentication.")
    action: str = Field(description="`METHOD /synq/api/route` or a security event name.")
    target: str | None = Field(description="What the action was on, e.g. a job id.")
    outcome: str = Field(description="The HTTP status, or `ok`, `denied`, `failed`.")
    ip: str | None
    user_agent: str | None
    details: dict[str, Any]
    prev_hash: str = Field(description="The previous entry's `hash` (64 zeros for the first).")
    hash: str = Field(description="SHA-256 over `prev_hash` and this entry's fields.")


class AuditPage(Response):
    entries: list[AuditEntry]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page.")


class ChainBreak(Response):
    seq: int = Field(description="The first entry at which the chain fails.")
    kind: Literal["edited", "deleted", "broken_link", "head"]
    detail: str


class AuditVerification(Response):
    ok: bool
    org_id: str
    checked: int = Field(description="Entries read before the check stopped.")
    head_seq: int = Field(description="The newest entry the log wrote.")
    head_hash: str = Field(description="Its hash: record it elsewhere to detect a rewrite.")
    broken: ChainBreak | None

    @classmethod
    def of(cls, report: ChainReport) -> AuditVerification:
        broken = (
            ChainBreak.model_validate(report.broken, from_attributes=True)
            if report.broken
            else None
        )
        return cls(
            ok=report.ok,
            org_id=report.org_id,
            checked=report.checked,
            head_seq=report.head_seq,
            head_hash=report.head_hash,
            broken=broken,
        )
