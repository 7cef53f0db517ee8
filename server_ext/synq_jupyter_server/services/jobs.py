"""The job routes' behaviour: validate, submit, list, read, cancel, retry, delete."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.executor import ExecutorUnavailable, LocalExecutor
from synq_jupyter_server.jobs.event_bus import EventBus
from synq_jupyter_server.jobs.group_commit import GroupCommit
from synq_jupyter_server.jobs.idempotency import Idempotency
from synq_jupyter_server.jobs.job_view import JobView, samples_as_it_runs, total_shots
from synq_jupyter_server.jobs.listing import JobFilter, events_after, latest_event_id, list_jobs
from synq_jupyter_server.jobs.queue import JobQueue, NewJob
from synq_jupyter_server.jobs.scheduler import Scheduler
from synq_jupyter_server.jobs.states import RETRYABLE, JobScope
from synq_jupyter_server.schemas.circuits import MAX_SEED
from synq_jupyter_server.schemas.jobs import BatchSubmit, JobQuery, JobSettings, JobSubmit
from synq_jupyter_server.services.catalogue import CatalogueService
from synq_jupyter_server.services.quotas import QuotaService
from synq_jupyter_server.tasks import Validation, validate_jobs_task


class JobService:
    """Jobs as the API sees them. Every method is scoped to one caller in one organisation
    (a ``JobScope``).

    Circuits are validated (parsed and fitted to the target) on the checks worker before
    anything is written, so bad input never leaves a job row behind; the organisation's
    quota is checked before that, and its shots counted only for a job that is written.
    Submissions that arrive together are validated in one call to a worker. Large sources
    (a slice of a batch, a generated circuit of thousands of gates) are validated on a worker
    of their own, ``large_checks``, so that seconds of parsing hold up only other large
    ones, never the everyday submissions behind them.
    """

    def __init__(
        self,
        scheduler: Scheduler,
        checks: LocalExecutor,
        catalogue: CatalogueService,
        quotas: QuotaService,
        reaches_device: Callable[[str, str], Awaitable[bool]] | None = None,
        large_checks: LocalExecutor | None = None,
    ) -> None:
        self.quotas = quotas
        self._reaches_device = reaches_device
        self.scheduler = scheduler
        self.queue: JobQueue = scheduler.queue
        self.bus: EventBus = scheduler.bus
        self._catalogue = catalogue
        self.large_checks = large_checks or LocalExecutor(1, checks.start_method)
        self._validations = _ValidationLane(checks)
        self._large_validations = _ValidationLane(self.large_checks)

    async def _validate(self, validation: Validation) -> list[int]:
        sources = validation[0]
        large = sum(map(len, sources)) > LARGE_SOURCE_CHARACTERS
        return await (self._large_validations if large else self._validations).submit(validation)

    async def replay(self, scope: JobScope, idempotency: Idempotency | None) -> JobView | None:
        """The job a repeated ``Idempotency-Key`` made, looked up before any check: a client
        repeating a request after a timeout gets its job back, not a quota refusal that
        job itself causes."""
        if idempotency is None:
            return None
        return await asyncio.to_thread(self.queue.replay, scope.owner, idempotency)

    async def submit(
        self, scope: JobScope, body: JobSubmit, idempotency: Idempotency | None
    ) -> tuple[JobView, bool]:
        if (first := await self.replay(scope, idempotency)) is not None:
            return first, False
        await self._catalogue.require(body.target)
        await self.quotas.admit(scope.org_id, body.target, None)
        if body.kind == "estimate" and not body.observables:
            raise SynqInputError("an estimate job needs observables", field="observables")
        if body.kind == "sample" and body.observables is not None:
            raise SynqInputError(
                "observables apply to estimate jobs; a sample job returns counts",
                field="observables",
            )
        observables = (
            [o if isinstance(o, str) else o.model_dump() for o in body.observables]
            if body.kind == "estimate" and body.observables
            else None
        )
        # Sampled on the device, a circuit is bounded by the device; simulated here (an
        # estimate always is), also by this machine's memory.
        on_device = body.kind == "sample" and await self._on_device(scope.owner, body.target)
        widths = await self._validate(
            ([body.source], body.format, body.target, observables, False, on_device, 0)
        )
        payload = {
            "source": body.source,
            "format": body.format,
            "target": body.target,
            "shots": body.shots,
            "seed": draw_seed(body.seed),
            "optimization_level": body.optimization_level,
            "observables": observables,
        }
        return await self.enqueue(
            scope, body.kind, body.target, body, payload, idempotency, max(widths)
        )

    async def submit_batch(
        self, scope: JobScope, body: BatchSubmit, idempotency: Idempotency | None
    ) -> tuple[JobView, bool]:
        if (first := await self.replay(scope, idempotency)) is not None:
            return first, False
        await self._catalogue.require(body.target)
        await self.quotas.admit(scope.org_id, body.target, None)
        widths = []
        # In slices, each its own call to the checks worker: submissions that arrive
        # meanwhile are checked between two slices, not after the whole batch (minutes
        # for thousands of large circuits).
        for start, part in batch_slices(body.sources):
            widths += await self._validate(
                (part, body.format, body.target, None, True, False, start)
            )
        payload = {
            "sources": body.sources,
            "format": body.format,
            "target": body.target,
            "shots": body.shots,
            "seed": draw_seed(body.seed),
            "optimization_level": body.optimization_level,
        }
        return await self.enqueue(
            scope, "sample_batch", body.target, body, payload, idempotency, max(widths)
        )

    async def _on_device(self, owner: str, target: str) -> bool:
        return self._reaches_device is not None and await self._reaches_device(owner, target)

    async def enqueue(
        self,
        scope: JobScope,
        kind: str,
        target: str,
        options: JobSettings,
        payload: dict[str, Any],
        idempotency: Idempotency | None,
        qubits: int | None = None,
    ) -> tuple[JobView, bool]:
        """Writes a validated job; ``options`` gives its tags, priority and retries.

        The organisation's quota is checked here for every kind of job: its targets, the
        widest circuit's ``qubits`` (when known), its running jobs, and the shots it asks for
        (``shots`` per circuit), counted only when a new job is written. A job whose shots
        only its run can count (a sampled VQE, a QAOA with shots) needs some of the month's
        left; the scheduler counts them as it reports them, and stops it when they run out.
        """
        quota = await self.quotas.admit(scope.org_id, target, qubits)
        if samples_as_it_runs(kind, payload):
            await self.quotas.require_shots_left(scope.org_id, quota)
        shots = total_shots(payload)
        counted = await self.quotas.reserve(scope.org_id, shots, quota)
        created = False
        try:
            view, created = await self._write(scope, kind, target, options, payload, idempotency)
        finally:
            if counted and not created:
                await self._refund(scope, shots)
        return view, created

    async def _refund(self, scope: JobScope, shots: int) -> None:
        await asyncio.to_thread(self.quotas.refund_shots, scope.org_id, shots)

    async def _write(
        self,
        scope: JobScope,
        kind: str,
        target: str,
        options: JobSettings,
        payload: dict[str, Any],
        idempotency: Idempotency | None,
    ) -> tuple[JobView, bool]:
        new = NewJob(
            kind=kind,
            target=target,
            payload=payload,
            tags=tuple(options.tags),
            priority=options.priority,
            max_retries=options.max_retries,
            idempotency=idempotency,
            org_id=scope.org_id,
        )
        view, created = await self.scheduler.submit(scope.owner, new)
        if created:
            self.bus.notify()
        return view, created

    async def page(self, scope: JobScope, query: JobQuery) -> tuple[list[JobView], str | None]:
        filters = JobFilter(
            status=query.status,
            kind=query.kind,
            target=query.target,
            tag=query.tag,
            since=query.since,
        )
        return await asyncio.to_thread(
            list_jobs, self.queue.database, scope, filters, query.limit, query.cursor
        )

    async def get(self, scope: JobScope, job_id: str) -> JobView:
        return await asyncio.to_thread(self.queue.get, job_id, scope)

    async def result(self, scope: JobScope, job_id: str) -> tuple[JobView, dict[str, Any] | None]:
        return await asyncio.to_thread(self.queue.result, job_id, scope)

    async def cancel(self, scope: JobScope, job_id: str) -> JobView:
        view = await asyncio.to_thread(self.queue.cancel, job_id, scope)
        if view.status == "running":
            # Shielded: once marked as stopping here, the job must be stopped, whoever
            # leaves (the scheduler's own poll skips a job it is stopping).
            await asyncio.shield(self.scheduler.stop_job(job_id))
        self._changed()
        return view

    async def retry(self, scope: JobScope, job_id: str) -> JobView:
        """Queues a failed or cancelled job again, within the plan as a new one is: its
        target, the jobs running at once, and its shots, counted again for the new run."""
        job = await self.get(scope, job_id)
        counted, shots = False, job.total_shots
        if job.status in RETRYABLE:  # otherwise the queue's 409 says why not
            quota = await self.quotas.admit(scope.org_id, job.target, None)
            if job.samples_as_it_runs:
                await self.quotas.require_shots_left(scope.org_id, quota)
            counted = await self.quotas.reserve(scope.org_id, shots, quota)
        try:
            view = await asyncio.to_thread(self.queue.retry, job_id, scope)
        except BaseException:
            if counted:
                await self._refund(scope, shots)
            raise
        self._changed()
        return view

    async def delete(self, scope: JobScope, job_id: str) -> None:
        await asyncio.to_thread(self.queue.delete, job_id, scope)
        self.bus.notify()

    async def events(
        self, owner: str, after: int, job_id: str | None = None, limit: int = 500
    ) -> list[dict[str, Any]]:
        return await asyncio.to_thread(
            events_after, self.queue.database, owner, after, job_id, limit
        )

    async def timeline(self, scope: JobScope, job_id: str, after: int, limit: int) -> list[Any]:
        """One job's events, oldest first (404 when the job is not the organisation's)."""
        await self.get(scope, job_id)
        return await self.events(scope.owner, after, job_id, limit)

    async def latest_event(self, owner: str) -> int:
        return await asyncio.to_thread(latest_event_id, self.queue.database, owner)

    def _changed(self) -> None:
        self.bus.notify()
        self.scheduler.wake()


class _ValidationLane(GroupCommit[Validation, list[int]]):
    """Validations on one pool of checks workers, those that arrive together in one call.

    On a worker, not a thread: Qiskit stays out of the server process, and a crash while
    parsing costs a worker, not the server.
    """

    def __init__(self, checks: LocalExecutor) -> None:
        super().__init__(self._validate_many, concurrency=checks.max_workers)
        self._checks = checks

    async def _validate_many(
        self, validations: Sequence[Validation]
    ) -> list[list[int] | Exception]:
        try:
            return await self._checks.run(validate_jobs_task, list(validations))
        except ExecutorUnavailable:
            if len(validations) == 1:
                raise
            # One of them took the worker down: check each alone, so that only it fails.
            return [await self._validate_alone(v) for v in validations]

    async def _validate_alone(self, validation: Validation) -> list[int] | Exception:
        try:
            return (await self._validate_many([validation]))[0]
        except ExecutorUnavailable as lost:
            return lost


LARGE_SOURCE_CHARACTERS = 20_000
"""Source characters (of one submission, or one slice of a batch) past which a validation
goes to the large checks worker: about a thousand gates, a quarter of a second of parsing."""

BATCH_SLICE_CHARACTERS = 200_000
"""Source characters a batch sends to the checks worker at a time (at least one circuit)."""


def batch_slices(sources: list[str]) -> Iterator[tuple[int, list[str]]]:
    """``sources`` in consecutive slices of about ``BATCH_SLICE_CHARACTERS``, each with the
    index of its first circuit."""
    start, size = 0, 0
    for index, source in enumerate(sources):
        if size and size + len(source) > BATCH_SLICE_CHARACTERS:
            yield start, sources[start:index]
            start, size = index, 0
        size += len(source)
    if start < len(sources):
        yield start, sources[start:]


def draw_seed(seed: int | None) -> int:
    """The caller's seed, or a fresh one to store with the job."""
    return seed if seed is not None else secrets.randbelow(MAX_SEED)
