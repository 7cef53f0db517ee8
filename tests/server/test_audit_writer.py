"""The audit writer: queued events go to the database in batches, in order, and a bad event
costs only itself."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from synq_jupyter_server.security.audit_writer import BatchWriter


class Log:
    """A store that records each write (one transaction) and can be held shut."""

    def __init__(self) -> None:
        self.writes: list[list[int]] = []
        self.gate = threading.Event()
        self.gate.set()

    def write(self, events: Sequence[int]) -> list[str]:
        self.gate.wait()
        if any(e < 0 for e in events):
            raise ValueError("negative event")
        self.writes.append(list(events))
        return [f"record {e}" for e in events]


def test_events_queued_during_a_write_go_together_in_the_next() -> None:
    log = Log()
    writer: BatchWriter[int, str] = BatchWriter(log.write, name="test-audit")
    log.gate.clear()  # the first write blocks, as a slow transaction would
    first = writer.submit(0)
    later = [writer.submit(i) for i in range(1, 101)]
    log.gate.set()
    writer.flush()
    assert first.result() == "record 0"
    assert [f.result() for f in later] == [f"record {i}" for i in range(1, 101)]
    assert [e for batch in log.writes for e in batch] == list(range(101))  # in order
    assert len(log.writes) <= 3  # not 101 transactions
    writer.close()


def test_a_bad_event_fails_alone() -> None:
    log = Log()
    writer: BatchWriter[int, str] = BatchWriter(log.write, name="test-audit")
    log.gate.clear()
    futures = [writer.submit(e) for e in (1, -1, 2)]
    log.gate.set()
    writer.flush()
    assert futures[0].result() == "record 1"
    assert futures[2].result() == "record 2"
    with pytest.raises(ValueError, match="negative"):
        futures[1].result()
    writer.close()


def test_close_writes_what_is_queued() -> None:
    log = Log()
    writer: BatchWriter[int, str] = BatchWriter(log.write, name="test-audit")
    futures = [writer.submit(i) for i in range(10)]
    writer.close()
    assert all(f.done() for f in futures)
    assert sorted(e for batch in log.writes for e in batch) == list(range(10))


def test_a_cancelled_event_is_skipped_and_the_writer_goes_on() -> None:
    log = Log()
    writer: BatchWriter[int, str] = BatchWriter(log.write, name="test-audit")
    log.gate.clear()
    writer.submit(0)  # holds the thread in a write
    cancelled = writer.submit(1)
    assert cancelled.cancel()
    later = writer.submit(2)
    log.gate.set()
    writer.flush()
    assert later.result() == "record 2"
    assert [e for batch in log.writes for e in batch] == [0, 2]
    writer.close()


def test_a_database_error_fails_the_batch_once_instead_of_event_by_event() -> None:
    calls: list[list[int]] = []
    gate = threading.Event()

    def down(events: Sequence[int]) -> list[str]:
        gate.wait()
        calls.append(list(events))
        raise ConnectionError("the database is away")

    writer: BatchWriter[int, str] = BatchWriter(
        down, name="test-audit", alone=lambda error: not isinstance(error, ConnectionError)
    )
    futures = [writer.submit(i) for i in range(50)]
    gate.set()
    writer.flush()
    assert all(isinstance(f.exception(), ConnectionError) for f in futures)
    assert len(calls) <= 2  # one per batch, never one per event
    writer.close()


def test_events_after_close_are_still_written() -> None:
    log = Log()
    writer: BatchWriter[int, str] = BatchWriter(log.write, name="test-audit")
    writer.close()
    assert writer.submit(7).result(timeout=5) == "record 7"
    writer.flush()  # returns at once
    assert log.writes == [[7]]
