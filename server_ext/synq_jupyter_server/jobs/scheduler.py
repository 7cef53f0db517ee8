"""The scheduler: claims queued jobs, runs them on an executor, keeps their leases alive."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.jobs.event_bus import EventBus, wait_event
from synq_jupyter_server.jobs.group_commit import GroupCommit
from synq_jupyter_server.jobs.job_view import JobView
from synq_jupyter_server.jobs.queue import Claimed, JobQueue, Lease, NewJob, Submission
from synq_jupyter_server.jobs.worker_pool import TaskKilled, WorkerLost

log = logging.getLogger("synq.jobs")
Credentials = Callable[[str, str], Awaitable["dict[str, Any] | None"]]
ShotMeter = Callable[[str, int], "str | None"]
"""Counts (organisation, shots) a running job spent; returns why it must stop, or None.
Called on a worker thread (it writes to the database)."""
PROGRESS_INTERVAL = 0.2
METER_INTERVAL = 0.02
"""Seconds between two counts of one job's shots: a simulated QAOA reports an estimate every
few microseconds, and each count is a database write."""


class TransientJobError(Exception):
    """A failure worth retrying: a provider that is busy or unreachable."""


class JobExecutor(Protocol):
    """Where jobs run: the local worker pool or a Dask cluster."""

    kind: str

    async def run_job(
        self, job_id: str, kind: str, payload: dict[str, Any], report: Any
    ) -> Any: ...

    def kill(self, job_id: str) -> bool: ...

    async def health(self) -> dict[str, Any]: ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class SchedulerSettings:
    """How the scheduler behaves.

    Attributes:
        max_running: Jobs this scheduler holds at once.
        lease_seconds: How long a claim lasts without a heartbeat.
        per_user_limit: Running jobs one user may have (across all schedulers).
        poll_seconds: How often to look for queued jobs and cancel requests.
    """

    max_running: int = 2
    lease_seconds: float = 30.0
    per_user_limit: int | None = 4
    poll_seconds: float = 0.25


class Scheduler:
    """Runs queued jobs until stopped. Several schedulers (processes) may share one queue."""

    def __init__(
        self,
        queue: JobQueue,
        executor: JobExecutor,
        bus: EventBus,
        settings: SchedulerSettings,
        credentials: Credentials | None = None,
        meter: ShotMeter | None = None,
    ) -> None:
        self.queue = queue
        self.credentials = credentials
        self.meter = meter
        self.executor = executor
        self.bus = bus
        self.settings = settings
        self.worker_id = f"sched-{uuid.uuid4().hex[:12]}"
        self._running: dict[str, asyncio.Task[None]] = {}
        self._remote: dict[str, tuple[str, dict[str, Any]]] = {}
        self._cancelling: set[str] = set()
        self._over_quota: dict[str, str] = {}  # job id: why it was stopped
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._last_reap = 0.0
        self._last_heartbeat = 0.0
        self._reserved = 0  # slots promised to jobs being submitted here
        self._submissions: GroupCommit[Submission, tuple[JobView, bool]] = GroupCommit(
            lambda submissions: asyncio.to_thread(queue.submit_many, submissions)
        )
        self._nothing_queued = False  # the last claim found no queued job at all

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="synq-scheduler")

    async def stop(self) -> None:
        """Stops claiming; running jobs are left to their leases (another scheduler or a
        restart picks them up)."""
        # Besides the cancel: the loop also ends at its next turn if a cancel is ever lost.
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for task in list(self._running.values()):
            task.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)

    def wake(self) -> None:
        """A job was submitted, retried or a cancel requested here: look now, not at the
        next poll."""
        self._nothing_queued = False
        self._wake.set()

    @property
    def running(self) -> list[str]:
        return list(self._running)

    async def _loop(self) -> None:
        while not self._stopping:
            try:
                await self._tick()
            except Exception:
                log.exception("SynQ scheduler tick failed; retrying")
            await wait_event(self._wake, self.settings.poll_seconds)
            self._wake.clear()

    async def _tick(self) -> None:
        now = time.monotonic()
        lease = self.settings.lease_seconds
        if now - self._last_reap > lease / 2:
            self._last_reap = now
            if await asyncio.to_thread(self.queue.reap):
                self.bus.notify()
        if self._running:
            await self._stop_cancelled()
        if now - self._last_heartbeat > lease / 3:
            self._last_heartbeat = now
            await self._heartbeat()
        free = self._free()
        if free > 0:
            batch = await asyncio.to_thread(
                self.queue.claim_many, self.worker_id, lease, free, self.settings.per_user_limit
            )
            self._nothing_queued = batch is None
            for claimed in batch or []:
                self._start(claimed)
            if batch:
                self.bus.notify()

    async def submit(self, owner: str, new: NewJob) -> tuple[JobView, bool]:
        """Queues a job. With a slot free here, the job is taken in the same transaction
        (see ``JobQueue.submit``) and starts without waiting for the next claim.

        A caller that leaves mid-way does not stop the submission: a job taken under this
        scheduler's lease must be started, not left to the reaper."""
        return await asyncio.shield(self._submit(owner, new))

    async def _submit(self, owner: str, new: NewJob) -> tuple[JobView, bool]:
        take = None
        if self._task is not None and self._free() > 0:
            self._reserved += 1
            take = Lease(self.worker_id, self.settings.lease_seconds, self.settings.per_user_limit)
        try:
            view, created = await self._submissions.submit(Submission(owner, new, take))
        finally:
            self._reserved -= take is not None
        if created and view.status == "running" and view.attempts == 1:
            self._start(Claimed(view, dict(new.payload)))
        elif created:
            self.wake()
        return view, created

    def _free(self) -> int:
        return self.settings.max_running - len(self._running) - self._reserved

    def _start(self, claimed: Claimed) -> None:
        task = asyncio.get_running_loop().create_task(self._run(claimed))
        self._running[claimed.job.id] = task

    async def _prepare(self, claimed: Claimed) -> dict[str, Any]:
        """The payload a worker gets: the stored one, the remote job id to reattach to (after
        a restart), and the owner's provider credentials — decrypted here, in memory only."""
        payload = dict(claimed.payload)
        payload["provider_job_id"] = claimed.job.provider_job_id
        if self.credentials is not None:
            secret = await self.credentials(claimed.job.owner, claimed.job.target)
            if secret is not None:
                payload["credentials"] = secret
        return payload

    async def stop_job(self, job_id: str) -> None:
        """Stops a job this scheduler runs whose cancel was just recorded (nothing when it
        runs elsewhere: that scheduler finds the request at its next poll).

        At once, not at the next tick: a tick waiting on the database (a reap or a claim
        behind another process's write) must not keep a cancelled job running."""
        if job_id not in self._running or job_id in self._cancelling:
            return
        self._cancelling.add(job_id)
        remote = self._remote.get(job_id)
        if remote is not None:
            await asyncio.to_thread(_cancel_remote, *remote)
        if not self.executor.kill(job_id):
            # Not started on the executor yet: stop the coroutine instead.
            task = self._running.get(job_id)
            if task is not None:
                task.cancel()

    async def stop_over_quota(self, job_id: str, reason: str) -> None:
        """Stops a job this scheduler runs that spent the last of its organisation's shots;
        it fails with ``reason``.

        Its worker is killed first, so that it sends nothing more to a device, then the
        device job it reported last is cancelled. A job the executor no longer holds is
        finishing: it is left to finish, and keeps its result."""
        if job_id not in self._running or job_id in self._cancelling or job_id in self._over_quota:
            return
        self._over_quota[job_id] = reason
        if not self.executor.kill(job_id):
            del self._over_quota[job_id]
            return
        remote = self._remote.get(job_id)
        if remote is not None:
            await asyncio.to_thread(_cancel_remote, *remote)

    async def _stop_cancelled(self) -> None:
        """Stops the jobs whose cancel was requested through another process."""
        for job_id in await asyncio.to_thread(self.queue.cancel_requested, self.running):
            await self.stop_job(job_id)

    async def _heartbeat(self) -> None:
        for job_id in self.running:
            held = await asyncio.to_thread(
                self.queue.heartbeat, job_id, self.worker_id, self.settings.lease_seconds
            )
            if not held and job_id not in self._cancelling and self.executor.kill(job_id):
                # Someone else holds the job now (our lease expired): stop our copy.
                log.warning("SynQ lost the lease of job %s; stopped it", job_id)

    async def _run(self, claimed: Claimed) -> None:
        job_id = claimed.job.id
        try:
            payload = await self._prepare(claimed)
            report = _Reporter(self, claimed.job, payload.get("credentials"))
            try:
                result = await self.executor.run_job(job_id, claimed.job.kind, payload, report)
            finally:
                # The remote id and the last progress land before the final state, which
                # releases the lease they are written under.
                await report.drain()
        except (TaskKilled, asyncio.CancelledError):
            if job_id in self._cancelling:
                await asyncio.to_thread(self.queue.mark_cancelled, job_id, self.worker_id)
            elif job_id in self._over_quota:
                reason = self._over_quota[job_id]
                await asyncio.to_thread(
                    self.queue.fail, job_id, self.worker_id, reason, transient=False
                )
        except SynqInputError as exc:
            await asyncio.to_thread(
                self.queue.fail, job_id, self.worker_id, str(exc), transient=False
            )
        except (WorkerLost, TransientJobError, ConnectionError, TimeoutError) as exc:
            await asyncio.to_thread(
                self.queue.fail, job_id, self.worker_id, str(exc), transient=True
            )
        except Exception as exc:
            log.exception("SynQ job %s failed", job_id)
            message = f"{type(exc).__name__}: {exc}"
            await asyncio.to_thread(
                self.queue.fail, job_id, self.worker_id, message, transient=False
            )
        else:
            try:
                await asyncio.to_thread(self.queue.complete, job_id, self.worker_id, result)
            except (TypeError, ValueError) as exc:  # a result that is not JSON
                log.exception("SynQ job %s returned a result it cannot store", job_id)
                message = f"the result cannot be stored: {exc}"
                await asyncio.to_thread(
                    self.queue.fail, job_id, self.worker_id, message, transient=False
                )
        finally:
            self._running.pop(job_id, None)
            self._remote.pop(job_id, None)
            self._cancelling.discard(job_id)
            self._over_quota.pop(job_id, None)
            self.bus.notify()
            if not self._nothing_queued:
                self._wake.set()  # a slot is free: take the next queued job now


def _cancel_remote(provider_job_id: str, credentials: dict[str, Any]) -> None:
    """Cancels the provider's copy of a job; stopping our worker does not stop it.

    ``credentials["provider"]`` (set by the credential lookup) says whose job it is.
    """
    from synq_jupyter_server.jobs.providers.ibm_cloud import cancel_on_ibm
    from synq_jupyter_server.jobs.providers.ionq_cloud import cancel_on_ionq

    cancel = cancel_on_ibm if credentials.get("provider") == "ibm" else cancel_on_ionq
    try:
        cancel(provider_job_id, credentials)
    except Exception:
        log.exception("SynQ could not cancel remote job %s", provider_job_id)


class _Reporter:
    """Turns a worker's reports into queue writes, at most every ``PROGRESS_INTERVAL``.

    ``("point", (x, y))`` reports (a VQE iteration's energy, a QNN epoch's loss) are kept
    until the next progress write, which carries them all, so none is lost to throttling.
    ``("shots", n)`` reports (a sampled estimate's) are counted against the organisation's
    month as they come, one write at a time and at most every ``METER_INTERVAL`` (those
    reported meanwhile go together in the next), so a job that uses the month up is stopped
    within a write or two; one that has finished keeps its result, its last shots counted
    all the same.
    """

    def __init__(
        self, scheduler: Scheduler, job: JobView, credentials: dict[str, Any] | None = None
    ) -> None:
        self.scheduler = scheduler
        self.job_id = job.id
        self.org_id = job.org_id
        self.credentials = credentials
        self.last = 0.0
        self.latest: tuple[float, str] | None = None
        self.written: tuple[float, str] = (0.0, "")
        self.points: list[list[float]] = []
        self.shots = 0
        self.metering = False
        self.finished = False
        self.pending: set[asyncio.Task[Any]] = set()

    def __call__(self, name: str, data: Any) -> None:
        queue, worker = self.scheduler.queue, self.scheduler.worker_id
        if name == "provider_job_id":
            secret = self.credentials
            if secret is not None:
                self.scheduler._remote[self.job_id] = (str(data), secret)
            self._spawn(asyncio.to_thread(queue.set_provider_job_id, self.job_id, worker, data))
        elif name == "point":
            x, y = data
            self.points.append([float(x), float(y)])
        elif name == "shots":
            self.shots += int(data)
            self._meter()
        elif name == "progress":
            fraction, message = data
            self.latest = (float(fraction), str(message))
            now = time.monotonic()
            if now - self.last >= PROGRESS_INTERVAL or fraction >= 1.0:
                self.last = now
                self._flush()

    async def drain(self) -> None:
        """Writes what throttling held back, then waits for every write reported so far."""
        self.finished = True
        if self.points and self.latest is None:
            # Points reported after the last progress go out with that progress again.
            self.latest = self.written
        self._flush()
        self._meter()
        if self.pending:
            await asyncio.gather(*self.pending, return_exceptions=True)

    def _flush(self) -> None:
        if self.latest is None:
            return
        fraction, message = self.written = self.latest
        points, self.points, self.latest = self.points, [], None
        self._spawn(self._progress(fraction, message, points))

    def _meter(self) -> None:
        if self.shots and not self.metering and self.scheduler.meter is not None:
            self.metering = True
            self._spawn(self._count())

    async def _count(self) -> None:
        meter = self.scheduler.meter
        assert meter is not None
        try:
            while self.shots:
                shots, self.shots = self.shots, 0
                try:
                    reason = await asyncio.to_thread(meter, self.org_id, shots)
                except Exception:
                    # Kept for the next report (or the job's end) to count.
                    self.shots += shots
                    log.exception("SynQ could not count the shots of job %s", self.job_id)
                    return
                if reason is not None and not self.finished:
                    await self.scheduler.stop_over_quota(self.job_id, reason)
                await asyncio.sleep(METER_INTERVAL)
        finally:
            self.metering = False

    def _spawn(self, work: Any) -> None:
        # Keep a reference until done: the loop only holds weak ones.
        task = asyncio.get_running_loop().create_task(work)
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)

    async def _progress(self, fraction: float, message: str, points: list[list[float]]) -> None:
        scheduler = self.scheduler
        await asyncio.to_thread(
            scheduler.queue.progress, self.job_id, scheduler.worker_id, fraction, message, points
        )
        scheduler.bus.notify()
