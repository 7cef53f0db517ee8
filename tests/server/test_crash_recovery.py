"""A server killed with -9 while jobs run loses none of them (SQLite and PostgreSQL)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.migrate import upgrade
from synq_jupyter_server.db.models import Job, JobEvent, JobResult
from synq_jupyter_server.jobs.queue import JobQueue, NewJob
from synq_jupyter_server.principal import local_owner
from tests.fixtures.server_process import ServerProcess

JOBS = 200
SOURCE = "qubit q[3]\nquantum h q[0]\nquantum cx q[0], q[1]\nquantum cx q[1], q[2]\n"
SERVER_ARGS = [
    "--SynqApp.job_workers=2",
    "--SynqApp.max_running_jobs=32",
    "--SynqApp.lease_seconds=3",
    "--SynqApp.per_user_concurrency=0",
    "--SynqApp.executor_workers=1",
]


def count(database: Database, query) -> int:
    with database.session(write=False) as session:
        return int(session.scalar(query) or 0)


def wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
def test_kill_9_while_jobs_run_then_restart_finishes_every_job(db_url, tmp_path):
    database = Database(db_url)
    upgrade(database)
    queue = JobQueue(database)
    for i in range(JOBS):
        payload = {
            "source": SOURCE,
            "format": "synq",
            "target": "aer_simulator",
            "shots": 200,
            "seed": i,
            "optimization_level": 1,
        }
        queue.submit(local_owner(), NewJob(kind="sample", target="aer_simulator", payload=payload))
    running = select(func.count()).select_from(Job).where(Job.status == "running")

    first = ServerProcess(tmp_path / "first", db_url, SERVER_ARGS).start()
    try:
        wait(lambda: count(database, running) >= 20, 120, "20 running jobs")
        in_flight = count(database, running)
    finally:
        first.kill()
    assert in_flight >= 20

    second = ServerProcess(tmp_path / "second", db_url, SERVER_ARGS).start()
    try:
        unfinished = (
            select(func.count()).select_from(Job).where(Job.status.in_(("queued", "running")))
        )
        wait(lambda: count(database, unfinished) == 0, 300, "every job to finish")
    finally:
        second.stop()

    with database.session(write=False) as session:
        statuses = dict(
            session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
        )
        results = session.scalar(select(func.count()).select_from(JobResult))
        rerun = session.scalar(select(func.count()).select_from(Job).where(Job.attempts > 1))
        finishes = session.execute(
            select(JobEvent.job_id, func.count())
            .where(JobEvent.type == "status", JobEvent.data["status"].as_string() == "succeeded")
            .group_by(JobEvent.job_id)
        ).all()
    database.dispose()
    assert statuses == {"succeeded": JOBS}
    assert results == JOBS
    assert rerun >= 1  # jobs the killed server held ran again after their leases expired
    assert len(finishes) == JOBS
    assert all(n == 1 for _, n in finishes)
