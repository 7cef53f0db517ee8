"""The target catalogue, computed once in a worker and then served from memory."""

from __future__ import annotations

import asyncio
from typing import Any

from synq_jupyter.errors import TargetError
from synq_jupyter_server.executor import LocalExecutor
from synq_jupyter_server.tasks import catalogue_task


class CatalogueService:
    """Lists targets and describes one.

    Building the device models imports the provider SDKs; that happens in a worker so the
    server stays light, and the answers are kept since the catalogue does not change while
    the server runs.
    """

    def __init__(self, executor: LocalExecutor) -> None:
        self._executor = executor
        self._summaries: list[dict[str, Any]] | None = None
        self._details: dict[str, dict[str, Any]] = {}
        self._lock = asyncio.Lock()

    async def summaries(self) -> list[dict[str, Any]]:
        async with self._lock:
            if self._summaries is None:
                fetched: list[dict[str, Any]] = await self._executor.run(catalogue_task, None)
                self._summaries = fetched
                return list(fetched)
            return list(self._summaries)

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
            if name not in self._details:
                self._details[name] = await self._executor.run(catalogue_task, name)
            return self._details[name]
