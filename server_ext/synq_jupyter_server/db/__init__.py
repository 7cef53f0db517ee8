"""Persistence: SQLAlchemy models, the database handle, and Alembic migrations."""

from synq_jupyter_server.db.database import Database, default_sqlite_url

__all__ = ["Database", "default_sqlite_url"]
