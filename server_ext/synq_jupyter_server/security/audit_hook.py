"""The audit hook of the SynQ API: every finished POST, PUT, PATCH and DELETE is recorded."""

from __future__ import annotations

import functools
import logging
from concurrent.futures import Future

from tornado.web import RequestHandler

from synq_jupyter_server.jobs.states import personal_org
from synq_jupyter_server.principal import principal_name, signed_in
from synq_jupyter_server.security.audit import AuditService
from synq_jupyter_server.security.audit_records import (
    ANONYMOUS,
    SYSTEM_ORG,
    AuditEvent,
    AuditRecord,
)
from synq_jupyter_server.security.key_identity import key_principal

log = logging.getLogger("synq.security")

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def audit_request(handler: RequestHandler) -> Future[AuditRecord | None] | None:
    """Records a finished POST, PUT, PATCH or DELETE; other methods are ignored.

    Meant for ``SynqHandler.on_finish``: it returns at once (the write happens on the audit
    writer thread) and never raises; a failure is logged instead.
    """
    if handler.request.method not in MUTATING:
        return None
    try:
        audit: AuditService = handler.settings["synq_services"].audit
        return audit.append_later(request_event(handler))
    except Exception:
        log.exception("SynQ could not audit %s %s", handler.request.method, handler.request.path)
        return None


def request_event(handler: RequestHandler) -> AuditEvent:
    """The audit event of a finished request: who, which route, on what, and its status,
    in the chain of the organisation it acted in (the caller's personal one when refused
    before that was known).

    The query string and body are never recorded (either may hold a secret).
    """
    key = key_principal(handler)
    authenticated = signed_in(handler)
    actor = principal_name(handler) if authenticated else ANONYMOUS
    # Not set when the request was refused before routing finished (a path that is not UTF-8).
    kwargs = getattr(handler, "path_kwargs", None) or {}
    acting = getattr(handler, "synq_actor", None)  # set once the authorizer let it through
    # Refused by the authorizer: the organisation it acted in when the caller is a member
    # (or acts with a key made in it), else the caller's own.
    refused_in = getattr(handler, "synq_audit_org", None)
    if acting:
        org_id = acting.org_id
    elif refused_in:
        org_id = refused_in
    else:
        org_id = personal_org(actor) if authenticated else SYSTEM_ORG
    return AuditEvent(
        org_id=org_id,
        actor=actor,
        action=f"{handler.request.method} {_route(handler)}",
        target="/".join(kwargs.values()) or None,
        outcome=str(handler.get_status()),
        ip=handler.request.remote_ip,
        user_agent=handler.request.headers.get("User-Agent"),
        details={"api_key": key.key_id} if key else {},
    )


def _route(handler: RequestHandler) -> str:
    """The route's template (``/synq/api/jobs/{job_id}``), so one action names one route."""
    template = _templates().get(type(handler))
    if template is not None:
        return template
    base = str(handler.settings.get("base_url", "/"))
    path = handler.request.path
    return "/" + path[len(base) :] if path.startswith(base) else path


@functools.cache
def _templates() -> dict[type, str]:
    from synq_jupyter_server.routes import API_PREFIX, api_routes  # the routes import us

    return {route.handler: API_PREFIX + route.path for route in api_routes()}
