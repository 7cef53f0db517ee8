"""The target catalogue is built at server start, before a request needs it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from synq_jupyter_server.executor import LocalExecutor
from synq_jupyter_server.services import catalogue


class CountingExecutor(LocalExecutor):
    """A real worker pool that counts the tasks it is given."""

    def __init__(self) -> None:
        super().__init__(1, "forkserver")
        self.calls = 0

    async def run(self, fn: Any, *args: Any) -> Any:
        self.calls += 1
        return await super().run(fn, *args)


@pytest.fixture
def fresh(monkeypatch):
    """No catalogue built yet in this process; a service over a counting pool."""
    monkeypatch.setattr(catalogue, "_summaries", [])
    executor = CountingExecutor()
    yield catalogue.CatalogueService(executor), executor
    executor.shutdown()


def test_warming_builds_the_catalogue_so_a_submission_does_not_wait(fresh):
    service, executor = fresh

    async def scenario() -> None:
        service.warm()
        await asyncio.wait_for(service._warming, 120)  # type: ignore[arg-type]
        assert executor.calls == 1
        await service.require("aer_simulator")  # what every job submission checks
        assert "ibm_torino" in await service.names()
        assert executor.calls == 1  # served from memory

    asyncio.new_event_loop().run_until_complete(scenario())


def test_a_server_closing_while_warming_stops_the_build(fresh):
    service, _ = fresh

    async def scenario() -> None:
        service.warm()
        await asyncio.sleep(0.2)  # the worker is building
        await service.close()
        assert service._warming is not None
        assert service._warming.cancelled()
        assert catalogue._summaries == []
        await service.close()  # twice is harmless

    asyncio.new_event_loop().run_until_complete(scenario())
