"""A queue, a scheduler and the local executor on a temporary SQLite file, for benchmarks."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, select

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.migrate import upgrade
from synq_jupyter_server.db.models import Job
from synq_jupyter_server.jobs.event_bus import EventBus
from synq_jupyter_server.jobs.local_executor import LocalJobExecutor
from synq_jupyter_server.jobs.queue import JobQueue, NewJob
from synq_jupyter_server.jobs.scheduler import Scheduler, SchedulerSettings

OWNER = "bench"


class JobHarness:
    """Submit jobs straight into the queue and wait for the scheduler to finish them."""

    def __init__(self, workers: int, max_running: int | None = None) -> None:
        self.folder = tempfile.TemporaryDirectory()
        self.database = Database(f"sqlite:///{Path(self.folder.name) / 'bench.sqlite'}")
        upgrade(self.database)
        self.queue = JobQueue(self.database)
        self.executor = LocalJobExecutor(workers)
        # The server's own polling interval: a benchmark measures what a user gets.
        settings = SchedulerSettings(max_running=max_running or workers, per_user_limit=None)
        self.scheduler = Scheduler(self.queue, self.executor, EventBus(), settings)

    async def __aenter__(self) -> JobHarness:
        self.scheduler.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.scheduler.stop()
        await self.executor.close()
        self.database.dispose()
        self.folder.cleanup()

    async def submit(self, kind: str, payload: dict[str, Any]) -> str:
        """Submits as the server's job service does, through the scheduler."""
        new = NewJob(kind=kind, target="aer_simulator", payload=payload)
        job, _ = await self.scheduler.submit(OWNER, new)
        return job.id

    async def wait_all(self, job_ids: list[str], timeout: float = 600) -> None:
        """Waits until every job succeeded, looking once per event-bus notification.

        The scheduler notifies the bus when a job ends, so there is nothing to poll for: the
        timeout is only a safety net, and looking more often would take CPU from the jobs
        being measured."""
        bus = self.scheduler.bus
        deadline = time.monotonic() + timeout
        seen = bus.generation  # jobs just submitted are not done: look after the next event
        while True:
            await bus.wait(1.0, since=seen)
            seen = bus.generation
            if (left := await asyncio.to_thread(self._unfinished, job_ids)) == 0:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{left} jobs unfinished")

    def _unfinished(self, job_ids: list[str]) -> int:
        with self.database.transaction(write=False) as connection:
            done = connection.execute(_SUCCEEDED, {"ids": job_ids}).scalar()
        return len(job_ids) - int(done or 0)


_SUCCEEDED = select(func.count()).where(
    Job.id.in_(bindparam("ids", expanding=True)), Job.status == "succeeded"
)
