"""The scheduler's reporter: a worker's progress and points reach the queue, none lost."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from synq_jupyter_server.jobs.scheduler import _Reporter


class RecordingQueue:
    def __init__(self) -> None:
        self.writes: list[tuple[float, str, list[list[float]]]] = []

    def progress(self, job_id, worker, fraction, message, points) -> bool:
        self.writes.append((fraction, message, points))
        return True


def reporter(queue: RecordingQueue) -> _Reporter:
    scheduler = SimpleNamespace(
        queue=queue, worker_id="w", bus=SimpleNamespace(notify=lambda: None), _remote={}
    )
    return _Reporter(scheduler, "job")  # type: ignore[arg-type]


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
