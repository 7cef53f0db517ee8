"""Quotas, enforced when a job is submitted: the plan's targets, qubits, running jobs and
shots a month. A refusal names the limit: 403 for what the plan does not include, 429 for
what is used up for now."""

from __future__ import annotations

import asyncio
import math
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import Job, OrgUsage
from synq_jupyter_server.security.refusals import Forbidden
from synq_jupyter_server.services.orgs import OrgPolicy, OrgService
from synq_jupyter_server.services.plans import Quota

POLICY_SECONDS = 5.0
"""How long this process reuses an organisation's plan before reading it again (a plan set
through this process applies at once; one set through another within this time)."""
BUSY_RETRY_SECONDS = 5
"""``Retry-After`` of a refusal for the plan's concurrent jobs. When a running job ends cannot
be known (a simulation takes milliseconds, a device queue hours), so this is no promise: a
short wait before asking again, which a client that retries on its own keeps cheap."""


class QuotaService:
    def __init__(self, database: Database, orgs: OrgService) -> None:
        self.database = database
        self.orgs = orgs
        self._policies: dict[str, tuple[float, OrgPolicy]] = {}

    def policy(self, org_id: str) -> OrgPolicy:
        cached = self._cached(org_id)
        if cached is not None:
            return cached
        policy = self.orgs.policy(org_id)
        self._policies[org_id] = (time.monotonic(), policy)
        return policy

    def _cached(self, org_id: str) -> OrgPolicy | None:
        cached = self._policies.get(org_id)
        if cached is not None and time.monotonic() - cached[0] < POLICY_SECONDS:
            return cached[1]
        return None

    async def admit(self, org_id: str, target: str, qubits: int | None) -> Quota:
        """``check`` for the event loop: on a worker thread when it must read the database
        (a plan not cached, or running jobs to count), inline when it need not, so a
        submission to an unmetered plan costs no thread hop."""
        policy = self._cached(org_id)
        if policy is None or policy.quota.concurrent_jobs is not None:
            return await asyncio.to_thread(self.check, org_id, target, qubits)
        return self.check(org_id, target, qubits)

    async def reserve(self, org_id: str, shots: int, quota: Quota) -> bool:
        """``reserve_shots`` for the event loop (inline when the plan does not meter shots)."""
        if quota.shots_per_month is None or shots <= 0:
            return False
        return await asyncio.to_thread(self.reserve_shots, org_id, shots, quota)

    def forget(self, org_id: str) -> None:
        """Drops the cached plan (after it changed)."""
        self._policies.pop(org_id, None)

    def check(self, org_id: str, target: str, qubits: int | None) -> Quota:
        """What the plan must include: the target and the circuit's width."""
        quota = self.policy(org_id).quota
        if not quota.allows_target(target):
            allowed = ", ".join(quota.allowed_targets)
            raise Forbidden(
                f"your plan does not include {target}; it runs on {allowed}",
                field="allowed_targets",
                kind="quota",
            )
        if quota.max_qubits is not None and qubits is not None and qubits > quota.max_qubits:
            raise Forbidden(
                f"the circuit has {qubits} qubits; your plan allows {quota.max_qubits}",
                field="max_qubits",
                kind="quota",
            )
        if quota.concurrent_jobs == 0:  # no wait helps: not a 429, what the plan excludes
            raise Forbidden(
                "your plan allows no jobs at once; an organisation admin can change the plan",
                field="concurrent_jobs",
                kind="quota",
            )
        if quota.concurrent_jobs is not None:
            active = self._active_jobs(org_id)
            if active >= quota.concurrent_jobs:
                raise Forbidden(
                    f"{active} jobs are queued or running; your plan allows "
                    f"{quota.concurrent_jobs} at once",
                    field="concurrent_jobs",
                    kind="quota",
                    status=429,
                    retry_after=BUSY_RETRY_SECONDS,
                )
        return quota

    def reserve_shots(self, org_id: str, shots: int, quota: Quota) -> bool:
        """Counts ``shots`` against this month's quota, atomically: two submissions racing
        for the last shots cannot both get them. Returns whether anything was counted
        (unmetered plans count nothing)."""
        if quota.shots_per_month is None or shots <= 0:
            return False
        limit = quota.shots_per_month
        if shots > limit:  # no month will take it: not a wait, a job too large for the plan
            raise Forbidden(
                f"the job needs {shots} shots; your plan allows {limit} a month",
                field="shots_per_month",
                kind="quota",
            )
        now = datetime.now(timezone.utc)  # once: the period and its renewal must agree
        period = _period(now)
        self._open_period(org_id, period)
        with self.database.session() as session:
            taken = session.execute(
                update(OrgUsage)
                .where(
                    OrgUsage.org_id == org_id,
                    OrgUsage.period == period,
                    OrgUsage.shots + shots <= limit,
                )
                .values(shots=OrgUsage.shots + shots)
            )
            if getattr(taken, "rowcount", 0):
                return True
            used = session.scalar(
                select(OrgUsage.shots).where(OrgUsage.org_id == org_id, OrgUsage.period == period)
            )
        raise _wait_for_next_month(
            f"{shots} shots would pass this month's {limit}; {used} are used", now
        )

    async def require_shots_left(self, org_id: str, quota: Quota) -> None:
        """For a job that counts its shots as it runs: refuses it (429) while this month's
        shots are used up, since its first estimate would pass them."""
        limit = quota.shots_per_month
        if limit is None:
            return
        used = await asyncio.to_thread(self._shots_used, org_id)
        if used >= limit:
            message = f"this month's {limit} shots are used ({used} counted)"
            raise _wait_for_next_month(message, datetime.now(timezone.utc))

    def spend_shots(self, org_id: str, shots: int) -> str | None:
        """Counts ``shots`` a running job has spent (a sampled estimate) against this
        month's quota, whatever is left: they are spent. Returns why the job must stop when
        the month's shots are now used up, else ``None``. Unmetered plans count nothing."""
        limit = self.policy(org_id).quota.shots_per_month
        if limit is None or shots <= 0:
            return None
        now = datetime.now(timezone.utc)
        period = _period(now)
        self._open_period(org_id, period)
        where = (OrgUsage.org_id == org_id, OrgUsage.period == period)
        with self.database.session() as session:
            session.execute(update(OrgUsage).where(*where).values(shots=OrgUsage.shots + shots))
            used = int(session.scalar(select(OrgUsage.shots).where(*where)) or 0)
        if used < limit:
            return None
        return (
            f"stopped: this month's {limit} shots (shots_per_month) are used, {used} counted "
            f"with this job's. {_renewal(now)}"
        )

    def _open_period(self, org_id: str, period: str) -> None:
        try:
            with self.database.session() as session:
                if session.get(OrgUsage, (org_id, period)) is None:
                    session.add(OrgUsage(org_id=org_id, period=period, shots=0))
        except IntegrityError:
            pass  # another submission opened it first

    def refund_shots(self, org_id: str, shots: int) -> None:
        """Gives back shots reserved for a submission that did not make a job."""
        with self.database.session() as session:
            session.execute(
                update(OrgUsage)
                .where(OrgUsage.org_id == org_id, OrgUsage.period == _period())
                .values(shots=OrgUsage.shots - shots)
            )

    def usage(self, org_id: str) -> tuple[int, int]:
        """(shots counted this month, jobs queued or running now)."""
        return self._shots_used(org_id), self._active_jobs(org_id)

    def _shots_used(self, org_id: str) -> int:
        with self.database.session(write=False) as session:
            shots = session.scalar(
                select(OrgUsage.shots).where(
                    OrgUsage.org_id == org_id, OrgUsage.period == _period()
                )
            )
        return int(shots or 0)

    def _active_jobs(self, org_id: str) -> int:
        with self.database.session(write=False) as session:
            count = session.scalar(
                select(func.count())
                .select_from(Job)
                .where(Job.org_id == org_id, Job.status.in_(("queued", "running")))
            )
        return int(count or 0)


def _period(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).strftime("%Y-%m")


def _renewal(now: datetime) -> str:
    return f"The count starts again on {next_period_start(now):%Y-%m-%d} (UTC)"


def _wait_for_next_month(message: str, now: datetime) -> Forbidden:
    """The 429 of a month's shots used up, with when the count starts again."""
    return Forbidden(
        f"{message}. {_renewal(now)}",
        field="shots_per_month",
        kind="quota",
        status=429,
        retry_after=max(1, math.ceil((next_period_start(now) - now).total_seconds())),
    )


def next_period_start(now: datetime | None = None) -> datetime:
    """Midnight UTC on the first of next month, when the shots count starts again."""
    now = now or datetime.now(timezone.utc)
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (first + timedelta(days=32)).replace(day=1)
