"""Health of the server's parts: the database and the executor."""

from __future__ import annotations

import asyncio
from typing import Any

from synq_jupyter._version import __version__
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.migrate import current_revision, head_revision
from synq_jupyter_server.jobs.scheduler import JobExecutor


class HealthService:
    """Checks each part for real: a query on the database, a task through the executor."""

    def __init__(self, database: Database, executor: JobExecutor) -> None:
        self._database = database
        self._executor = executor

    async def check(self) -> dict[str, Any]:
        database, executor = await asyncio.gather(
            asyncio.to_thread(self._check_database), self._executor.health()
        )
        ok = database["status"] == "ok" and executor["status"] == "ok"
        return {
            "status": "ok" if ok else "error",
            "version": __version__,
            "database": database,
            "executor": executor,
        }

    def _check_database(self) -> dict[str, Any]:
        db = self._database
        report: dict[str, Any] = {
            "backend": db.url.get_backend_name(),
            "url": db.safe_url,
            "revision": None,
            "head": head_revision(db),
        }
        try:
            db.ping()
            report["revision"] = current_revision(db)
        except Exception as exc:  # any driver error means the database is not usable
            return {**report, "status": "error", "detail": f"{type(exc).__name__}: {exc}"}
        if report["revision"] != report["head"]:
            detail = "migrations pending: run `jupyter synq db upgrade`"
            return {**report, "status": "error", "detail": detail}
        return {**report, "status": "ok"}
