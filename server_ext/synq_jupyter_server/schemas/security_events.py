"""Schemas of the threat-detection routes: security events and incidents."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from synq_jupyter_server.schemas.base import (
    PlainText,
    QueryCount,
    Request,
    Response,
    UtcDatetime,
)
from synq_jupyter_server.security.threat_rules import EventKind, Severity
from synq_jupyter_server.security.threat_store import EventFilter, IncidentStatus

MAX_PAGE = 500


class SecurityEventQuery(Request):
    model_config = Request.model_config | {"strict": False}

    kind: EventKind | None = None
    principal: str | None = Field(default=None, max_length=255)
    since: UtcDatetime | None = Field(default=None, description="Inclusive; UTC when no offset.")
    limit: QueryCount = Field(default=100, ge=1, le=MAX_PAGE)
    cursor: str | None = None

    def filters(self) -> EventFilter:
        return EventFilter(kind=self.kind, principal=self.principal, since=self.since)


class SecurityEvent(Response):
    id: int
    org_id: str
    kind: EventKind
    severity: Severity
    subject: str = Field(description="`user:<name>`, or `ip:<address>` when nobody signed in.")
    principal: str | None = Field(description="Who it concerns, when known.")
    ip: str | None
    user_agent: str | None
    summary: str
    details: dict[str, Any] = Field(description="The evidence: counts, places, routes.")
    incident_id: str | None = Field(description="The incident it opened or added to.")
    created_at: datetime


class SecurityEventPage(Response):
    events: list[SecurityEvent]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page.")


class IncidentQuery(Request):
    model_config = Request.model_config | {"strict": False}

    status: IncidentStatus | None = None
    limit: QueryCount = Field(default=100, ge=1, le=MAX_PAGE)
    cursor: str | None = None


class Incident(Response):
    id: str
    org_id: str
    rule: Literal["brute_force", "impossible_travel", "exfiltration", "privilege_escalation"]
    subject: str
    severity: Severity = Field(description="The highest severity of its events.")
    status: IncidentStatus
    summary: str = Field(description="What opened it.")
    event_count: int = Field(description="Events that opened it or added to it.")
    opened_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    changed_by: str | None = Field(description="Who last changed its status or note.")
    note: str | None


class IncidentPage(Response):
    incidents: list[Incident]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page.")


class IncidentDetail(Incident):
    events: list[SecurityEvent] = Field(description="Its newest 100 events, newest first.")


class IncidentUpdate(Request):
    status: Literal["acknowledged", "resolved"] = Field(
        description="`resolved` is final: if the threat returns, the rule opens a new incident."
    )
    note: PlainText | None = Field(default=None, max_length=2000)
