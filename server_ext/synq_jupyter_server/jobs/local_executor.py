"""Jobs on the local pool of worker processes (the default executor)."""

from __future__ import annotations

from typing import Any

from synq_jupyter_server.jobs.runner import run_job
from synq_jupyter_server.jobs.worker_pool import StartMethod, WorkerPool


class LocalJobExecutor:
    """Each job runs in one of ``size`` worker processes; cancelling kills that process.

    Args:
        size: Number of worker processes.
        start_method: How they start (see ``WorkerPool``).
    """

    kind = "local"

    def __init__(self, size: int, start_method: StartMethod = "spawn") -> None:
        self.pool = WorkerPool(size, start_method)

    async def run_job(self, job_id: str, kind: str, payload: dict[str, Any], report: Any) -> Any:
        return await self.pool.run(run_job, kind, payload, key=job_id, report=report)

    def kill(self, job_id: str) -> bool:
        return self.pool.kill(job_id)

    async def health(self) -> dict[str, Any]:
        return await self.pool.health()

    async def close(self) -> None:
        self.pool.shutdown()
