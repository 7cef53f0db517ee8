"""Alembic migrations on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, Table, inspect

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
)
from synq_jupyter_server.db.models import Base, utcnow
from synq_jupyter_server.jobs.listing import events_after
from synq_jupyter_server.jobs.queue import JobQueue, NewJob
from synq_jupyter_server.jobs.states import JobScope, personal_org


def test_migrations_reach_head_and_match_the_models(db_url):
    database = Database(db_url)
    upgrade(database)
    assert current_revision(database) == head_revision(database)
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert "transpile_records" in inspect(database.engine).get_table_names()
    database.dispose()


def test_upgrade_twice_is_harmless(db_url):
    database = Database(db_url)
    upgrade(database)
    upgrade(database)
    assert current_revision(database) == head_revision(database) == "0012"
    database.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'wal.sqlite'}")
    with database.engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert mode == "wal"
    database.dispose()


def test_job_events_outlive_their_job_after_0011_and_keep_their_ids(db_url):
    database = Database(db_url)
    upgrade(database, "0010")
    owner = f"ann-{uuid.uuid4().hex[:8]}"
    queue, scope = JobQueue(database), JobScope.personal(owner)
    job_id = cancelled_job_as_of_0010(database, owner)
    upgrade(database)
    before = [(e["type"], e["data"].get("status")) for e in events_after(database, owner, 0)]
    assert before == [("status", "queued"), ("status", "cancelled")]
    newest = max(e["id"] for e in events_after(database, owner, 0))
    queue.delete(job_id, scope)
    # The job's events went with it; the deleted event came after them, with a new id.
    after = events_after(database, owner, 0)
    assert [(e["job_id"], e["type"]) for e in after] == [(job_id, "deleted")]
    assert after[0]["id"] > newest
    database.dispose()


def cancelled_job_as_of_0010(database: Database, owner: str) -> str:
    """A job queued and then cancelled, written to the tables as they were at 0010 (the
    queue writes today's columns)."""
    tables = MetaData()
    jobs = Table("jobs", tables, autoload_with=database.engine)
    events = Table("job_events", tables, autoload_with=database.engine)
    job_id, now = uuid.uuid4().hex, utcnow()
    with database.engine.begin() as connection:
        connection.execute(
            jobs.insert().values(
                id=job_id,
                kind="noop",
                owner=owner,
                org_id=personal_org(owner),
                target="aer_simulator",
                status="cancelled",
                priority=0,
                attempts=0,
                max_retries=2,
                payload={},
                tags=[],
                cancel_requested=False,
                created_at=now,
                finished_at=now,
            )
        )
        connection.execute(
            events.insert(),
            [
                {
                    "job_id": job_id,
                    "owner": owner,
                    "type": "status",
                    "data": {"status": s},
                    "created_at": now,
                }
                for s in ("queued", "cancelled")
            ],
        )
    return job_id


def test_downgrading_past_0010_keeps_every_jobs_result_and_tags(db_url):
    database = Database(db_url)
    upgrade(database)
    owner = f"ann-{uuid.uuid4().hex[:8]}"
    queue = JobQueue(database)
    new = NewJob(kind="noop", target="aer_simulator", payload={}, tags=("kept",))
    job, _ = queue.submit(owner, new)
    queue.claim("w", 10)
    assert queue.complete(job.id, "w", {"counts": {"0": 1}})
    command.downgrade(alembic_config(database), "0009")  # 0012, 0011 and 0010 undone
    with database.engine.connect() as connection:
        results = connection.exec_driver_sql(
            f"SELECT COUNT(*) FROM job_results WHERE job_id = '{job.id}'"
        ).scalar()
        tags = connection.exec_driver_sql(
            f"SELECT COUNT(*) FROM job_tags WHERE job_id = '{job.id}'"
        ).scalar()
    assert (results, tags) == (1, 1)
    upgrade(database)
    assert queue.result(job.id, JobScope.personal(owner))[1] == {"counts": {"0": 1}}
    database.dispose()
