"""A queue, a scheduler and the local executor on a temporary SQLite file, for benchmarks."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

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
        settings = SchedulerSettings(
            max_running=max_running or workers, per_user_limit=None, poll_seconds=0.05
        )
        self.scheduler = Scheduler(self.queue, self.executor, EventBus(), settings)

    async def __aenter__(self) -> JobHarness:
        self.scheduler.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.scheduler.stop()
        await self.executor.close()
        self.database.dispose()
        self.folder.cleanup()

    def submit(self, kind: str, payload: dict[str, Any]) -> str:
        job, _ = self.queue.submit(
            OWNER, NewJob(kind=kind, target="aer_simulator", payload=payload)
        )
        self.scheduler.wake()
        return job.id

    async def wait_all(self, job_ids: list[str], timeout: float = 600) -> None:
        """Waits until every job succeeded, looking once per event-bus notification."""
        deadline = time.monotonic() + timeout
        while (left := await asyncio.to_thread(self._unfinished, job_ids)) > 0:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{left} jobs unfinished")
            await self.scheduler.bus.wait(0.05)

    def _unfinished(self, job_ids: list[str]) -> int:
        with self.database.session(write=False) as session:
            done = session.scalar(
                select(func.count()).where(Job.id.in_(job_ids), Job.status == "succeeded")
            )
        return len(job_ids) - int(done or 0)
