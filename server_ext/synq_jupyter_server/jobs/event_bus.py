"""Wakes up whoever waits for job events when this process writes some.

Events themselves live in the ``job_events`` table (so they survive restarts and reach
every process); the bus only says "look again", which spares listeners from waiting a
full poll interval for events written here.
"""

from __future__ import annotations

import asyncio


class EventBus:
    """An asyncio notifier: ``notify()`` releases every pending ``wait()``."""

    def __init__(self) -> None:
        self._changed = asyncio.Event()
        self.generation = 0

    def notify(self) -> None:
        self.generation += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, timeout: float, since: int | None = None) -> bool:
        """Waits for the next ``notify`` (``True``) or ``timeout`` seconds (``False``).

        With ``since`` (a ``generation`` read before looking at the table), a notify that
        came while the caller was looking counts too, so it is never missed.
        """
        if since is not None and since != self.generation:
            return True
        changed = self._changed
        try:
            await asyncio.wait_for(changed.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True
