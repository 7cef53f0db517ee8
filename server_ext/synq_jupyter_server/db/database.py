"""The database handle: engine, short sessions, and schema status."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker


def default_sqlite_url(data_dir: str | None = None) -> str:
    """``sqlite:///{jupyter_data_dir}/synq/synq.sqlite``, creating the folder."""
    if data_dir is None:
        from jupyter_core.paths import jupyter_data_dir

        data_dir = jupyter_data_dir()
    folder = Path(data_dir) / "synq"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'synq.sqlite'}"


class Database:
    """One engine per process, and a session per operation.

    Args:
        url: SQLAlchemy URL; ``postgresql://`` is read as ``postgresql+psycopg://``.
    """

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.url = parsed
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        # The most recently used connection first: its caches are warm, and the rest of the
        # pool idles (and times out on PostgreSQL) instead of rotating.
        kwargs: dict[str, Any] = {"pool_use_lifo": True}
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            # A server connection can drop while idle; a file cannot.
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(parsed, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.Lock()
        self._read_engine = self.engine.execution_options(sqlite_begin="DEFERRED")
        self._readers = sessionmaker(self._read_engine, expire_on_commit=False)

    @classmethod
    def from_env(cls, configured: str | None = None) -> Database:
        """``configured``, else ``$SYNQ_DATABASE_URL``, else the SQLite file in the data dir."""
        return cls(configured or os.environ.get("SYNQ_DATABASE_URL") or default_sqlite_url())

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for logs and health reports."""
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session that commits on success and rolls back on error.

        On SQLite a writing session starts with ``BEGIN IMMEDIATE``: it takes the write lock
        up front (waiting for it), so two writers never fail on a lock upgrade, and a
        conditional ``UPDATE ... RETURNING`` inside it is atomic — SQLite has no
        ``SELECT ... FOR UPDATE SKIP LOCKED``. ``write=False`` sessions only read.

        Writers of one process also queue on a lock: SQLite's busy handler sleeps in steps
        of up to 100 ms when it finds the database locked, so threads of one process
        taking turns in memory is far faster than colliding on the file lock. Other
        processes still wait on the file lock (``timeout=30``).
        """
        with self._writers(write):
            session = (self._sessions if write else self._readers)()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Connection]:
        """A Core connection in one transaction, for hot paths where the ORM's unit of work
        costs more than the SQL (claiming and finishing jobs). Same locking as ``session``."""
        engine = self.engine if write else self._read_engine
        with self._writers(write), engine.begin() as connection:
            yield connection

    def _writers(self, write: bool) -> contextlib.AbstractContextManager[Any]:
        """The in-process queue writers of SQLite take turns on (see ``session``)."""
        return self._write_lock if write and self.is_sqlite else contextlib.nullcontext()

    def ping(self) -> None:
        """Raises if the database cannot answer a trivial query."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN instead of the driver's implicit one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers proceed while one writer commits; NORMAL sync is safe under WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")
