"""Threat detection's service: lockouts for the request path, and a writer thread that
stores what the rules find (events, incidents, baselines) and appends each event to the
audit log."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from tornado.web import RequestHandler

from synq_jupyter_server.jobs.states import personal_org
from synq_jupyter_server.security.audit import AuditService
from synq_jupyter_server.security.audit_records import ANONYMOUS, SYSTEM_ORG, AuditEvent
from synq_jupyter_server.security.key_identity import presented_key
from synq_jupyter_server.security.threat_detector import (
    Observation,
    ThreatDetector,
    ThreatSettings,
    finding_for,
    key_prefix,
    observation,
)
from synq_jupyter_server.security.threat_rules import (
    USER,
    Baseline,
    Finding,
    Lockout,
    ip_subject,
    unusual_access,
    user_subject,
)
from synq_jupyter_server.security.threat_store import BaselineKind, EventView, ThreatStore

log = logging.getLogger("synq.security")

CACHE_LIMIT = 100_000
"""Entries of a lookup cache before it is emptied and filled again from the database."""


class ThreatService:
    """Threat detection of one server process.

    The request path only touches memory: ``lockout`` is a dictionary lookup, and
    ``observe`` runs the in-memory rules and queues anything that needs the database
    (writing findings, checking a baseline, finding a key's owner) for one writer thread.
    """

    def __init__(
        self,
        store: ThreatStore,
        audit: AuditService,
        settings: ThreatSettings | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.audit = audit
        self.settings = settings or ThreatSettings()
        self.detector = ThreatDetector(self.settings)
        self.clock = clock
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="synq-threats")
        self._known: set[tuple[str, str, str]] = set()  # (principal, kind, value) in baselines
        self._owners: dict[str, str | None] = {}  # API key prefix -> owner

    def lockout(self, handler: RequestHandler, principal: str | None = None) -> Lockout | None:
        """The running lockout of the request's address, of the owner of the API key it
        presents (when known), or of ``principal``."""
        if not self.detector.brute_force.any_locked:
            return None
        subjects = [ip_subject(handler.request.remote_ip or "unknown")]
        owner = principal or self._owners.get(key_prefix(presented_key(handler)) or "")
        if owner:
            subjects.append(user_subject(owner))
        return self.detector.locked(subjects, self.clock())

    def observe(self, handler: RequestHandler) -> None:
        """Feeds a finished request to the rules. Returns at once and never raises."""
        try:
            self._observe(observation(handler, self.clock()))
        except Exception:
            log.exception("SynQ threat detection failed on %s", handler.request.path)

    def _observe(self, obs: Observation) -> None:
        if obs.failed_auth and not obs.signed_in and obs.key_prefix:
            if obs.key_prefix not in self._owners:
                self._submit(self._attribute, obs)
            elif owner := self._owners[obs.key_prefix]:
                obs = replace(obs, principal=owner)
        for found in self.detector.observe(obs):
            self._submit(self._record, found, obs.org_id)
        if obs.signed_in and obs.principal is not None:
            principal = obs.principal
            unseen: dict[BaselineKind, str] = {}
            if (principal, "ip", obs.ip) not in self._known:
                unseen["ip"] = obs.ip
            if obs.user_agent and (principal, "user_agent", obs.user_agent) not in self._known:
                unseen["user_agent"] = obs.user_agent
            if unseen:
                if len(self._known) > CACHE_LIMIT:
                    self._known.clear()
                self._known.update((principal, kind, value) for kind, value in unseen.items())
                self._submit(self._check_baseline, obs, principal, unseen)

    def flush(self) -> None:
        """Waits until everything queued so far is written (the audit log may lag)."""
        self._writer.submit(lambda: None).result()

    def close(self) -> None:
        """Writes what is queued, then stops the writer thread."""
        self._writer.shutdown(wait=True)

    # -- on the writer thread ---------------------------------------------------------------

    def _record(self, finding: Finding, org_id: str | None = None) -> EventView:
        """Stores a finding in ``org_id`` (the organisation the request acted in: its admins
        see it), else in the subject's own (a user's personal one, or the system's)."""
        org_id = org_id or org_of(finding.subject)
        event = self.store.record(finding, org_id)
        self.audit.append_later(
            AuditEvent(
                org_id=org_id,
                actor=finding.principal or ANONYMOUS,
                action=f"security.{finding.kind}",
                outcome="detected",
                target=finding.subject,
                ip=finding.ip,
                user_agent=finding.user_agent,
                details={
                    "severity": finding.severity,
                    "event_id": event.id,
                    "incident_id": event.incident_id,
                    "summary": finding.summary,
                },
                created_at=event.created_at,
            )
        )
        return event

    def _attribute(self, obs: Observation) -> None:
        prefix = obs.key_prefix or ""
        owner = self.store.key_owner(prefix)
        if len(self._owners) > CACHE_LIMIT:
            self._owners.clear()
        self._owners[prefix] = owner
        if owner is not None:
            finding = self.detector.failure_of(obs, owner)
            if finding is not None:
                self._record(finding)

    def _check_baseline(
        self, obs: Observation, principal: str, unseen: dict[BaselineKind, str]
    ) -> None:
        baseline = self.store.baseline(principal)
        novel = unusual_access(baseline, obs.ip, obs.user_agent, obs.at, self.settings.learning)
        added = self.store.learn(principal, _missing(baseline, unseen), obs.at)
        for kind, severity, value in novel:
            name = "ip" if kind == "new_ip" else "user_agent"
            if name not in added:
                continue
            what = "address" if name == "ip" else "user agent"
            summary = f"first request from the {what} {value!r}"
            details = {name: value, "path": obs.path}
            subject = user_subject(principal)
            self._record(finding_for(obs, kind, severity, subject, summary, details))

    def _submit(self, fn: Callable[..., Any], *args: Any) -> None:
        future = self._writer.submit(fn, *args)
        future.add_done_callback(_log_failure)


def org_of(subject: str) -> str:
    """Where a subject's events and incidents are kept: a user's in their organisation,
    an address's (nobody authenticated) in the system's."""
    user = subject.removeprefix(USER)
    return personal_org(user) if user != subject else SYSTEM_ORG


def _missing(baseline: Baseline, unseen: dict[BaselineKind, str]) -> dict[BaselineKind, str]:
    known = {"ip": baseline.ips, "user_agent": baseline.user_agents}
    return {kind: value for kind, value in unseen.items() if value not in known[kind]}


def _log_failure(future: Future[Any]) -> None:
    error = future.exception()
    if error is not None:
        log.error("SynQ could not record a security event", exc_info=error)
