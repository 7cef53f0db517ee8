"""The target catalogue, computed once per process in a worker and then served from memory."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from synq_jupyter.errors import TargetError
from synq_jupyter_server.executor import ExecutorUnavailable, LocalExecutor
from synq_jupyter_server.tasks import catalogue_task

# The catalogue is a function of the installed code alone, so the answers are shared by
# every server in the process (tests start hundreds; a deployment one).
_summaries: list[dict[str, Any]] = []
_details: dict[str, dict[str, Any]] = {}


class CatalogueService:
    """Lists targets and describes one.

    Building the device models imports the provider SDKs and reads their calibration
    snapshots (seconds); that happens in a worker so the server stays light, and the
    answers are kept since the catalogue does not change while the process runs.
    """

    def __init__(self, executor: LocalExecutor) -> None:
        self._executor = executor
        self._lock = asyncio.Lock()
        self._warming: asyncio.Task[None] | None = None

    def warm(self) -> None:
        """Starts building the catalogue now, at server start, so the first request that
        needs it (every job submission checks its target) does not wait for it."""
        if not _summaries and self._warming is None:
            self._warming = asyncio.ensure_future(self._warm())

    async def _warm(self) -> None:
        # A worker lost here is reported by the request that needs the catalogue next.
        with contextlib.suppress(ExecutorUnavailable):
            await self.summaries()

    async def close(self) -> None:
        """Stops a build still running (before the worker pool goes)."""
        if self._warming is not None and not self._warming.done():
            self._warming.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._warming

    async def summaries(self) -> list[dict[str, Any]]:
        async with self._lock:
            if not _summaries:
                _summaries[:] = await self._executor.run(catalogue_task, None)
            return list(_summaries)

    async def names(self) -> list[str]:
        return [t["name"] for t in await self.summaries()]

    async def require(self, name: str, field: str = "target") -> None:
        """Raises ``TargetError`` naming ``field`` and the known targets if ``name`` is none."""
        names = await self.names()
        if name not in names:
            raise TargetError(
                f"unknown target {name!r}; known targets: {', '.join(names)}", field=field
            )

    async def get(self, name: str) -> dict[str, Any]:
        """One target's detail.

        Raises:
            TargetError: No target has that name.
        """
        await self.require(name, field="name")
        async with self._lock:
            if name not in _details:
                _details[name] = await self._executor.run(catalogue_task, name)
            return _details[name]
