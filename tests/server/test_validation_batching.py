"""Submissions validated together: a circuit that takes the worker down fails alone."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from synq_jupyter_server.executor import ExecutorUnavailable
from synq_jupyter_server.services.jobs import JobService

BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"
DEADLY = "# this one crashes the worker\n"


class Workers:
    """A request pool whose worker dies on any call that carries ``DEADLY``."""

    max_workers = 1

    def __init__(self) -> None:
        self.calls: list[int] = []

    async def run(self, fn: Any, validations: list[Any]) -> Any:
        self.calls.append(len(validations))
        await asyncio.sleep(0.01)
        if any(DEADLY in sources for sources, *_ in validations):
            raise ExecutorUnavailable("a worker process died while running the task")
        return fn(validations)


def service(workers: Workers) -> JobService:
    scheduler = SimpleNamespace(queue=None, bus=None)
    return JobService(scheduler, workers, catalogue=None, quotas=None)  # type: ignore[arg-type]


async def test_a_circuit_that_kills_the_worker_fails_only_its_own_submission() -> None:
    workers = Workers()
    jobs = service(workers)
    sources = [BELL, DEADLY, BELL, "qubit q[2]\nquantum hh q[0]\n"]
    outcomes = await asyncio.gather(
        *(jobs._validations.submit(([s], None, "aer_simulator", None, False)) for s in sources),
        return_exceptions=True,
    )
    assert outcomes[0] == [2]
    assert isinstance(outcomes[1], ExecutorUnavailable)
    assert outcomes[2] == [2]
    assert getattr(outcomes[3], "field", None) == "source"
    assert workers.calls == [4, 1, 1, 1, 1]  # together, then one by one
