"""How worker processes start: spawned fresh, or forked from a fork server that has Qiskit."""

from __future__ import annotations

import asyncio
import os
import sys
import time

import pytest

from synq_jupyter_server.jobs.worker_pool import TaskKilled, WorkerPool


def loaded(module: str) -> tuple[int, bool]:
    """The worker's pid, and whether ``module`` was imported before this task ran."""
    return os.getpid(), module in sys.modules


def run(coroutine):
    return asyncio.new_event_loop().run_until_complete(coroutine)


@pytest.mark.parametrize(("start_method", "preloaded"), [("spawn", False), ("forkserver", True)])
def test_a_replacement_worker_starts_with_qiskit_only_from_the_fork_server(start_method, preloaded):
    """A cancelled job's worker is killed; the one replacing it is ready for the next job
    without importing Qiskit again when it comes from the fork server."""

    async def scenario() -> tuple[tuple[int, bool], tuple[int, bool]]:
        pool = WorkerPool(1, start_method)
        try:
            first = await pool.run(loaded, "qiskit_aer")
            task = asyncio.ensure_future(pool.run(time.sleep, 600, key="job"))
            await asyncio.sleep(0.1)  # the idle worker takes it at once
            assert pool.kill("job")
            with pytest.raises(TaskKilled):
                await task
            return first, await pool.run(loaded, "qiskit_aer")
        finally:
            pool.shutdown()

    (first_pid, first_loaded), (second_pid, second_loaded) = run(scenario())
    assert second_pid != first_pid  # the killed worker was replaced
    assert (first_loaded, second_loaded) == (preloaded, preloaded)
