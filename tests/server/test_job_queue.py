"""The job queue on SQLite and PostgreSQL: claiming, leases, retries, cancel, listing."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.migrate import upgrade
from synq_jupyter_server.db.models import JobEvent, JobResult
from synq_jupyter_server.jobs.idempotency import Idempotency
from synq_jupyter_server.jobs.listing import JobFilter, events_after, list_jobs
from synq_jupyter_server.jobs.queue import JobConflict, JobQueue, Lease, NewJob, Submission
from synq_jupyter_server.jobs.states import JobScope


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def database(db_url):
    db = Database(db_url)
    upgrade(db)
    yield db
    db.dispose()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def queue(database, clock):
    return JobQueue(database, clock=clock)


def noop(**kwargs) -> NewJob:
    return NewJob(kind="noop", target="aer_simulator", payload={}, **kwargs)


def statuses(database, job_id) -> list[str]:
    with database.session(write=False) as session:
        events = session.scalars(
            select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.id)
        )
        return [e.data["status"] for e in events if e.type == "status"]


def test_claim_takes_higher_priority_then_oldest(queue):
    low, _ = queue.submit("ada", noop())
    high, _ = queue.submit("ada", noop(priority=5))
    later, _ = queue.submit("ada", noop())
    order = [queue.claim("w", 30).job.id for _ in range(3)]
    assert order == [high.id, low.id, later.id]
    assert queue.claim("w", 30) is None


def test_per_user_limit_lets_other_users_through(queue):
    for _ in range(3):
        queue.submit("ada", noop())
    bob, _ = queue.submit("bob", noop())
    first = queue.claim("w", 30, per_user_limit=1)
    second = queue.claim("w", 30, per_user_limit=1)
    assert first.job.owner == "ada"
    assert second.job.id == bob.id
    assert queue.claim("w", 30, per_user_limit=1) is None


def test_claim_many_keeps_the_per_user_limit_within_one_batch(queue):
    for _ in range(3):
        queue.submit("ada", noop())
    queue.submit("bob", noop())
    batch = queue.claim_many("w", 30, 4, per_user_limit=2)
    assert Counter(c.job.owner for c in batch) == {"ada": 2, "bob": 1}
    assert queue.claim_many("w", 30, 4, per_user_limit=2) == []  # ada's third waits
    queue.complete(batch[0].job.id, "w", {})
    assert [c.job.owner for c in queue.claim_many("w", 30, 4, per_user_limit=2)] == ["ada"]
    assert queue.claim_many("w", 30, 4) is None  # nothing queued at all


def test_a_free_worker_takes_a_new_job_as_it_is_submitted(queue, database):
    job, created = queue.submit("ada", noop(), take=Lease("w", 30))
    assert created
    assert (job.status, job.attempts) == ("running", 1)
    assert statuses(database, job.id) == ["queued", "running"]
    assert queue.claim("other", 30) is None
    assert queue.complete(job.id, "w", {"ok": True})
    assert queue.get(job.id, JobScope.personal("ada")).status == "succeeded"


def test_a_new_job_does_not_jump_the_queue_or_the_user_limit(queue, clock):
    waiting, _ = queue.submit("ada", noop())
    behind, _ = queue.submit("bob", noop(), take=Lease("w", 30))
    assert behind.status == "queued"  # ada's job is older: it goes first
    assert queue.claim("w", 30).job.id == waiting.id
    queue.claim("w", 30)
    over, _ = queue.submit("ada", noop(), take=Lease("w", 30, per_user_limit=1))
    assert over.status == "queued"  # ada already runs one job
    queue.claim("w", 30)
    within, _ = queue.submit("cy", noop(), take=Lease("w", 30, per_user_limit=1))
    assert within.status == "running"
    clock.now += 31  # a lease taken at submit expires like any other
    assert set(queue.reap()) == {waiting.id, behind.id, over.id, within.id}


def test_complete_writes_the_result_once(queue, database):
    job, _ = queue.submit("ada", noop())
    claimed = queue.claim("w1", 30)
    assert queue.complete(job.id, "w1", {"value": 1})
    assert not queue.complete(job.id, "w1", {"value": 2})
    view, result = queue.result(job.id, JobScope.personal("ada"))
    assert view.status == "succeeded"
    assert result == {"value": 1}
    assert claimed.job.attempts == 1
    assert statuses(database, job.id) == ["queued", "running", "succeeded"]


def test_expired_lease_is_reaped_and_rerun_once(queue, clock):
    job, _ = queue.submit("ada", noop())
    queue.claim("dead-worker", 10)
    clock.now += 11
    assert queue.reap() == [job.id]
    again = queue.claim("w2", 10)
    assert again.job.id == job.id
    assert again.job.attempts == 2
    # The dead worker's late answer is ignored; the live one's counts.
    assert not queue.complete(job.id, "dead-worker", {"by": "dead"})
    assert queue.complete(job.id, "w2", {"by": "w2"})
    assert queue.result(job.id, JobScope.personal("ada"))[1] == {"by": "w2"}


def test_lease_expiry_without_retries_fails_the_job(queue, clock):
    job, _ = queue.submit("ada", noop(max_retries=0))
    queue.claim("w", 5)
    clock.now += 6
    queue.reap()
    view = queue.get(job.id, JobScope.personal("ada"))
    assert view.status == "failed"
    assert "lease" in view.error


def test_heartbeat_keeps_the_lease(queue, clock):
    job, _ = queue.submit("ada", noop())
    queue.claim("w", 10)
    clock.now += 8
    assert queue.heartbeat(job.id, "w", 10)
    clock.now += 8
    assert queue.reap() == []


def test_transient_failure_is_retried_until_retries_run_out(queue):
    job, _ = queue.submit("ada", noop(max_retries=1))
    queue.claim("w", 10)
    assert queue.fail(job.id, "w", "provider busy", transient=True) == "queued"
    queue.claim("w", 10)
    assert queue.fail(job.id, "w", "provider busy", transient=True) == "failed"
    assert queue.get(job.id, JobScope.personal("ada")).attempts == 2


def test_cancel_queued_job_never_runs(queue):
    job, _ = queue.submit("ada", noop())
    assert queue.cancel(job.id, JobScope.personal("ada")).status == "cancelled"
    assert queue.claim("w", 10) is None


def test_cancel_running_job_stops_its_heartbeat(queue):
    job, _ = queue.submit("ada", noop())
    queue.claim("w", 10)
    assert queue.cancel(job.id, JobScope.personal("ada")).cancel_requested
    assert not queue.heartbeat(job.id, "w", 10)
    assert queue.cancel_requested([job.id]) == [job.id]
    assert queue.mark_cancelled(job.id, "w")
    assert queue.get(job.id, JobScope.personal("ada")).status == "cancelled"


def test_a_failed_job_shows_its_error_not_what_it_was_doing(queue):
    job, _ = queue.submit("ada", noop(max_retries=0))
    queue.claim("w", 10)
    queue.progress(job.id, "w", 0.5, "sampling 100 shots")
    queue.fail(job.id, "w", "ValueError: out of memory", transient=False)
    failed = queue.get(job.id, JobScope.personal("ada"))
    assert (failed.status, failed.error) == ("failed", "ValueError: out of memory")
    assert failed.progress_message is None
    assert failed.progress == 0.5  # how far it got


def test_retry_requeues_a_failed_job(queue):
    job, _ = queue.submit("ada", noop(max_retries=0))
    queue.claim("w", 10)
    queue.fail(job.id, "w", "bad", transient=False)
    retried = queue.retry(job.id, JobScope.personal("ada"))
    assert (retried.status, retried.started_at, retried.finished_at) == ("queued", None, None)
    assert queue.claim("w", 10).job.attempts == 2
    with pytest.raises(JobConflict):
        queue.retry(job.id, JobScope.personal("ada"))


def test_a_job_retried_by_hand_gets_its_automatic_retries_again(queue):
    job, _ = queue.submit("ada", noop(max_retries=1))
    scope = JobScope.personal("ada")
    for _ in range(2):  # the run, then its one automatic retry
        queue.claim("w", 10)
        queue.fail(job.id, "w", "provider busy", transient=True)
    assert queue.get(job.id, scope).status == "failed"
    retried = queue.retry(job.id, scope)
    assert (retried.attempts, retried.max_retries) == (2, 1)  # as the user set it
    queue.claim("w", 10)
    assert queue.fail(job.id, "w", "provider busy", transient=True) == "queued"
    queue.claim("w", 10)
    assert queue.fail(job.id, "w", "provider busy", transient=True) == "failed"
    assert queue.get(job.id, scope).attempts == 4


def test_a_lease_expired_after_a_retry_by_hand_is_run_again(queue, clock):
    job, _ = queue.submit("ada", noop(max_retries=1))
    queue.claim("w", 10)
    queue.fail(job.id, "w", "bad", transient=False)
    queue.retry(job.id, JobScope.personal("ada"))
    queue.claim("w", 10)
    clock.now += 11
    assert queue.reap() == [job.id]
    assert queue.get(job.id, JobScope.personal("ada")).status == "queued"


def test_same_idempotency_key_gives_the_same_job(queue):
    key = Idempotency("k-1", "digest-of-the-request")
    first, created = queue.submit("ada", noop(idempotency=key))
    again, created_again = queue.submit("ada", noop(idempotency=key))
    other, _ = queue.submit("bob", noop(idempotency=key))
    assert created
    assert not created_again
    assert again.id == first.id
    assert other.id != first.id


def test_an_idempotency_key_reused_for_another_request_is_refused(queue):
    first, _ = queue.submit("ada", noop(idempotency=Idempotency("k-2", "first request")))
    with pytest.raises(SynqInputError) as info:
        queue.submit("ada", noop(idempotency=Idempotency("k-2", "another request")))
    assert info.value.field == "Idempotency-Key"
    assert first.id in str(info.value)


def test_a_reused_key_refuses_only_its_own_submission_in_a_batch(queue):
    """Submissions that arrive together are written together: one caller's key reused for
    another request must not fail the other callers'."""
    queue.submit("ada", noop(idempotency=Idempotency("k-3", "first request")))
    outcomes = queue.submit_many(
        [
            Submission("bob", noop(), None),
            Submission("ada", noop(idempotency=Idempotency("k-3", "another request")), None),
            Submission("cy", noop(idempotency=Idempotency("k-4", "a request")), None),
        ]
    )
    assert isinstance(outcomes[1], SynqInputError)
    assert outcomes[1].field == "Idempotency-Key"
    for outcome in (outcomes[0], outcomes[2]):
        assert not isinstance(outcome, Exception)
        view, created = outcome
        assert created
        assert view.status == "queued"


def test_other_users_cannot_see_a_job(queue):
    from synq_jupyter_server.jobs.queue import JobNotFound

    job, _ = queue.submit("ada", noop())
    with pytest.raises(JobNotFound):
        queue.get(job.id, JobScope.personal("mallory"))


def test_listing_filters_and_pages(queue, database):
    ids = []
    for i in range(7):
        job, _ = queue.submit("ada", noop(tags=("even",) if i % 2 == 0 else ("odd",)))
        ids.append(job.id)
        time.sleep(0.002)
    queue.submit("bob", noop())
    seen, cursor = [], None
    while True:
        page, cursor = list_jobs(database, JobScope.personal("ada"), JobFilter(), 3, cursor)
        seen += [j.id for j in page]
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    evens, _ = list_jobs(database, JobScope.personal("ada"), JobFilter(tag="even"), 10, None)
    assert len(evens) == 4
    queue.cancel(ids[0], JobScope.personal("ada"))
    cancelled, _ = list_jobs(
        database, JobScope.personal("ada"), JobFilter(status="cancelled"), 10, None
    )
    assert [j.id for j in cancelled] == [ids[0]]


def test_events_come_back_in_order(queue, database):
    job, _ = queue.submit("ada", noop())
    queue.claim("w", 10)
    queue.progress(job.id, "w", 0.5, "half way")
    queue.complete(job.id, "w", {})
    events = events_after(database, "ada", 0, job_id=job.id)
    kinds = [(e["type"], e["data"].get("status", e["data"].get("progress"))) for e in events]
    assert kinds == [
        ("status", "queued"),
        ("status", "running"),
        ("progress", 0.5),
        ("status", "succeeded"),
    ]


def _claim_all(url: str, worker: str, out) -> None:
    db = Database(url)
    queue = JobQueue(db)
    claimed = []
    while (job := queue.claim(worker, 60)) is not None:
        queue.complete(job.job.id, worker, {"worker": worker})
        claimed.append(job.job.id)
    out.put(claimed)
    db.dispose()


def test_four_workers_claim_a_thousand_jobs_and_none_twice(db_url, database):
    queue = JobQueue(database)
    for _ in range(1000):
        queue.submit("ada", noop())
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    workers = [ctx.Process(target=_claim_all, args=(db_url, f"w{i}", out)) for i in range(4)]
    for worker in workers:
        worker.start()
    claimed = [job for _ in workers for job in out.get(timeout=300)]
    for worker in workers:
        worker.join(60)
    counts = Counter(claimed)
    assert len(counts) == 1000
    assert max(counts.values()) == 1
    with database.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(JobResult)) == 1000
        running_events = session.scalar(
            select(func.count())
            .where(JobEvent.type == "status")
            .where(JobEvent.data["status"].as_string() == "running")
        )
    assert running_events == 1000


def _claim_and_hang(url: str, ready) -> None:
    queue = JobQueue(Database(url))
    queue.claim("doomed", 1.0)
    ready.set()
    time.sleep(600)


def test_worker_killed_mid_job_is_rerun_once_after_its_lease(db_url, database):
    queue = JobQueue(database)
    job, _ = queue.submit("ada", noop())
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    doomed = ctx.Process(target=_claim_and_hang, args=(db_url, ready))
    doomed.start()
    assert ready.wait(60)
    os.kill(doomed.pid, 9)
    doomed.join()
    time.sleep(1.2)
    assert queue.reap() == [job.id]
    claimed = queue.claim("survivor", 30)
    assert claimed.job.id == job.id
    assert queue.complete(job.id, "survivor", {"ok": True})
    assert queue.get(job.id, JobScope.personal("ada")).attempts == 2
    assert statuses(database, job.id) == ["queued", "running", "queued", "running", "succeeded"]
