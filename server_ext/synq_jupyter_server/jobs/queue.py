"""The durable job queue: submit, claim under a lease, heartbeat, finish, cancel, reap."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import Job, JobEvent, JobResult, JobTag, utcnow
from synq_jupyter_server.jobs import queue_sql as sql
from synq_jupyter_server.jobs.idempotency import Idempotency
from synq_jupyter_server.jobs.job_view import JobView
from synq_jupyter_server.jobs.states import RETRYABLE, TERMINAL, JobScope, personal_org
from synq_jupyter_server.security.refusals import Forbidden


class NotFound(LookupError):
    """No such thing belongs to the caller; ``what`` names the kind of thing, ``field``
    the part of the request that named it."""

    what = "item"
    field = "id"


class JobNotFound(NotFound):
    """No job with that id belongs to the caller."""

    what = "job"
    field = "job_id"


class JobConflict(RuntimeError):
    """The job is not in a state that allows the operation (e.g. retrying a running job).

    ``field`` is what the refusal names: the job's ``status`` unless told otherwise.
    """

    def __init__(self, message: str, field: str = "status") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Claimed:
    """A job a worker now holds: its view plus the payload it needs to run."""

    job: JobView
    payload: dict[str, Any]


@dataclass(frozen=True)
class NewJob:
    """What a caller asks for when submitting."""

    kind: str
    target: str
    payload: dict[str, Any]
    tags: tuple[str, ...] = ()
    priority: int = 0
    max_retries: int = 2
    idempotency: Idempotency | None = None
    org_id: str | None = None
    """The organisation the job runs for; the owner's personal one when ``None``."""


@dataclass(frozen=True)
class Lease:
    """A worker's offer to run a job the moment it is submitted (see ``JobQueue.submit``)."""

    worker: str
    seconds: float
    per_user_limit: int | None = None


class Submission(NamedTuple):
    """One ``submit`` call's arguments, for ``submit_many``."""

    owner: str
    new: NewJob
    take: Lease | None = None


ResultHook = Callable[[Session, Job, dict[str, Any]], None]
"""Writes what a job kind's result adds (a trained model ...) in the completing transaction."""


class JobQueue:
    """Jobs in the database, safe for many workers in many processes at once.

    Claiming is atomic on both databases: PostgreSQL picks the row with
    ``FOR UPDATE SKIP LOCKED``; SQLite runs the conditional ``UPDATE ... RETURNING`` inside
    ``BEGIN IMMEDIATE`` (see ``Database.session``). Every change of status appends an event
    in the same transaction.

    Args:
        database: Where the jobs live.
        clock: Seconds since the epoch; replaceable in tests.
    """

    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self.clock = clock
        self.on_complete: dict[str, ResultHook] = {}

    # -- submitting ---------------------------------------------------------------------------

    def submit(self, owner: str, new: NewJob, take: Lease | None = None) -> tuple[JobView, bool]:
        """Adds a queued job; returns it and whether it was created.

        A repeated idempotency key of the same owner returns the first job instead (and is
        refused, ``SynqInputError``, if the first job came from a different request).

        With ``take``, a worker with a free slot takes the job in the same transaction when
        it would have claimed it next anyway: nothing else is queued and the owner is within
        the per-user limit. The job is then returned ``running`` under that lease, after
        the same ``queued`` and ``running`` events a claim writes, and saves a round trip
        through the queue.
        """
        if new.idempotency:
            existing = self.replay(owner, new.idempotency)
            if existing is not None:
                return existing, False
        try:
            with self.database.transaction() as connection:
                return self._insert(connection, [Submission(owner, new, take)])[0], True
        except IntegrityError:
            # A concurrent request with the same key won the race.
            if new.idempotency:
                existing = self.replay(owner, new.idempotency)
                if existing is not None:
                    return existing, False
            raise

    def submit_many(
        self, submissions: Sequence[Submission]
    ) -> list[tuple[JobView, bool] | SynqInputError]:
        """``submit`` for each, in order; those without an idempotency key share one
        transaction (a key may already exist, so each keyed one is written on its own).

        A key reused for another request refuses only its own submission: its outcome is
        the error, and the others are written."""
        outcomes: dict[int, tuple[JobView, bool] | SynqInputError] = {}
        plain = [i for i, s in enumerate(submissions) if not s.new.idempotency]
        if plain:
            with self.database.transaction() as connection:
                views = self._insert(connection, [submissions[i] for i in plain])
            outcomes.update((i, (view, True)) for i, view in zip(plain, views, strict=True))
        for i, (owner, new, take) in enumerate(submissions):
            if i not in outcomes:
                try:
                    outcomes[i] = self.submit(owner, new, take)
                except SynqInputError as refused:
                    outcomes[i] = refused
        return [outcomes[i] for i in range(len(submissions))]

    def _insert(self, connection: Connection, submissions: Sequence[Submission]) -> list[JobView]:
        """Writes the jobs, their tags and events, each table in one statement.

        Rows are plain parameter dicts, not ORM objects: on the submission path the ORM's
        attribute instrumentation cost more than the SQL."""
        jobs, tags, events = [], [], []
        taking = _Taking(connection)
        for owner, new, take in submissions:
            job = _job_row(owner, new)
            events.append(_event_row(job, {"status": "queued"}))
            if take is not None and taking.may_take(owner, take):
                job.update(
                    status="running",
                    attempts=1,
                    progress=0.0,
                    lease_owner=take.worker,
                    lease_expires_at=self.clock() + take.seconds,
                    started_at=job["created_at"],
                )
                events.append(_event_row(job, {"status": "running", "attempt": 1}))
            else:
                taking.queued()
            jobs.append(job)
            tags += [{"job_id": job["id"], "tag": tag} for tag in dict.fromkeys(new.tags)]
        connection.execute(sql.INSERT_JOB, jobs)
        if tags:
            connection.execute(sql.INSERT_TAG, tags)
        connection.execute(sql.INSERT_EVENT, events)
        return [JobView.of_row(job) for job in jobs]

    def replay(self, owner: str, idempotency: Idempotency) -> JobView | None:
        """The job an earlier request with this key made, if any (``SynqInputError`` if that
        request was another one)."""
        with self.database.session(write=False) as session:
            job = session.scalars(
                select(Job).where(Job.owner == owner, Job.idempotency_key == idempotency.key)
            ).one_or_none()
            if job is None:
                return None
            idempotency.check(job.id, job.request_digest)
            return JobView.of(job)

    # -- workers ------------------------------------------------------------------------------

    def claim(
        self, worker: str, lease_seconds: float, per_user_limit: int | None = None
    ) -> Claimed | None:
        """Atomically takes the most urgent queued job, or returns ``None``.

        Higher ``priority`` first, then oldest. Owners already running ``per_user_limit``
        jobs are skipped.
        """
        claimed = self.claim_many(worker, lease_seconds, 1, per_user_limit)
        return claimed[0] if claimed else None

    def claim_many(
        self, worker: str, lease_seconds: float, count: int, per_user_limit: int | None = None
    ) -> list[Claimed] | None:
        """Takes up to ``count`` jobs, in the order ``claim`` would, in one transaction.

        Fewer than ``count`` means the queue has nothing more this worker may take now;
        ``None`` means nothing at all is queued.
        """
        with self.database.transaction(write=False) as connection:
            # A read is cheap and takes no lock; most polls find nothing and stop here,
            # without opening a write transaction that would queue behind others.
            if connection.execute(sql.ANY_QUEUED).first() is None:
                return None
        params: dict[str, Any] = {
            "p_worker": worker,
            "p_expires": self.clock() + lease_seconds,
            "p_now": utcnow(),
        }
        statement = sql.CLAIM
        if per_user_limit is not None:
            statement, params["p_limit"] = sql.CLAIM_WITHIN_LIMIT, per_user_limit
        claimed: list[Claimed] = []
        with self.database.transaction() as connection:
            # One statement per job: each sees the jobs claimed before it, so the per-user
            # limit holds within the batch too.
            while len(claimed) < count:
                job = connection.execute(statement, params).one_or_none()
                if job is None:
                    break
                data = {"status": "running", "attempt": job.attempts}
                sql.log_event(connection, job.id, job.owner, "status", data)
                claimed.append(Claimed(JobView.of(job), dict(job.payload)))
        return claimed

    def heartbeat(self, job_id: str, worker: str, lease_seconds: float) -> bool:
        """Extends the lease; ``False`` when the worker no longer holds the job or it is to
        be cancelled (the worker should then stop)."""
        params = {"p_job": job_id, "p_worker": worker, "p_expires": self.clock() + lease_seconds}
        with self.database.transaction() as connection:
            return bool(connection.execute(sql.HEARTBEAT, params).rowcount)

    def set_provider_job_id(self, job_id: str, worker: str, provider_job_id: str) -> None:
        """Records the provider's id the moment it exists, so a restart can reconcile."""
        with self.database.session() as session:
            session.execute(
                update(Job)
                .where(Job.id == job_id, Job.lease_owner == worker)
                .values(provider_job_id=provider_job_id)
                .execution_options(synchronize_session=False)
            )

    def progress(
        self,
        job_id: str,
        worker: str,
        fraction: float,
        message: str,
        points: list[list[float]] | None = None,
    ) -> bool:
        """Records progress and appends a progress event; ``False`` if the lease is gone.

        ``points`` (``[x, y]`` pairs such as iteration and energy) travel in the event, for
        live plots.
        """
        fraction = min(max(float(fraction), 0.0), 1.0)
        params = {"p_job": job_id, "p_worker": worker, "p_fraction": fraction}
        with self.database.transaction() as connection:
            owner = connection.execute(
                sql.PROGRESS, {**params, "p_message": message[:255]}
            ).scalar_one_or_none()
            if owner is None:
                return False
            data: dict[str, Any] = {"progress": fraction, "message": message}
            if points:
                data["points"] = points
            sql.log_event(connection, job_id, owner, "progress", data)
            return True

    def complete(self, job_id: str, worker: str, result: dict[str, Any]) -> bool:
        """Marks the job succeeded and writes its result, once.

        A worker whose lease was taken over (or a job already finished) changes nothing.
        """
        body = json.dumps(result)
        params = {"p_job": job_id, "p_worker": worker, "p_now": utcnow()}
        with self.database.transaction() as connection:
            job = connection.execute(sql.COMPLETE, params).one_or_none()
            if job is None:
                return False
            if connection.execute(sql.RESULT_STORED, params).first() is None:
                row = {"job_id": job_id, "result": result, "size_bytes": len(body)}
                connection.execute(sql.INSERT_RESULT, {**row, "created_at": params["p_now"]})
                hook = self.on_complete.get(job.kind)
                if hook is not None:
                    with Session(bind=connection) as session:
                        hook(session, session.get_one(Job, job_id), result)
                        session.flush()
            sql.log_event(connection, job_id, job.owner, "status", {"status": "succeeded"})
            return True

    def fail(self, job_id: str, worker: str, error: str, *, transient: bool) -> str | None:
        """Records a failure. A transient one re-queues the job while retries remain.

        Returns the job's new status, or ``None`` if the worker no longer held it.
        """
        with self.database.session() as session:
            job = self._held(session, job_id, worker)
            if job is None:
                return None
            if job.cancel_requested:
                self._finish(session, job, "cancelled")
            elif transient and _retries_left(job):
                self._requeue(session, job, f"attempt {job.attempts} failed: {error}")
            else:
                job.error = error
                self._finish(session, job, "failed")
            return job.status

    def mark_cancelled(self, job_id: str, worker: str) -> bool:
        """Called by the worker that stopped a running job on request."""
        with self.database.session() as session:
            job = self._held(session, job_id, worker)
            if job is None:
                return False
            self._finish(session, job, "cancelled")
            return True

    def reap(self) -> list[str]:
        """Re-queues running jobs whose lease expired (or fails them when out of retries).

        Returns the ids it touched.
        """
        now = self.clock()
        with self.database.session() as session:
            expired = session.scalars(
                select(Job)
                .where(Job.status == "running", Job.lease_expires_at < now)
                .with_for_update(skip_locked=True)
            ).all()
            for job in expired:
                if job.cancel_requested:
                    self._finish(session, job, "cancelled")
                elif _retries_left(job):
                    self._requeue(session, job, f"lease of {job.lease_owner} expired")
                else:
                    job.error = f"lease of {job.lease_owner} expired; no retries left"
                    self._finish(session, job, "failed")
            return [job.id for job in expired]

    def cancel_requested(self, job_ids: list[str]) -> list[str]:
        """The ids among ``job_ids`` that someone asked to cancel."""
        if not job_ids:
            return []
        with self.database.session(write=False) as session:
            return list(
                session.scalars(
                    select(Job.id).where(Job.id.in_(job_ids), Job.cancel_requested.is_(True))
                )
            )

    # -- callers ------------------------------------------------------------------------------

    def get(self, job_id: str, scope: JobScope) -> JobView:
        with self.database.session(write=False) as session:
            return JobView.of(self._owned(session, job_id, scope))

    def result(self, job_id: str, scope: JobScope) -> tuple[JobView, dict[str, Any] | None]:
        with self.database.session(write=False) as session:
            job = self._owned(session, job_id, scope)
            row = session.get(JobResult, job_id)
            return JobView.of(job), (dict(row.result) if row else None)

    def cancel(self, job_id: str, scope: JobScope) -> JobView:
        """A queued job is cancelled at once; a running one is flagged for its worker.

        Raises:
            JobConflict: The job already succeeded or failed: there is nothing to stop.
        """
        with self.database.session() as session:
            job = self._owned(session, job_id, scope, change=True)
            if job.status in ("succeeded", "failed"):
                raise JobConflict(f"the job already {job.status}: there is nothing to cancel")
            if job.status == "queued":
                self._finish(session, job, "cancelled")
            elif job.status == "running" and not job.cancel_requested:
                job.cancel_requested = True
                _event(session, job, "cancelling", {"status": "running"})
            return JobView.of(job)

    def retry(self, job_id: str, scope: JobScope) -> JobView:
        """Puts a failed or cancelled job back in the queue."""
        with self.database.session() as session:
            job = self._owned(session, job_id, scope, change=True)
            if job.status not in RETRYABLE:
                raise JobConflict(f"a {job.status} job cannot be retried")
            session.execute(delete(JobResult).where(JobResult.job_id == job_id))
            job.cancel_requested = False
            job.error = None
            job.finished_at = None
            job.retry_base = job.attempts
            self._requeue(session, job, None)
            return JobView.of(job)

    def delete(self, job_id: str, scope: JobScope) -> None:
        """Deletes a finished job with its result, events and tags, leaving one ``deleted``
        event so that whoever follows the owner's events can drop the job."""
        with self.database.session() as session:
            job = self._owned(session, job_id, scope, change=True)
            if job.status not in TERMINAL:
                raise JobConflict(f"a {job.status} job cannot be deleted; cancel it first")
            for table in (JobEvent, JobTag, JobResult):
                session.execute(delete(table).where(table.job_id == job_id))
            _event(session, job, "deleted", {})
            session.delete(job)

    # -- helpers ------------------------------------------------------------------------------

    def _owned(self, session: Session, job_id: str, scope: JobScope, change: bool = False) -> Job:
        """A job of the scope's organisation (locked for ``change``, which the caller must
        be allowed: their own job, or they are an admin of the organisation)."""
        query = select(Job).where(Job.id == job_id, Job.org_id == scope.org_id)
        if change:
            query = query.with_for_update()
        job = session.scalars(query).one_or_none()
        if job is None:
            raise JobNotFound(job_id)
        if change and not scope.may_change(job.owner):
            raise Forbidden(
                f"job {job_id} is {job.owner}'s: only they or an organisation admin may change it",
                field="job_id",
            )
        return job

    def _held(self, session: Session, job_id: str, worker: str) -> Job | None:
        return session.scalars(
            select(Job)
            .where(Job.id == job_id, Job.status == "running", Job.lease_owner == worker)
            .with_for_update()
        ).one_or_none()

    def _finish(
        self, session: Session, job: Job, status: str, progress: float | None = None
    ) -> None:
        job.status = status
        job.finished_at = utcnow()
        job.lease_owner = None
        job.lease_expires_at = None
        if progress is not None:
            job.progress = progress
        if status != "succeeded":  # what it was doing then; its status says how it ended
            job.progress_message = None
        data: dict[str, Any] = {"status": status}
        if job.error and status == "failed":
            data["error"] = job.error
        _event(session, job, "status", data)

    def _requeue(self, session: Session, job: Job, reason: str | None) -> None:
        # Back in the queue, it has not started: the next claim sets when this attempt did.
        job.status = "queued"
        job.started_at = None
        job.lease_owner = None
        job.lease_expires_at = None
        job.progress = None
        job.progress_message = reason
        _event(session, job, "status", {"status": "queued", "reason": reason})


def _retries_left(job: Job) -> bool:
    """Whether a failed run may be retried automatically: ``max_retries`` retries since the
    job was submitted, or last retried by hand."""
    return job.attempts - job.retry_base <= job.max_retries


def _event(session: Session, job: Job, kind: str, data: dict[str, Any]) -> None:
    session.add(JobEvent(job_id=job.id, owner=job.owner, type=kind, data=data, created_at=utcnow()))


_JOB_COLUMNS = tuple(column.key for column in Job.__table__.c)


def _job_row(owner: str, new: NewJob) -> dict[str, Any]:
    """A new queued job, as ``sql.INSERT_JOB`` parameters: every column, so that every row
    of a batch has the same keys."""
    row = dict.fromkeys(_JOB_COLUMNS)
    row.update(
        id=uuid.uuid4().hex,
        kind=new.kind,
        owner=owner,
        org_id=new.org_id or personal_org(owner),
        target=new.target,
        status="queued",
        priority=new.priority,
        attempts=0,
        max_retries=new.max_retries,
        retry_base=0,
        idempotency_key=new.idempotency.key if new.idempotency else None,
        request_digest=new.idempotency.digest if new.idempotency else None,
        payload=new.payload,
        tags=list(new.tags),
        cancel_requested=False,
        created_at=utcnow(),
    )
    return row


def _event_row(job: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """A status event of ``job`` (a ``_job_row``), as ``sql.INSERT_EVENT`` parameters."""
    return {
        "job_id": job["id"],
        "owner": job["owner"],
        "type": "status",
        "data": data,
        "created_at": utcnow(),
    }


class _Taking:
    """Whether a worker may take a job as it is submitted: nothing is queued ahead of it
    (in the table or earlier in the same batch) and its owner is within the per-user limit
    (counting the batch's own takes)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.blocked: bool | None = None  # None: not looked up yet
        self.taken: dict[str, int] = {}

    def queued(self) -> None:
        self.blocked = True

    def may_take(self, owner: str, take: Lease) -> bool:
        if self.blocked is None:
            self.blocked = self.connection.execute(sql.ANY_QUEUED).first() is not None
        if self.blocked:
            return False
        if take.per_user_limit is not None:
            if owner not in self.taken:
                running = self.connection.execute(sql.RUNNING_OF_OWNER, {"p_owner": owner})
                self.taken[owner] = running.scalar_one()
            if self.taken[owner] >= take.per_user_limit:
                return False
        self.taken[owner] = self.taken.get(owner, 0) + 1
        return True
