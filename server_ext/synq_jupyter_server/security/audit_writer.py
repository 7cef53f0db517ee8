"""The audit log's writer thread: events queued by requests are appended in batches.

Requests never wait for the audit log: ``submit`` queues an event and returns. The thread
takes whatever has queued up and appends it in one transaction, so under load each
transaction (and each head lock) carries many entries instead of one, and the audit log
stops competing with the requests it records for the database and the interpreter.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

log = logging.getLogger("synq.security")

Event = TypeVar("Event")
Record = TypeVar("Record")

MAX_BATCH = 500
LINGER = 0.02
"""Seconds the thread waits after the first event of a batch for others to join it."""
_STOP = object()


class BatchWriter(Generic[Event, Record]):
    """Runs ``write`` on one thread over every event queued since the last write.

    Events are written in the order they were submitted. After the first event of a
    batch the thread lingers a few milliseconds, so that under load each transaction carries
    many events (a transaction's fixed cost is most of an append's); nobody waits for
    that but ``flush`` and ``close``. If a batch fails, each of its events is written again
    on its own, so one bad event costs only itself.

    Args:
        write: Writes events in one transaction; returns one record per event, in order.
        name: The thread's name.
    """

    def __init__(self, write: Callable[[Sequence[Event]], list[Record]], name: str) -> None:
        self._write = write
        self._queue: queue.SimpleQueue[tuple[object, Future[Record | None]]] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, event: Event) -> Future[Record | None]:
        future: Future[Record | None] = Future()
        self._queue.put((event, future))
        return future

    def flush(self) -> None:
        """Waits until every event submitted so far is written (at once after ``close``)."""
        if not self._thread.is_alive():
            return
        marker: Future[Record | None] = Future()
        self._queue.put((None, marker))
        marker.result()

    def close(self) -> None:
        """Writes what is queued, then stops the thread."""
        if self._thread.is_alive():
            self._queue.put((_STOP, Future()))
            self._thread.join()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            if batch[0][0] not in (None, _STOP):
                time.sleep(LINGER)
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            events = [(item, future) for item, future in batch if item not in (None, _STOP)]
            if events:
                self._write_batch(events)  # type: ignore[arg-type]
            for item, future in batch:
                if item is None:  # a flush marker: everything before it is written
                    future.set_result(None)
            if any(item is _STOP for item, _ in batch):
                return

    def _write_batch(self, events: list[tuple[Event, Future[Record | None]]]) -> None:
        try:
            records = self._write([event for event, _ in events])
        except Exception as exc:
            if len(events) == 1:
                log.error("SynQ could not write an audit event", exc_info=exc)
                events[0][1].set_exception(exc)
                return
            for one in events:
                self._write_batch([one])
            return
        for (_, future), record in zip(events, records, strict=True):
            future.set_result(record)
