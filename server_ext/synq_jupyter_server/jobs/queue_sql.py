"""The queue's hot-path statements, built once.

Submitting, claiming, reporting progress and completing run for every job, so they go
through Core statements with bound parameters: SQLAlchemy compiles each once and caches it,
where building a statement per call (``.values(...)`` with Python values) spends more time
in coercion and cache keys than SQLite spends running it. Parameters are named ``p_*``;
SQLAlchemy reserves the column names for ``SET`` values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Update, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from synq_jupyter_server.db.models import Job, JobEvent, JobResult, JobTag, utcnow

INSERT_JOB = insert(Job)
INSERT_TAG = insert(JobTag)
INSERT_RESULT = insert(JobResult)
INSERT_EVENT = insert(JobEvent)

ANY_QUEUED = select(Job.id).where(Job.status == "queued").limit(1)
RUNNING_OF_OWNER = select(func.count()).where(
    Job.status == "running", Job.owner == bindparam("p_owner")
)
RESULT_STORED = select(JobResult.job_id).where(JobResult.job_id == bindparam("p_job"))

_HELD = (
    Job.id == bindparam("p_job"),
    Job.status == "running",
    Job.lease_owner == bindparam("p_worker"),
)

PROGRESS = (
    update(Job)
    .where(*_HELD)
    .values(progress=bindparam("p_fraction"), progress_message=bindparam("p_message"))
    .returning(Job.owner)
)

COMPLETE = (
    update(Job)
    .where(*_HELD)
    .values(
        status="succeeded",
        finished_at=bindparam("p_now"),
        lease_owner=None,
        lease_expires_at=None,
        progress=1.0,
    )
    .returning(Job.kind, Job.owner)
)

HEARTBEAT = (
    update(Job)
    .where(*_HELD, Job.cancel_requested.is_(False))
    .values(lease_expires_at=bindparam("p_expires"))
)


def _claim(per_user_limit: bool) -> Update:
    candidates = select(Job.id).where(Job.status == "queued", Job.cancel_requested.is_(False))
    if per_user_limit:
        busy = (
            select(Job.owner)
            .where(Job.status == "running")
            .group_by(Job.owner)
            .having(func.count() >= bindparam("p_limit"))
        )
        candidates = candidates.where(Job.owner.not_in(busy))
    chosen = (
        candidates.order_by(Job.priority.desc(), Job.created_at, Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    return (
        update(Job)
        .where(Job.id == chosen, Job.status == "queued")
        .values(
            status="running",
            lease_owner=bindparam("p_worker"),
            lease_expires_at=bindparam("p_expires"),
            attempts=Job.attempts + 1,
            started_at=bindparam("p_now"),
            progress=0.0,
            progress_message=None,
            error=None,
        )
        .returning(*Job.__table__.c)
    )


CLAIM = _claim(per_user_limit=False)
CLAIM_WITHIN_LIMIT = _claim(per_user_limit=True)


def log_event(
    connection: Connection, job_id: str, owner: str, kind: str, data: dict[str, Any]
) -> None:
    """Appends a job event in the caller's transaction."""
    connection.execute(
        INSERT_EVENT,
        {"job_id": job_id, "owner": owner, "type": kind, "data": data, "created_at": utcnow()},
    )
