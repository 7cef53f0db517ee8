"""Group commit: submissions that arrive together are written in one transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")

MAX_BATCH = 256


class GroupCommit(Generic[Item, Outcome]):
    """Hands ``write`` every item that is waiting, in one call on a worker thread.

    A lone item is written at once. While a write is in progress, new items gather and go
    together in the next one, so under load each transaction (and each thread hop) carries
    many submissions instead of one: the per-request cost falls as the load rises, and no
    request waits longer than the write before it.

    Args:
        write: Writes the items in one transaction; returns one outcome per item, in order.
            If it raises, every item of that call fails with the error.
    """

    def __init__(self, write: Callable[[Sequence[Item]], list[Outcome]]) -> None:
        self._write = write
        self._waiting: list[tuple[Item, asyncio.Future[Outcome]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Outcome:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        self._waiting.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                outcomes = await asyncio.to_thread(self._write, [item for item, _ in batch])
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if not future.done():
                    future.set_result(outcome)
