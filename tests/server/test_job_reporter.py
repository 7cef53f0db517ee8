"""The scheduler's reporter: a worker's progress, points and shots reach the queue and the
organisation's count, none lost."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from synq_jupyter_server.jobs.scheduler import Scheduler, SchedulerSettings, _Reporter


class RecordingQueue:
    def __init__(self) -> None:
        self.writes: list[tuple[float, str, list[list[float]]]] = []

    def progress(self, job_id, worker, fraction, message, points) -> bool:
        self.writes.append((fraction, message, points))
        return True


class Meter:
    """Counts an organisation's shots against ``limit``, as ``QuotaService.spend_shots``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.calls: list[tuple[str, int]] = []

    def __call__(self, org_id: str, shots: int) -> str | None:
        self.calls.append((org_id, shots))
        used = sum(n for _, n in self.calls)
        return "used up" if used >= self.limit else None


def reporter(queue: RecordingQueue, meter: Meter | None = None) -> _Reporter:
    stopped: list[tuple[str, str]] = []

    async def stop_over_quota(job_id: str, reason: str) -> None:
        stopped.append((job_id, reason))

    scheduler = SimpleNamespace(
        queue=queue,
        worker_id="w",
        bus=SimpleNamespace(notify=lambda: None),
        _remote={},
        meter=meter,
        stop_over_quota=stop_over_quota,
        stopped=stopped,
    )
    job = SimpleNamespace(id="job", org_id="org")
    return _Reporter(scheduler, job)  # type: ignore[arg-type]


def test_points_after_the_last_progress_keep_its_fraction_and_message():
    queue = RecordingQueue()

    async def run() -> None:
        report = reporter(queue)
        report("progress", (0.5, "iteration 5"))
        report("point", (5, -1.0))
        await report.drain()

    asyncio.run(run())
    assert queue.writes == [(0.5, "iteration 5", []), (0.5, "iteration 5", [[5.0, -1.0]])]


def test_throttled_progress_is_written_when_the_job_ends():
    queue = RecordingQueue()

    async def run() -> None:
        report = reporter(queue)
        for step in range(1, 6):
            report("point", (step, float(step)))
            report("progress", (step / 10, f"step {step}"))
        await report.drain()

    asyncio.run(run())
    assert queue.writes[-1][:2] == (0.5, "step 5")
    assert [p for write in queue.writes for p in write[2]] == [[s, s] for s in range(1, 6)]


def test_shots_are_counted_for_the_organisation_and_none_is_lost():
    meter = Meter(limit=10**9)

    async def run() -> None:
        report = reporter(RecordingQueue(), meter)
        for _ in range(50):  # faster than the writes: they go together
            report("shots", 1000)
        await report.drain()
        assert report.scheduler.stopped == []

    asyncio.run(run())
    assert {org for org, _ in meter.calls} == {"org"}
    assert sum(n for _, n in meter.calls) == 50_000
    assert len(meter.calls) < 50


def test_a_running_job_that_uses_the_month_up_is_stopped_and_a_finished_one_is_not():
    async def run(finish_first: bool) -> list[tuple[str, str]]:
        meter = Meter(limit=3000)
        report = reporter(RecordingQueue(), meter)
        for _ in range(3):
            report("shots", 1000)
        if not finish_first:  # the counts land while the job still runs
            while report.pending:
                await asyncio.gather(*report.pending)
        await report.drain()
        assert sum(n for _, n in meter.calls) == 3000  # counted either way
        return report.scheduler.stopped

    assert asyncio.run(run(finish_first=False)) == [("job", "used up")]
    assert asyncio.run(run(finish_first=True)) == []


class Executor:
    """Holds the jobs in ``running``; ``kill`` stops one it holds."""

    kind = "fake"

    def __init__(self, running: set[str]) -> None:
        self.running = running

    def kill(self, job_id: str) -> bool:
        held = job_id in self.running
        self.running.discard(job_id)
        return held


@pytest.mark.parametrize("held", [True, False])
def test_a_job_over_quota_is_killed_only_while_its_executor_holds_it(held):
    async def run() -> tuple[dict[str, str], bool]:
        executor = Executor({"job"} if held else set())
        scheduler = Scheduler(
            RecordingQueue(),  # type: ignore[arg-type]
            executor,  # type: ignore[arg-type]
            SimpleNamespace(notify=lambda: None),  # type: ignore[arg-type]
            SchedulerSettings(),
        )
        finishing = asyncio.ensure_future(asyncio.sleep(0.05))  # the job's run, ending
        scheduler._running["job"] = finishing  # type: ignore[assignment]
        await scheduler.stop_over_quota("job", "used up")
        await asyncio.sleep(0.1)
        return scheduler._over_quota, finishing.cancelled()

    over_quota, cancelled = asyncio.run(run())
    # Killed, it fails with the reason; finishing, it is left alone and keeps its result.
    assert over_quota == ({"job": "used up"} if held else {})
    assert not cancelled
