"""Group commit: requests that arrive together share one round trip (a transaction, a call
to a worker process)."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")

MAX_BATCH = 256


class GroupCommit(Generic[Item, Outcome]):
    """Hands ``write`` every item that is waiting, in one call.

    A lone item is written at once. While ``concurrency`` writes are in progress, new items
    gather and go together in the next one, so under load each round trip carries many
    items instead of one: the per-request cost falls as the load rises, and no request
    waits longer than the write before it.

    Args:
        write: Handles the items in one call; returns one outcome per item, in order. An
            outcome that is an exception fails its item alone; if ``write`` raises, every
            item of that call fails with the error.
        concurrency: How many calls of ``write`` may be in progress at once (one for a
            database's single writer; the number of worker processes for a pool).
    """

    def __init__(
        self,
        write: Callable[[Sequence[Item]], Awaitable[Sequence[Outcome | BaseException]]],
        concurrency: int = 1,
    ) -> None:
        self._write = write
        self._concurrency = max(1, concurrency)
        self._waiting: list[tuple[Item, asyncio.Future[Outcome]]] = []
        self._writers: set[asyncio.Task[None]] = set()

    async def submit(self, item: Item) -> Outcome:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        self._waiting.append((item, future))
        self._writers = {writer for writer in self._writers if not writer.done()}
        if len(self._writers) < self._concurrency:
            self._writers.add(loop.create_task(self._drain()))
        return await future

    async def _drain(self) -> None:
        while self._waiting:
            # An equal share of what waits, so that concurrent writers split it; items whose
            # caller has gone (cancelled) are not written.
            size = min(MAX_BATCH, math.ceil(len(self._waiting) / self._concurrency))
            batch, self._waiting = self._waiting[:size], self._waiting[size:]
            batch = [(item, future) for item, future in batch if not future.done()]
            if batch:
                await self._write_batch(batch)

    async def _write_batch(self, batch: list[tuple[Item, asyncio.Future[Outcome]]]) -> None:
        try:
            outcomes = await self._write([item for item, _ in batch])
            if len(outcomes) != len(batch):
                raise RuntimeError(f"{len(outcomes)} outcomes for {len(batch)} items")
        except Exception as exc:  # the whole call failed: so does each of its items
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        except BaseException:  # this drain was cancelled (the loop is ending): so are they
            for _, future in batch:
                future.cancel()
            raise
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if future.done():
                continue
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)
