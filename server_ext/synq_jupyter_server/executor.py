"""Where CPU-heavy request work runs: a pool of worker processes."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any, TypeVar

from synq_jupyter_server.jobs.worker_pool import StartMethod, WorkerLost, WorkerPool

T = TypeVar("T")


class ExecutorUnavailable(RuntimeError):
    """The worker pool could not run the task (a worker died); the request may be retried."""


class LocalExecutor:
    """Worker processes for the work a request waits on (parsing, transpiling).

    Started clean (spawned, or forked from a clean fork server), so workers never inherit
    the server's state: they hold only what the tasks need (no tornado, no database).
    Tasks travel over one pipe per worker that the event loop watches, so a call costs no
    thread switches in the server. A worker that dies is replaced.

    Args:
        max_workers: Number of worker processes.
        start_method: How they start (see ``WorkerPool``).
    """

    kind = "local"

    def __init__(self, max_workers: int, start_method: StartMethod = "spawn") -> None:
        self.max_workers = max_workers
        self.start_method: StartMethod = start_method
        self._pool: WorkerPool | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _current_pool(self) -> WorkerPool:
        # A pool belongs to the event loop that started it (it watches pipes on that loop).
        loop = asyncio.get_running_loop()
        if self._pool is None or self._loop is not loop:
            self.shutdown()
            self._pool, self._loop = WorkerPool(self.max_workers, self.start_method), loop
        return self._pool

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Runs ``fn(*args)`` in a worker and returns its result (or raises its exception)."""
        try:
            result: T = await self._current_pool().run(fn, *args)
        except WorkerLost:
            raise ExecutorUnavailable("a worker process died while running the task") from None
        return result

    async def health(self, timeout: float = 20.0) -> dict[str, Any]:
        """Runs a trivial task through the pool and reports what answered."""
        try:
            pid = await asyncio.wait_for(self.run(os.getpid), timeout)
        except (ExecutorUnavailable, asyncio.TimeoutError) as exc:
            return {"status": "error", "kind": self.kind, "detail": str(exc) or "timed out"}
        return {"status": "ok", "kind": self.kind, "workers": self.max_workers, "worker_pid": pid}

    def shutdown(self) -> None:
        pool, self._pool, self._loop = self._pool, None, None
        if pool is not None:
            pool.shutdown()
