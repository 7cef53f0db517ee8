"""The job routes' behaviour: validate, submit, list, read, cancel, retry, delete."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from synq_jupyter_server.executor import LocalExecutor
from synq_jupyter_server.jobs.event_bus import EventBus
from synq_jupyter_server.jobs.job_view import JobView
from synq_jupyter_server.jobs.listing import JobFilter, events_after, latest_event_id, list_jobs
from synq_jupyter_server.jobs.queue import JobQueue, NewJob
from synq_jupyter_server.jobs.scheduler import Scheduler
from synq_jupyter_server.schemas.circuits import MAX_SEED
from synq_jupyter_server.schemas.jobs import BatchSubmit, JobQuery, JobSettings, JobSubmit
from synq_jupyter_server.services.catalogue import CatalogueService
from synq_jupyter_server.tasks import validate_job_task

DEFAULT_SHOTS = 1024


class JobService:
    """Jobs as the API sees them. Every method is scoped to one owner.

    Circuits are validated (parsed and fitted to the target) on the request pool before
    anything is written, so bad input never leaves a job row behind.
    """

    def __init__(
        self, scheduler: Scheduler, requests: LocalExecutor, catalogue: CatalogueService
    ) -> None:
        self.scheduler = scheduler
        self.queue: JobQueue = scheduler.queue
        self.bus: EventBus = scheduler.bus
        self._requests = requests
        self._catalogue = catalogue

    async def submit(
        self, owner: str, body: JobSubmit, idempotency_key: str | None
    ) -> tuple[JobView, bool]:
        await self._catalogue.require(body.target)
        if body.kind == "estimate" and not body.observables:
            from synq_jupyter.errors import SynqInputError

            raise SynqInputError("an estimate job needs observables", field="observables")
        observables = (
            [o if isinstance(o, str) else o.model_dump() for o in body.observables]
            if body.kind == "estimate" and body.observables
            else None
        )
        # On the request pool, not a thread: Qiskit stays out of the server process, and
        # a crash while parsing costs a worker, not the server.
        await self._requests.run(
            validate_job_task, [body.source], body.format, body.target, observables
        )
        shots = body.shots if body.shots is not None or body.kind == "estimate" else DEFAULT_SHOTS
        payload = {
            "source": body.source,
            "format": body.format,
            "target": body.target,
            "shots": shots,
            "seed": draw_seed(body.seed),
            "optimization_level": body.optimization_level,
            "observables": observables,
        }
        return await self.enqueue(owner, body.kind, body.target, body, payload, idempotency_key)

    async def submit_batch(
        self, owner: str, body: BatchSubmit, idempotency_key: str | None
    ) -> tuple[JobView, bool]:
        await self._catalogue.require(body.target)
        await self._requests.run(validate_job_task, body.sources, body.format, body.target, None)
        payload = {
            "sources": body.sources,
            "format": body.format,
            "target": body.target,
            "shots": body.shots,
            "seed": draw_seed(body.seed),
            "optimization_level": body.optimization_level,
        }
        return await self.enqueue(
            owner, "sample_batch", body.target, body, payload, idempotency_key
        )

    async def enqueue(
        self,
        owner: str,
        kind: str,
        target: str,
        options: JobSettings,
        payload: dict[str, Any],
        key: str | None,
    ) -> tuple[JobView, bool]:
        """Writes a validated job; ``options`` gives its tags, priority and retries."""
        new = NewJob(
            kind=kind,
            target=target,
            payload=payload,
            tags=tuple(options.tags),
            priority=options.priority,
            max_retries=options.max_retries,
            idempotency_key=key,
        )
        view, created = await self.scheduler.submit(owner, new)
        if created:
            self.bus.notify()
        return view, created

    async def page(self, owner: str, query: JobQuery) -> tuple[list[JobView], str | None]:
        filters = JobFilter(
            status=query.status,
            kind=query.kind,
            target=query.target,
            tag=query.tag,
            since=query.since,
        )
        return await asyncio.to_thread(
            list_jobs, self.queue.database, owner, filters, query.limit, query.cursor
        )

    async def get(self, owner: str, job_id: str) -> JobView:
        return await asyncio.to_thread(self.queue.get, job_id, owner)

    async def result(self, owner: str, job_id: str) -> tuple[JobView, dict[str, Any] | None]:
        return await asyncio.to_thread(self.queue.result, job_id, owner)

    async def cancel(self, owner: str, job_id: str) -> JobView:
        view = await asyncio.to_thread(self.queue.cancel, job_id, owner)
        self._changed()
        return view

    async def retry(self, owner: str, job_id: str) -> JobView:
        view = await asyncio.to_thread(self.queue.retry, job_id, owner)
        self._changed()
        return view

    async def delete(self, owner: str, job_id: str) -> None:
        await asyncio.to_thread(self.queue.delete, job_id, owner)

    async def events(
        self, owner: str, after: int, job_id: str | None = None, limit: int = 500
    ) -> list[dict[str, Any]]:
        return await asyncio.to_thread(
            events_after, self.queue.database, owner, after, job_id, limit
        )

    async def timeline(self, owner: str, job_id: str, after: int, limit: int) -> list[Any]:
        """One job's events, oldest first (404 when the job is not the owner's)."""
        await self.get(owner, job_id)
        return await self.events(owner, after, job_id, limit)

    async def latest_event(self, owner: str) -> int:
        return await asyncio.to_thread(latest_event_id, self.queue.database, owner)

    def _changed(self) -> None:
        self.bus.notify()
        self.scheduler.wake()


def draw_seed(seed: int | None) -> int:
    """The caller's seed, or a fresh one to store with the job."""
    return seed if seed is not None else secrets.randbelow(MAX_SEED)
