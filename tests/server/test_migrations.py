"""Alembic migrations on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.migrate import current_revision, head_revision, upgrade
from synq_jupyter_server.db.models import Base


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
    assert current_revision(database) == head_revision(database) == "0010"
    database.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'wal.sqlite'}")
    with database.engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert mode == "wal"
    database.dispose()
