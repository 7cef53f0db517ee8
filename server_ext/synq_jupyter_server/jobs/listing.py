"""Reading jobs and events back: filters, cursor pagination, the event log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import Job, JobEvent, JobTag
from synq_jupyter_server.jobs.job_view import JobView, as_utc
from synq_jupyter_server.jobs.states import JobScope
from synq_jupyter_server.page_cursor import decode_cursor, encode_cursor


@dataclass(frozen=True)
class JobFilter:
    """What ``GET /jobs`` may filter on; ``None`` means any."""

    status: str | None = None
    kind: str | None = None
    target: str | None = None
    tag: str | None = None
    since: datetime | None = None


def list_jobs(
    database: Database, scope: JobScope, filters: JobFilter, limit: int, cursor: str | None
) -> tuple[list[JobView], str | None]:
    """The jobs of the scope's organisation, newest first, ``limit`` at a time.

    Returns the page and the cursor of the next page (``None`` on the last page). The cursor
    encodes the last row's (created_at, id), so pages stay stable while jobs are added.
    """
    query = select(Job).where(Job.org_id == scope.org_id)
    if filters.status:
        query = query.where(Job.status == filters.status)
    if filters.kind:
        query = query.where(Job.kind == filters.kind)
    if filters.target:
        query = query.where(Job.target == filters.target)
    if filters.since:
        query = query.where(Job.created_at >= as_utc(filters.since))
    if filters.tag:
        query = query.where(Job.id.in_(select(JobTag.job_id).where(JobTag.tag == filters.tag)))
    if cursor:
        created, last_id = decode_cursor(cursor, "jobs", datetime, str)
        query = query.where(
            or_(Job.created_at < created, and_(Job.created_at == created, Job.id < last_id))
        )
    query = query.order_by(Job.created_at.desc(), Job.id.desc()).limit(limit + 1)
    with database.session(write=False) as session:
        rows = list(session.scalars(query))
        page = [JobView.of(job) for job in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            next_cursor = encode_cursor("jobs", last.created_at.isoformat(), last.id)
    return page, next_cursor


def events_after(
    database: Database, owner: str, after: int, job_id: str | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    """The owner's events with an id above ``after``, oldest first; with ``job_id``, that
    job's events (whoever owns it: the caller checked it may see the job)."""
    query = select(JobEvent).where(JobEvent.id > after)
    if job_id is not None:
        query = query.where(JobEvent.job_id == job_id)
    else:
        query = query.where(JobEvent.owner == owner)
    query = query.order_by(JobEvent.id).limit(limit)
    with database.session(write=False) as session:
        return [
            {
                "id": event.id,
                "job_id": event.job_id,
                "type": event.type,
                "data": event.data,
                # As the REST API writes times (pydantic): UTC with a "Z".
                "created_at": as_utc(event.created_at).isoformat().replace("+00:00", "Z"),
            }
            for event in session.scalars(query)
        ]


def latest_event_id(database: Database, owner: str) -> int:
    """The id of the owner's newest event (0 when there is none)."""
    with database.session(write=False) as session:
        value = session.scalar(select(func.max(JobEvent.id)).where(JobEvent.owner == owner))
    return int(value or 0)
