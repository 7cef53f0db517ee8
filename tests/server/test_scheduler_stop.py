"""Stopping the scheduler: ``stop`` returns however its loop is woken, so the server exits."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from synq_jupyter_server.jobs.event_bus import wait_event
from synq_jupyter_server.jobs.scheduler import Scheduler, SchedulerSettings


class NothingQueued:
    def reap(self) -> list[str]:
        return []

    def claim_many(self, *args: Any) -> list[Any]:
        return []

    def cancel_requested(self, job_ids: list[str]) -> list[str]:
        return []

    def heartbeat(self, *args: Any) -> bool:
        return True


class NoExecutor:
    kind = "fake"

    def kill(self, job_id: str) -> bool:
        return False


class QuietBus:
    def notify(self) -> None:
        pass


async def stops_in_time(turns: int) -> bool:
    scheduler = Scheduler(
        NothingQueued(),  # type: ignore[arg-type]
        NoExecutor(),  # type: ignore[arg-type]
        QuietBus(),  # type: ignore[arg-type]
        SchedulerSettings(poll_seconds=0.25),
    )
    scheduler.start()
    await asyncio.sleep(0.05)  # the loop waits for a wake
    scheduler.wake()  # a job was submitted, retried or finished
    for _ in range(turns):
        await asyncio.sleep(0)
    stopping = asyncio.ensure_future(scheduler.stop())
    done, _ = await asyncio.wait({stopping}, timeout=2)
    if not done:  # free it, so the test ends either way
        assert scheduler._task is not None
        scheduler._task.cancel()
        await stopping
    return bool(done)


@pytest.mark.parametrize("turns", range(4))
def test_stop_returns_when_it_lands_just_after_a_wake(turns):
    # asyncio.wait_for before Python 3.12 dropped the cancel when the wake came with it,
    # and the loop ran on: Jupyter's SIGTERM never finished (8 of 15 stops under load).
    assert asyncio.run(stops_in_time(turns))


def test_wait_event_says_whether_the_event_came_and_passes_a_cancel_on():
    async def scenario() -> tuple[bool, bool, bool]:
        event = asyncio.Event()
        timed_out = await wait_event(event, 0.01)
        event.set()
        came = await wait_event(event, 1)
        waiting = asyncio.ensure_future(wait_event(asyncio.Event(), 10))
        await asyncio.sleep(0)
        waiting.cancel()
        await asyncio.sleep(0)
        return timed_out, came, waiting.cancelled()

    assert asyncio.run(scenario()) == (False, True, True)
