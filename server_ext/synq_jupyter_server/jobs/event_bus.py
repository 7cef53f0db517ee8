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
        return await wait_event(self._changed, timeout)


async def wait_event(event: asyncio.Event, timeout: float) -> bool:
    """Whether ``event`` is set within ``timeout`` seconds.

    Not ``asyncio.wait_for``: before Python 3.12 it drops a cancel that arrives as the event
    is set, and a task stopped that way runs on (the scheduler never stopped, so the server
    never exited).
    """
    waiter = asyncio.ensure_future(event.wait())
    try:
        done, _ = await asyncio.wait({waiter}, timeout=timeout)
    finally:
        waiter.cancel()
    return bool(done)
