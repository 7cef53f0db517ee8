"""Where CPU-heavy quantum work runs: a pool of spawned worker processes."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")


class ExecutorUnavailable(RuntimeError):
    """The worker pool could not run the task (a worker died); the request may be retried."""


class LocalExecutor:
    """A process pool started with ``spawn``, so workers never inherit the server's state.

    Workers import only ``synq_jupyter.quantum`` (no tornado, no database). A pool whose
    worker died is replaced on the next call.

    Args:
        max_workers: Number of worker processes.
    """

    kind = "local"

    def __init__(self, max_workers: int) -> None:
        self.max_workers = max_workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _ensure_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.max_workers, mp_context=multiprocessing.get_context("spawn")
                )
            return self._pool

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Runs ``fn(*args)`` in a worker and returns its result (or raises its exception)."""
        pool = self._ensure_pool()
        try:
            return await asyncio.wrap_future(pool.submit(fn, *args))
        except BrokenProcessPool:
            self._discard(pool)
            raise ExecutorUnavailable("a worker process died while running the task") from None

    async def health(self, timeout: float = 20.0) -> dict[str, Any]:
        """Runs a trivial task through the pool and reports what answered."""
        try:
            pid = await asyncio.wait_for(self.run(os.getpid), timeout)
        except (ExecutorUnavailable, asyncio.TimeoutError) as exc:
            return {"status": "error", "kind": self.kind, "detail": str(exc) or "timed out"}
        return {"status": "ok", "kind": self.kind, "workers": self.max_workers, "worker_pid": pid}

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
