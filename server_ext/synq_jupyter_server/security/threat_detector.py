"""The threat rules over a server's requests: what a finished request shows, and what the
rules make of it.

The state is this process's memory: counting windows, lockouts and last locations are not
shared between server processes (each counts on its own, as the in-process rate limiter
does; a Redis store like the rate limiter's would share them) and start empty after a
restart. ``ThreatService`` stores what the rules find.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from tornado.web import RequestHandler

from synq_jupyter_server.principal import principal_name, signed_in
from synq_jupyter_server.security.api_keys import KEY_PREFIX, PREFIX_LENGTH
from synq_jupyter_server.security.key_identity import presented_key
from synq_jupyter_server.security.threat_locations import LocationTable
from synq_jupyter_server.security.threat_rules import (
    BruteForce,
    EventKind,
    Exfiltration,
    Finding,
    Lockout,
    Severity,
    Travel,
    escalation,
    ip_subject,
    user_subject,
)


@dataclass(frozen=True)
class ThreatSettings:
    """The rules' thresholds; seconds, bytes and km/h (see ``SynqApp``'s traitlets)."""

    brute_force_failures: int = 5
    brute_force_window: float = 900.0
    lockout: float = 60.0
    lockout_max: float = 3600.0
    exfiltration_bytes: int = 1 << 30
    exfiltration_window: float = 3600.0
    travel_kmh: float = 900.0
    locations: LocationTable = field(default_factory=LocationTable)
    learning: float = 3600.0


@dataclass(frozen=True)
class Observation:
    """What the rules need of one finished request.

    ``principal`` is who it authenticated as (``signed_in``), or for a failed
    authentication whom it tried to be, when that is known (an API key's prefix tells).
    """

    at: float
    ip: str
    user_agent: str
    method: str
    path: str
    status: int
    signed_in: bool
    principal: str | None = None
    key_prefix: str | None = None
    failed_auth: bool = False
    sent: int = 0
    refusal: str | None = None
    resource: str = ""
    org_id: str | None = None
    """The organisation the request acted in, or tried to (``None`` before that is known)."""


def observation(handler: RequestHandler, now: float) -> Observation:
    """The observation of a finished request (cheap: it runs after every request)."""
    request = handler.request
    status = handler.get_status()
    authenticated = signed_in(handler)
    # A wrong key or token is a 401; a wrong Jupyter token leaves nobody signed in; a wrong
    # MFA code for a sensitive action is refused as "mfa_code".
    failed = (
        status == 401
        or getattr(handler, "synq_refusal", None) == "mfa_code"
        or (
            status == 403
            and not authenticated
            and bool(request.headers.get("Authorization") or "token" in request.query_arguments)
        )
    )
    return Observation(
        at=now,
        ip=request.remote_ip or "unknown",
        user_agent=request.headers.get("User-Agent", ""),
        method=request.method or "GET",
        path=_api_path(request.path, str(handler.settings.get("base_url", "/"))),
        status=status,
        signed_in=authenticated,
        principal=principal_name(handler) if authenticated else None,
        key_prefix=key_prefix(presented_key(handler)) if failed else None,
        failed_auth=failed,
        sent=int(getattr(handler, "synq_sent", 0)),
        refusal=getattr(handler, "synq_refusal", None),
        resource=str(getattr(handler, "auth_resource", "")),
        org_id=getattr(handler, "synq_org", None),
    )


class ThreatDetector:
    """The rules, fed one observation at a time; safe to call from several threads."""

    def __init__(self, settings: ThreatSettings) -> None:
        self.settings = settings
        self.brute_force = BruteForce(
            settings.brute_force_failures,
            settings.brute_force_window,
            settings.lockout,
            settings.lockout_max,
        )
        self.exfiltration = Exfiltration(settings.exfiltration_bytes, settings.exfiltration_window)
        self.travel = Travel(settings.locations, settings.travel_kmh)
        self._lock = threading.Lock()

    def locked(self, subjects: Iterable[str], now: float) -> Lockout | None:
        """The running lockout of any of ``subjects``."""
        if not self.brute_force.any_locked:
            return None
        with self._lock:
            for subject in subjects:
                lockout = self.brute_force.locked(subject, now)
                if lockout is not None:
                    return lockout
        return None

    def observe(self, obs: Observation) -> list[Finding]:
        """Runs every rule over ``obs``; returns what they found."""
        with self._lock:
            if obs.failed_auth:
                findings = [self._failure(obs, ip_subject(obs.ip))]
                if obs.principal is not None:
                    findings.append(self._failure(obs, user_subject(obs.principal)))
                return [f for f in findings if f is not None]
            if not obs.signed_in or obs.principal is None:
                return []
            return self._signed_in(obs, obs.principal)

    def failure_of(self, obs: Observation, principal: str) -> Finding | None:
        """Counts a failed authentication against ``principal``, found out afterwards."""
        with self._lock:
            return self._failure(replace(obs, principal=principal), user_subject(principal))

    def _failure(self, obs: Observation, subject: str) -> Finding | None:
        lockout = self.brute_force.fail(subject, obs.at)
        if lockout is None:
            return None
        window = self.settings.brute_force_window
        summary = (
            f"{lockout.failures} failed authentications within {window:g} s; "
            f"locked out for {lockout.seconds:g} s (lockout {lockout.strike})"
        )
        details = {
            "failures": lockout.failures,
            "window_s": window,
            "lockout_s": lockout.seconds,
            "lockout": lockout.strike,
            "path": obs.path,
            "status": obs.status,
        }
        return finding_for(obs, "brute_force", "high", subject, summary, details)

    def _signed_in(self, obs: Observation, principal: str) -> list[Finding]:
        subject = user_subject(principal)
        found = (
            self._escalation(obs, subject),
            self._exfiltration(obs, principal, subject),
            self._travel(obs, principal, subject),
        )
        return [f for f in found if f is not None]

    def _escalation(self, obs: Observation, subject: str) -> Finding | None:
        severity = escalation(obs.status, obs.refusal, obs.resource)
        if severity is None:
            return None
        summary = f"{obs.method} {obs.path} refused ({obs.refusal or 'an admin route'})"
        details = {"method": obs.method, "path": obs.path, "refusal": obs.refusal}
        return finding_for(obs, "privilege_escalation", severity, subject, summary, details)

    def _exfiltration(self, obs: Observation, principal: str, subject: str) -> Finding | None:
        if obs.method != "GET" or not 200 <= obs.status < 300 or not obs.sent:
            return None
        total = self.exfiltration.sent(principal, obs.sent, obs.at)
        if total is None:
            return None
        window = self.settings.exfiltration_window
        summary = f"{total} bytes of responses within {window:g} s"
        details = {"bytes": total, "window_s": window, "path": obs.path}
        return finding_for(obs, "exfiltration", "high", subject, summary, details)

    def _travel(self, obs: Observation, principal: str, subject: str) -> Finding | None:
        journey = self.travel.seen(principal, obs.ip, obs.at)
        if journey is None:
            return None
        summary = (
            f"{journey['from']['place']} to {journey['to']['place']} "
            f"({journey['km']} km) in {journey['seconds']} s"
        )
        return finding_for(obs, "impossible_travel", "high", subject, summary, journey)


def finding_for(
    obs: Observation,
    kind: EventKind,
    severity: Severity,
    subject: str,
    summary: str,
    details: dict[str, Any],
) -> Finding:
    """A finding about ``obs``'s request."""
    return Finding(
        kind=kind,
        severity=severity,
        subject=subject,
        summary=summary,
        at=obs.at,
        principal=obs.principal,
        ip=obs.ip,
        user_agent=obs.user_agent or None,
        details=details,
    )


def key_prefix(presented: str | None) -> str | None:
    """The visible prefix of a presented API key (access tokens have none)."""
    if presented is None or not presented.startswith(KEY_PREFIX):
        return None
    return presented[:PREFIX_LENGTH]


def _api_path(path: str, base_url: str) -> str:
    """``path`` without the server's base URL: ``/synq/api/jobs/...``, as on every server."""
    return "/" + path[len(base_url) :] if path.startswith(base_url) else path
