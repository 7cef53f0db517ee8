"""``/synq/api/security/events`` and ``/incidents``: what threat detection found."""

from __future__ import annotations

import asyncio

from jupyter_server.auth.decorator import authorized
from tornado import web

from synq_jupyter_server.db.models import utcnow
from synq_jupyter_server.handlers.base import Operation, SynqHandler
from synq_jupyter_server.schemas.security_events import (
    Incident,
    IncidentDetail,
    IncidentPage,
    IncidentQuery,
    IncidentUpdate,
    SecurityEvent,
    SecurityEventPage,
    SecurityEventQuery,
)

_KEYS = "API keys need `org:admin`."


class SecurityEventsHandler(SynqHandler):
    auth_resource = "synq:security"
    operations = {
        "get": Operation(
            query=SecurityEventQuery,
            summary="Security events of my organisation, newest first",
            description="Brute force, new address or user agent, impossible travel, data "
            "exfiltration and privilege-escalation attempts, each with its evidence. Query "
            "parameters: kind, principal (exact), since (inclusive, ISO 8601), limit (1-500), "
            "cursor (from `next_cursor`). " + _KEYS,
            response=SecurityEventPage,
            errors=(401, 403, 422),
            tags=("security",),
        ),
    }

    @web.authenticated
    @authorized
    async def get(self) -> None:
        query = self.parse_query(SecurityEventQuery)
        events, cursor = await asyncio.to_thread(
            self.services.threats.store.events,
            self.actor.org_id,
            query.filters(),
            query.cursor,
            query.limit,
        )
        page = [SecurityEvent.model_validate(e, from_attributes=True) for e in events]
        self.write_model(SecurityEventPage(events=page, next_cursor=cursor))


class IncidentsHandler(SynqHandler):
    auth_resource = "synq:security"
    operations = {
        "get": Operation(
            query=IncidentQuery,
            summary="Incidents of my organisation, newest first",
            description="A rule opens one incident per subject and keeps adding its events "
            "to it until it is resolved. Query parameters: status, limit (1-500), cursor. " + _KEYS,
            response=IncidentPage,
            errors=(401, 403, 422),
            tags=("security",),
        ),
    }

    @web.authenticated
    @authorized
    async def get(self) -> None:
        query = self.parse_query(IncidentQuery)
        incidents, cursor = await asyncio.to_thread(
            self.services.threats.store.incidents,
            self.actor.org_id,
            query.status,
            query.cursor,
            query.limit,
        )
        page = [Incident.model_validate(i, from_attributes=True) for i in incidents]
        self.write_model(IncidentPage(incidents=page, next_cursor=cursor))


class IncidentHandler(SynqHandler):
    auth_resource = "synq:security"
    operations = {
        "get": Operation(
            summary="One incident with its evidence",
            response=IncidentDetail,
            errors=(401, 403, 404),
            tags=("security",),
        ),
        "patch": Operation(
            summary="Acknowledge or resolve an incident, with an optional note",
            description="A resolved incident stays resolved: if the threat returns, the rule "
            "opens a new one. " + _KEYS,
            request=IncidentUpdate,
            response=Incident,
            errors=(400, 401, 403, 404, 422),
            tags=("security",),
        ),
    }

    @web.authenticated
    @authorized
    async def get(self, incident_id: str) -> None:
        incident, events = await asyncio.to_thread(
            self.services.threats.store.incident, self.actor.org_id, incident_id
        )
        evidence = [SecurityEvent.model_validate(e, from_attributes=True) for e in events]
        fields = Incident.model_validate(incident, from_attributes=True).model_dump()
        self.write_model(IncidentDetail(**fields, events=evidence))

    @web.authenticated
    @authorized
    async def patch(self, incident_id: str) -> None:
        body = self.parse_body(IncidentUpdate)
        incident = await asyncio.to_thread(
            self.services.threats.store.update_incident,
            self.actor.org_id,
            incident_id,
            body.status,
            body.note,
            self.username,
            utcnow(),
        )
        self.write_model(Incident.model_validate(incident, from_attributes=True))
