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
FLUSH_CHECK = 1.0
"""Seconds between checks, while ``flush`` waits, that the thread is still there."""


class _Marker:
    """A queue item that is not an event: a flush, or the end."""


_FLUSH, _STOP = _Marker(), _Marker()


class BatchWriter(Generic[Event, Record]):
    """Runs ``write`` on one thread over every event queued since the last write.

    Events are written in the order they were submitted. After the first event of a
    batch the thread lingers a few milliseconds, so that under load each transaction carries
    many events (a transaction's fixed cost is most of an append's); nobody waits for
    that but ``flush`` and ``close``.

    If a batch fails with an error that ``alone`` says may be one event's fault, each event
    is written again on its own, so a bad event costs only itself; any other error (the
    database is away) fails the batch at once. The thread outlives every error.

    Args:
        write: Writes events in one transaction; returns one record per event, in order.
        name: The thread's name.
        alone: Whether, after this error, the batch's events should be tried one by one.
    """

    def __init__(
        self,
        write: Callable[[Sequence[Event]], list[Record]],
        name: str,
        alone: Callable[[Exception], bool] = lambda error: True,
    ) -> None:
        self._write = write
        self._alone = alone
        self._queue: queue.SimpleQueue[tuple[Event | _Marker, Future[Record | None]]] = (
            queue.SimpleQueue()
        )
        self._closing = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, event: Event) -> Future[Record | None]:
        """Queues ``event``; after ``close`` it is written at once, on the caller's thread."""
        future: Future[Record | None] = Future()
        with self._closing:
            if not self._closed:
                self._queue.put((event, future))
                return future
        self._write_batch([(event, future)])
        return future

    def flush(self) -> None:
        """Waits until every event submitted so far is written (at once after ``close``)."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("the audit writer cannot wait for itself")
        marker: Future[Record | None] = Future()
        with self._closing:
            if self._closed:
                return
            self._queue.put((_FLUSH, marker))
        while not marker.done() and self._thread.is_alive():
            try:
                marker.result(timeout=FLUSH_CHECK)
            except TimeoutError:
                continue

    def close(self) -> None:
        """Writes what is queued, then stops the thread."""
        with self._closing:
            if self._closed:
                return
            self._closed = True
            self._queue.put((_STOP, Future()))
        self._thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch = [self._queue.get()]
            if not isinstance(batch[0][0], _Marker):
                time.sleep(LINGER)
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stopping = any(item is _STOP for item, _ in batch)
            if stopping:  # nothing can be queued after _STOP: take the rest too
                while not self._queue.empty():
                    batch.append(self._queue.get_nowait())
            events = [(item, f) for item, f in batch if not isinstance(item, _Marker)]
            try:
                if events:
                    self._write_batch(events)
            except Exception:
                log.exception("SynQ's audit writer failed")
            finally:
                for item, future in batch:
                    if isinstance(item, _Marker):
                        future.set_result(None)

    def _write_batch(self, events: list[tuple[Event, Future[Record | None]]]) -> None:
        events = [(e, f) for e, f in events if f.set_running_or_notify_cancel()]
        if not events:
            return
        try:
            records = self._write([event for event, _ in events])
            if len(records) != len(events):
                raise RuntimeError(f"{len(records)} records written for {len(events)} events")
        except Exception as exc:
            if len(events) > 1 and self._alone(exc):
                for event, future in events:
                    self._write_one(event, future)
                return
            log.error("SynQ could not write %d audit events", len(events), exc_info=exc)
            for _, future in events:
                future.set_exception(exc)
            return
        for (_, future), record in zip(events, records, strict=True):
            future.set_result(record)

    def _write_one(self, event: Event, future: Future[Record | None]) -> None:
        try:
            future.set_result(self._write([event])[0])
        except Exception as exc:
            log.error("SynQ could not write an audit event", exc_info=exc)
            future.set_exception(exc)
