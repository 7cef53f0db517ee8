"""Security events, incidents and baselines in the database."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import ApiKey, SecurityBaseline, SecurityEvent, SecurityIncident
from synq_jupyter_server.jobs.job_view import as_utc
from synq_jupyter_server.jobs.queue import NotFound
from synq_jupyter_server.page_cursor import decode_cursor, encode_cursor
from synq_jupyter_server.security.threat_rules import SEVERITY_RANK, Baseline, Finding

IncidentStatus = Literal["open", "acknowledged", "resolved"]
BaselineKind = Literal["ip", "user_agent"]
EVIDENCE_SHOWN = 100
"""The newest events an incident is shown with; ``event_count`` says how many there are."""
_LIMITS = {"ip": 64, "user_agent": 512, "principal": 255, "summary": 512, "subject": 320}


class IncidentNotFound(NotFound):
    """No incident with that id belongs to the caller's organisation."""

    what = "incident"
    field = "incident_id"


@dataclass(frozen=True)
class EventView:
    id: int
    org_id: str
    kind: str
    severity: str
    subject: str
    principal: str | None
    ip: str | None
    user_agent: str | None
    summary: str
    details: dict[str, Any]
    incident_id: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: SecurityEvent) -> EventView:
        fields = {name: getattr(row, name) for name in cls.__dataclass_fields__}
        return cls(**{**fields, "created_at": as_utc(row.created_at)})


@dataclass(frozen=True)
class IncidentView:
    id: str
    org_id: str
    rule: str
    subject: str
    severity: str
    status: str
    summary: str
    event_count: int
    opened_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    changed_by: str | None
    note: str | None

    @classmethod
    def of(cls, row: SecurityIncident) -> IncidentView:
        fields = {name: getattr(row, name) for name in cls.__dataclass_fields__}
        times = {
            "opened_at": as_utc(row.opened_at),
            "updated_at": as_utc(row.updated_at),
            "resolved_at": as_utc(row.resolved_at),
        }
        return cls(**{**fields, **times})


@dataclass(frozen=True)
class EventFilter:
    """What a read of events may filter on; ``None`` means any. ``since`` is inclusive."""

    kind: str | None = None
    principal: str | None = None
    since: datetime | None = None


def open_key(org_id: str, rule: str, subject: str) -> str:
    """What makes an unresolved incident unique: one per organisation, rule and subject."""
    return hashlib.sha256(f"{org_id}\x00{rule}\x00{subject}".encode()).hexdigest()


class ThreatStore:
    """Durable side of threat detection. Every read and change is within one organisation."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def record(self, finding: Finding, org_id: str) -> EventView:
        """Stores ``finding`` as an event; an incident-worthy one opens an incident for its
        rule and subject, or adds to the one that is open (raising its severity if need be)."""
        at = datetime.fromtimestamp(finding.at, timezone.utc)
        event = SecurityEvent(
            org_id=org_id,
            kind=finding.kind,
            severity=finding.severity,
            subject=_clip(finding.subject, "subject"),
            principal=_clip(finding.principal, "principal"),
            ip=_clip(finding.ip, "ip"),
            user_agent=_clip(finding.user_agent, "user_agent"),
            summary=_clip(finding.summary, "summary"),
            details=json.loads(json.dumps(dict(finding.details), allow_nan=False)),
            created_at=at,
        )
        with self.database.session() as session:
            if finding.opens_incident:
                event.incident_id = self._incident_for(session, finding, org_id, at)
            session.add(event)
            session.flush()
            return EventView.of(event)

    def _incident_for(self, session: Session, finding: Finding, org_id: str, at: datetime) -> str:
        key = open_key(org_id, finding.kind, finding.subject)
        for _ in range(2):
            incident = session.scalars(
                select(SecurityIncident).where(SecurityIncident.open_key == key).with_for_update()
            ).one_or_none()
            if incident is not None:
                incident.event_count += 1
                incident.updated_at = at
                if SEVERITY_RANK[finding.severity] > SEVERITY_RANK[incident.severity]:
                    incident.severity = finding.severity
                return incident.id
            incident = SecurityIncident(
                id=uuid.uuid4().hex,
                org_id=org_id,
                rule=finding.kind,
                subject=_clip(finding.subject, "subject"),
                severity=finding.severity,
                status="open",
                summary=_clip(finding.summary, "summary"),
                event_count=1,
                opened_at=at,
                updated_at=at,
                open_key=key,
            )
            try:
                # Another process may open the same incident at this moment: its row wins.
                with session.begin_nested():
                    session.add(incident)
            except IntegrityError:
                continue
            return incident.id
        raise RuntimeError(f"could not open or find the incident {key}")

    def update_incident(
        self,
        org_id: str,
        incident_id: str,
        status: IncidentStatus,
        note: str | None,
        actor: str,
        now: datetime,
    ) -> IncidentView:
        """Acknowledges or resolves an incident. A resolved incident stays resolved (the
        rule opens a new one if the threat comes back); its note may still change."""
        with self.database.session() as session:
            incident = self._owned(session, org_id, incident_id)
            if incident.status == "resolved" and status != "resolved":
                raise SynqInputError(
                    "the incident is resolved; a new one opens if the threat returns",
                    field="status",
                )
            if incident.status != status:
                incident.status = status
                incident.changed_by = actor
                incident.updated_at = now
                if status == "resolved":
                    incident.resolved_at = now
                    incident.open_key = None
            if note is not None:
                incident.note = note
                incident.changed_by = actor
                incident.updated_at = now
            session.flush()
            return IncidentView.of(incident)

    def incident(self, org_id: str, incident_id: str) -> tuple[IncidentView, list[EventView]]:
        """An incident and its newest events (its evidence)."""
        with self.database.session(write=False) as session:
            incident = self._owned(session, org_id, incident_id)
            events = session.scalars(
                select(SecurityEvent)
                .where(SecurityEvent.incident_id == incident.id)
                .order_by(SecurityEvent.id.desc())
                .limit(EVIDENCE_SHOWN)
            )
            return IncidentView.of(incident), [EventView.of(e) for e in events]

    def incidents(
        self, org_id: str, status: str | None, cursor: str | None, limit: int
    ) -> tuple[list[IncidentView], str | None]:
        """A page of incidents, newest first, and the cursor of the next page."""
        query = select(SecurityIncident).where(SecurityIncident.org_id == org_id)
        if status is not None:
            query = query.where(SecurityIncident.status == status)
        if cursor:
            at, after_id = decode_cursor(cursor, "incidents", datetime, str)
            query = query.where(
                (SecurityIncident.opened_at < at)
                | ((SecurityIncident.opened_at == at) & (SecurityIncident.id < after_id))
            )
        query = query.order_by(SecurityIncident.opened_at.desc(), SecurityIncident.id.desc())
        with self.database.session(write=False) as session:
            rows = [IncidentView.of(r) for r in session.scalars(query.limit(limit + 1))]
        page = rows[:limit]
        if len(rows) <= limit:
            return page, None
        return page, encode_cursor("incidents", page[-1].opened_at.isoformat(), page[-1].id)

    def events(
        self, org_id: str, filters: EventFilter, cursor: str | None, limit: int
    ) -> tuple[list[EventView], str | None]:
        """A page of events, newest first, and the cursor of the next page."""
        query = select(SecurityEvent).where(SecurityEvent.org_id == org_id)
        if filters.kind is not None:
            query = query.where(SecurityEvent.kind == filters.kind)
        if filters.principal is not None:
            query = query.where(SecurityEvent.principal == filters.principal)
        if filters.since is not None:
            query = query.where(SecurityEvent.created_at >= as_utc(filters.since))
        if cursor:
            (before,) = decode_cursor(cursor, "events", int)
            query = query.where(SecurityEvent.id < before)
        query = query.order_by(SecurityEvent.id.desc()).limit(limit + 1)
        with self.database.session(write=False) as session:
            rows = [EventView.of(r) for r in session.scalars(query)]
        page = rows[:limit]
        return page, encode_cursor("events", page[-1].id) if len(rows) > limit else None

    def baseline(self, principal: str) -> Baseline:
        """Every address and user agent ``principal`` was seen with, and since when."""
        with self.database.session(write=False) as session:
            rows = session.execute(
                select(SecurityBaseline.kind, SecurityBaseline.value).where(
                    SecurityBaseline.principal == principal
                )
            ).all()
            first = session.scalar(
                select(func.min(SecurityBaseline.first_seen_at)).where(
                    SecurityBaseline.principal == principal
                )
            )
        return Baseline(
            first_seen=as_utc(first).timestamp() if first is not None else None,
            ips=frozenset(value for kind, value in rows if kind == "ip"),
            user_agents=frozenset(value for kind, value in rows if kind == "user_agent"),
        )

    def learn(self, principal: str, values: dict[BaselineKind, str], at: float) -> set[str]:
        """Adds values to ``principal``'s baseline; returns the kinds that were new (another
        process may have added the same value a moment ago: then it is not new here)."""
        when = datetime.fromtimestamp(at, timezone.utc)
        insert = sqlite_insert if self.database.is_sqlite else postgresql_insert
        added: set[str] = set()
        with self.database.session() as session:
            for kind, value in values.items():
                inserted = session.execute(
                    insert(SecurityBaseline)
                    .values(principal=principal, kind=kind, value=value, first_seen_at=when)
                    .on_conflict_do_nothing()
                    .returning(SecurityBaseline.kind)
                ).first()
                if inserted is not None:
                    added.add(kind)
        return added

    def key_owner(self, prefix: str) -> str | None:
        """The owner of the API key with this visible prefix, if there is one."""
        with self.database.session(write=False) as session:
            owner: str | None = session.scalar(select(ApiKey.owner).where(ApiKey.prefix == prefix))
            return owner

    def _owned(self, session: Session, org_id: str, incident_id: str) -> SecurityIncident:
        incident = session.get(SecurityIncident, incident_id)
        if incident is None or incident.org_id != org_id:
            raise IncidentNotFound(incident_id)
        return incident


def _clip(value: str | None, name: str) -> Any:
    return None if value is None else value.replace("\x00", "")[: _LIMITS[name]]
