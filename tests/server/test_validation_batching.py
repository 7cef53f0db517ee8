"""Submissions validated together: a circuit that takes the worker down fails alone."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from synq_jupyter_server.executor import ExecutorUnavailable
from synq_jupyter_server.services.jobs import LARGE_SOURCE_CHARACTERS, JobService

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


def service(workers: Workers, large: Any = None) -> JobService:
    scheduler = SimpleNamespace(queue=None, bus=None)
    return JobService(
        scheduler,  # type: ignore[arg-type]
        workers,  # type: ignore[arg-type]
        catalogue=None,  # type: ignore[arg-type]
        quotas=None,  # type: ignore[arg-type]
        large_checks=large or Workers(),
    )


async def test_a_circuit_that_kills_the_worker_fails_only_its_own_submission() -> None:
    workers = Workers()
    jobs = service(workers)
    sources = [BELL, DEADLY, BELL, "qubit q[2]\nquantum hh q[0]\n"]
    outcomes = await asyncio.gather(
        *(jobs._validate(([s], None, "aer_simulator", None, False, False, 0)) for s in sources),
        return_exceptions=True,
    )
    assert outcomes[0] == [2]
    assert isinstance(outcomes[1], ExecutorUnavailable)
    assert outcomes[2] == [2]
    assert getattr(outcomes[3], "field", None) == "source"
    assert workers.calls == [4, 1, 1, 1, 1]  # together, then one by one


class HeldWorkers(Workers):
    """A pool whose calls wait until ``release`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def run(self, fn: Any, validations: list[Any]) -> Any:
        await self.release.wait()
        return await super().run(fn, validations)


async def test_a_large_source_never_holds_up_the_small_ones_behind_it() -> None:
    everyday, large = Workers(), HeldWorkers()
    jobs = service(everyday, large)
    wide = "qubit q[3]\n" + "quantum h q[2]\n" * (LARGE_SOURCE_CHARACTERS // 15 + 1)
    slow = asyncio.ensure_future(
        jobs._validate(([wide], None, "aer_simulator", None, False, False, 0))
    )
    await asyncio.sleep(0)
    # The large one is still being checked; the small ones are checked meanwhile.
    small = [([BELL], None, "aer_simulator", None, False, False, 0)] * 3
    assert await asyncio.gather(*(jobs._validate(v) for v in small)) == [[2]] * 3
    assert not slow.done()
    large.release.set()
    assert await slow == [3]
    assert (everyday.calls, large.calls) == ([3], [1])  # the small ones together
