"""The hash-chained audit log: append, verify, read back and export.

Each organisation has its own chain. Entry ``n`` stores ``prev_hash`` (entry ``n - 1``'s
``hash``, or 64 zeros for the first) and ``hash``, the SHA-256 of its canonical JSON (every
field but ``hash``, keys sorted, no spaces). An edited entry no longer matches its hash, a
deleted one leaves a gap in ``seq``, and ``audit_heads`` (updated with every append) names the
newest entry, so deleting the newest entries shows too. The chain detects changes made
without going through the log; someone able to rewrite the whole database consistently is
caught only by comparing ``verify``'s head with one recorded elsewhere.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any, Literal

from sqlalchemy import Connection, Select, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import AuditEntry, AuditHead
from synq_jupyter_server.jobs.job_view import as_utc
from synq_jupyter_server.page_cursor import decode_cursor, encode_cursor
from synq_jupyter_server.security.audit_records import (
    COLUMNS,
    GENESIS,
    AuditEvent,
    AuditFilter,
    AuditRecord,
    ChainBreak,
    ChainReport,
    entry_hash,
    new_record,
    plain_json,
)
from synq_jupyter_server.security.audit_writer import BatchWriter

ExportFormat = Literal["jsonl", "csv"]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


class AuditService:
    """The audit log in the database. Reads and verification are per organisation.

    Appends to one chain are serialised: on SQLite the writing session's ``BEGIN IMMEDIATE``
    holds the database's write lock; on PostgreSQL the chain's ``audit_heads`` row is taken
    ``FOR UPDATE`` first, so a second writer waits for the first to commit and then reads the
    new head. The primary key ``(org_id, seq)`` makes a fork impossible even so.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        # One writer thread: requests are recorded in the order they finished, in batches,
        # and the event loop never waits for the database. A batch is retried event by
        # event unless the database itself failed (each retry would wait for it again).
        self._writer: BatchWriter[AuditEvent, AuditRecord] = BatchWriter(
            self.append_many,
            name="synq-audit",
            alone=lambda error: not isinstance(error, OperationalError),
        )

    def append(self, event: AuditEvent) -> AuditRecord:
        """Appends ``event`` to its organisation's chain and returns the stored entry."""
        return self.append_many([event])[0]

    def append_many(self, events: Sequence[AuditEvent]) -> list[AuditRecord]:
        """Appends ``events``, in order, in one transaction; returns the stored entries.

        Each chain's head is locked once, and the heads in name order, so two writers
        never wait for each other's heads in a cycle.
        """
        records: list[AuditRecord] = []
        with self.database.transaction() as connection:
            orgs = sorted({event.org_id for event in events})
            heads = {org: self._lock_head(connection, org) for org in orgs}
            for event in events:
                seq, last_hash = heads[event.org_id]
                record = new_record(event, plain_json(event.details), seq + 1, last_hash)
                heads[event.org_id] = (record.seq, record.hash)
                records.append(record)
            rows = [{name: getattr(record, name) for name in COLUMNS} for record in records]
            connection.execute(insert(AuditEntry), rows)
            for org, (seq, last_hash) in heads.items():
                moved = update(AuditHead).where(AuditHead.org_id == org)
                connection.execute(moved.values(seq=seq, hash=last_hash))
        return records

    def append_later(self, event: AuditEvent) -> Future[AuditRecord | None]:
        """Queues ``event`` for the writer thread and returns at once; failures are logged."""
        return self._writer.submit(event)

    def flush(self) -> None:
        """Waits until every event queued so far is written. Reads call it first, so they
        see every request that finished before them."""
        self._writer.flush()

    def close(self) -> None:
        """Writes what is queued, then stops the writer thread."""
        self._writer.close()

    def verify(self, org_id: str) -> ChainReport:
        """Walks the chain from its first entry and reports the first break, if any."""
        self.flush()
        with self._snapshot() as session:
            head = session.get(AuditHead, org_id)
            entries = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.org_id == org_id)
                .order_by(AuditEntry.seq)
                .execution_options(yield_per=500)
            )
            checked, broken = _first_break((AuditRecord.of(e) for e in entries), head)
        head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
        return ChainReport(org_id, checked, head_seq, head_hash, broken)

    def query(
        self, org_id: str, filters: AuditFilter, cursor: str | None, limit: int
    ) -> tuple[list[AuditRecord], str | None]:
        """A page of entries, newest first, and the cursor of the next page (or ``None``)."""
        self.flush()
        query = _filtered(org_id, filters)
        if cursor:
            (before,) = decode_cursor(cursor, "audit", int)
            query = query.where(AuditEntry.seq < before)
        query = query.order_by(AuditEntry.seq.desc()).limit(limit + 1)
        with self.database.session(write=False) as session:
            rows = [AuditRecord.of(entry) for entry in session.scalars(query)]
        page = rows[:limit]
        return page, encode_cursor("audit", page[-1].seq) if len(rows) > limit else None

    def export(
        self, org_id: str, filters: AuditFilter, fmt: ExportFormat, page_size: int = 1000
    ) -> Iterator[str]:
        """Every matching entry, oldest first, as JSON lines or CSV: one chunk per page.

        Each page is read in its own short session, so a slow download holds no transaction.
        """
        self.flush()
        if fmt == "csv":
            yield _csv_line(COLUMNS)
        encode = _csv_entry if fmt == "csv" else _json_line
        after = 0
        while True:
            query = _filtered(org_id, filters).where(AuditEntry.seq > after)
            query = query.order_by(AuditEntry.seq).limit(page_size)
            with self.database.session(write=False) as session:
                page = [AuditRecord.of(entry) for entry in session.scalars(query)]
            if not page:
                return
            yield "".join(encode(record) for record in page)
            after = page[-1].seq

    def _lock_head(self, connection: Connection, org_id: str) -> tuple[int, str]:
        """The chain's head (``seq``, ``hash``), locked until the transaction ends."""
        locked = (
            select(AuditHead.seq, AuditHead.hash)
            .where(AuditHead.org_id == org_id)
            .with_for_update()
        )
        head = connection.execute(locked).one_or_none()
        if head is None:
            # A chain's first writers race to create its head; the loser waits on the unique
            # key and then locks the winner's row.
            insert = sqlite_insert if self.database.is_sqlite else postgresql_insert
            connection.execute(
                insert(AuditHead)
                .values(org_id=org_id, seq=0, hash=GENESIS)
                .on_conflict_do_nothing(index_elements=["org_id"])
            )
            head = connection.execute(locked).one()
        return int(head.seq), str(head.hash)

    @contextmanager
    def _snapshot(self) -> Iterator[Session]:
        """A read session that sees one moment: the head and the entries agree."""
        with self.database.session(write=False) as session:
            if not self.database.is_sqlite:  # SQLite's read transaction is a snapshot already
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield session


def _first_break(
    records: Iterable[AuditRecord], head: AuditHead | None
) -> tuple[int, ChainBreak | None]:
    checked, seq, last_hash = 0, 0, GENESIS
    for record in records:
        checked += 1
        if record.seq != seq + 1:
            return checked, _missing(seq + 1, record.seq - 1)
        if record.hash != entry_hash(record.as_json()):
            return checked, ChainBreak(record.seq, "edited", f"entry {record.seq} was edited")
        if record.prev_hash != last_hash:
            detail = f"entry {record.seq} does not follow entry {seq}: one of them was rewritten"
            return checked, ChainBreak(record.seq, "broken_link", detail)
        seq, last_hash = record.seq, record.hash
    if head is None:
        broken = ChainBreak(1, "head", "the chain's head is missing") if checked else None
        return checked, broken
    if head.seq > seq:
        return checked, _missing(seq + 1, head.seq)
    if head.seq < seq:
        detail = f"entries after {head.seq} were not written through the audit log"
        return checked, ChainBreak(head.seq + 1, "head", detail)
    if head.hash != last_hash:
        return checked, ChainBreak(seq, "edited", f"entry {seq} was rewritten")
    return checked, None


def _missing(first: int, last: int) -> ChainBreak:
    what = f"entry {first} is" if first == last else f"entries {first} to {last} are"
    return ChainBreak(first, "deleted", f"{what} missing")


def _filtered(org_id: str, filters: AuditFilter) -> Select[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.org_id == org_id)
    if filters.actor is not None:
        query = query.where(AuditEntry.actor == filters.actor)
    if filters.action is not None:
        query = query.where(AuditEntry.action == filters.action)
    if filters.outcome is not None:
        query = query.where(AuditEntry.outcome == filters.outcome)
    if filters.since is not None:
        query = query.where(AuditEntry.created_at >= as_utc(filters.since))
    if filters.until is not None:
        query = query.where(AuditEntry.created_at < as_utc(filters.until))
    return query


def _json_line(record: AuditRecord) -> str:
    return json.dumps(record.as_json(), ensure_ascii=False, separators=(",", ":")) + "\n"


def _csv_entry(record: AuditRecord) -> str:
    fields = record.as_json()
    fields["details"] = json.dumps(record.details, sort_keys=True, separators=(",", ":"))
    return _csv_line(fields[name] for name in COLUMNS)


def _csv_line(values: Iterable[Any]) -> str:
    """One CSV row. A text cell starting like a formula gets a leading ``'``: the user agent
    is whatever a client sent, and a spreadsheet would run it."""
    out = io.StringIO()
    cells = ["" if v is None else str(v) for v in values]
    csv.writer(out).writerow(["'" + c if c.startswith(_FORMULA) else c for c in cells])
    return out.getvalue()
