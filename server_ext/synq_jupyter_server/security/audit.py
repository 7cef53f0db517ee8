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

import base64
import csv
import functools
import hashlib
import io
import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Literal

from sqlalchemy import Select, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from tornado.web import RequestHandler

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import AuditEntry, AuditHead, utcnow
from synq_jupyter_server.jobs.states import personal_org
from synq_jupyter_server.principal import principal_name, signed_in
from synq_jupyter_server.security.audit_writer import BatchWriter
from synq_jupyter_server.security.key_identity import key_principal

log = logging.getLogger("synq.security")

GENESIS = "0" * 64
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ANONYMOUS = "anonymous"
SYSTEM_ORG = "system"
"""Where requests nobody authenticated are recorded: no personal org (``personal:...``) is it."""

ExportFormat = Literal["jsonl", "csv"]
BreakKind = Literal["edited", "deleted", "broken_link", "head"]
COLUMNS = (
    "seq",
    "org_id",
    "created_at",
    "actor",
    "action",
    "target",
    "outcome",
    "ip",
    "user_agent",
    "details",
    "prev_hash",
    "hash",
)
_LIMITS = {"actor": 255, "action": 255, "target": 1024, "ip": 64, "user_agent": 512, "outcome": 32}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditEvent:
    """What to append. ``outcome`` is a status code (``"201"``) or ``"ok"``, ``"denied"``,
    ``"failed"``; ``action`` is ``"POST /synq/api/jobs"`` or an event name such as
    ``"auth.key_revoked"``; ``details`` must be JSON."""

    org_id: str
    actor: str
    action: str
    outcome: str
    target: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None


@dataclass(frozen=True)
class AuditRecord:
    """An entry of the log as it is stored."""

    seq: int
    org_id: str
    created_at: datetime
    actor: str
    action: str
    target: str | None
    outcome: str
    ip: str | None
    user_agent: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditRecord:
        fields = {name: getattr(entry, name) for name in COLUMNS}
        return cls(**{**fields, "created_at": _utc(entry.created_at)})

    def as_json(self) -> dict[str, Any]:
        """The entry's JSON: with ``hash`` left out, what the hash is taken over."""
        fields = {name: getattr(self, name) for name in COLUMNS}
        fields["created_at"] = self.created_at.isoformat(timespec="microseconds")
        return fields


@dataclass(frozen=True)
class AuditFilter:
    """What a read may filter on; ``None`` means any. ``since`` is inclusive, ``until`` not."""

    actor: str | None = None
    action: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class ChainBreak:
    """The first entry at which the chain fails, and how."""

    seq: int
    kind: BreakKind
    detail: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking one organisation's chain."""

    org_id: str
    checked: int
    head_seq: int
    head_hash: str
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def entry_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 of an entry's canonical JSON; ``fields`` is ``AuditRecord.as_json()`` (its
    ``hash``, if present, is ignored), so an exported JSON line can be checked on its own."""
    canonical = {name: value for name, value in fields.items() if name != "hash"}
    encoded = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


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
        # and the event loop never waits for the database.
        self._writer: BatchWriter[AuditEvent, AuditRecord] = BatchWriter(
            self.append_many, name="synq-audit"
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
        with self.database.session() as session:
            orgs = sorted({event.org_id for event in events})
            heads = {org: self._lock_head(session, org) for org in orgs}
            for event in events:
                head = heads[event.org_id]
                record = _record(event, _plain_json(event.details), head.seq + 1, head.hash)
                head.seq, head.hash = record.seq, record.hash
                records.append(record)
            rows = [{name: getattr(record, name) for name in COLUMNS} for record in records]
            session.execute(insert(AuditEntry), rows)
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
            query = query.where(AuditEntry.seq < _decode(cursor))
        query = query.order_by(AuditEntry.seq.desc()).limit(limit + 1)
        with self.database.session(write=False) as session:
            rows = [AuditRecord.of(entry) for entry in session.scalars(query)]
        page = rows[:limit]
        return page, _encode(page[-1].seq) if len(rows) > limit else None

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

    def _lock_head(self, session: Session, org_id: str) -> AuditHead:
        locked = select(AuditHead).where(AuditHead.org_id == org_id).with_for_update()
        head = session.scalars(locked).one_or_none()
        if head is not None:
            return head
        # A chain's first writers race to create its head; the loser waits on the unique key
        # and then locks the winner's row.
        insert = sqlite_insert if self.database.is_sqlite else postgresql_insert
        session.execute(
            insert(AuditHead)
            .values(org_id=org_id, seq=0, hash=GENESIS)
            .on_conflict_do_nothing(index_elements=["org_id"])
        )
        return session.scalars(locked).one()

    @contextmanager
    def _snapshot(self) -> Iterator[Session]:
        """A read session that sees one moment: the head and the entries agree."""
        with self.database.session(write=False) as session:
            if not self.database.is_sqlite:  # SQLite's read transaction is a snapshot already
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield session


def audit_request(handler: RequestHandler) -> Future[AuditRecord | None] | None:
    """Records a finished POST, PUT, PATCH or DELETE; other methods are ignored.

    Meant for ``SynqHandler.on_finish``: it returns at once (the write happens on the audit
    writer thread) and never raises; a failure is logged instead.
    """
    if handler.request.method not in MUTATING:
        return None
    try:
        audit: AuditService = handler.settings["synq_services"].audit
        return audit.append_later(request_event(handler))
    except Exception:
        log.exception("SynQ could not audit %s %s", handler.request.method, handler.request.path)
        return None


def request_event(handler: RequestHandler) -> AuditEvent:
    """The audit event of a finished request: who, which route, on what, and its status,
    in the chain of the organisation it acted in (the caller's personal one when refused
    before that was known).

    The query string and body are never recorded (either may hold a secret).
    """
    key = key_principal(handler)
    authenticated = signed_in(handler)
    actor = principal_name(handler) if authenticated else ANONYMOUS
    kwargs = handler.path_kwargs or {}
    acting = getattr(handler, "synq_actor", None)  # set once the authorizer let it through
    org_id = acting.org_id if acting else personal_org(actor) if authenticated else SYSTEM_ORG
    return AuditEvent(
        org_id=org_id,
        actor=actor,
        action=f"{handler.request.method} {_route(handler)}",
        target="/".join(kwargs.values()) or None,
        outcome=str(handler.get_status()),
        ip=handler.request.remote_ip,
        user_agent=handler.request.headers.get("User-Agent"),
        details={"api_key": key.key_id} if key else {},
    )


def _route(handler: RequestHandler) -> str:
    """The route's template (``/synq/api/jobs/{job_id}``), so one action names one route."""
    template = _templates().get(type(handler))
    if template is not None:
        return template
    base = str(handler.settings.get("base_url", "/"))
    path = handler.request.path
    return "/" + path[len(base) :] if path.startswith(base) else path


@functools.cache
def _templates() -> dict[type, str]:
    from synq_jupyter_server.routes import API_PREFIX, api_routes  # the routes import us

    return {route.handler: API_PREFIX + route.path for route in api_routes()}


def _record(event: AuditEvent, details: dict[str, Any], seq: int, prev_hash: str) -> AuditRecord:
    unhashed = AuditRecord(
        seq=seq,
        org_id=event.org_id,
        created_at=_utc(event.created_at or utcnow()),
        actor=_clip(event.actor, "actor"),
        action=_clip(event.action, "action"),
        target=_clip_optional(event.target, "target"),
        outcome=_clip(event.outcome, "outcome"),
        ip=_clip_optional(event.ip, "ip"),
        user_agent=_clip_optional(event.user_agent, "user_agent"),
        details=details,
        prev_hash=prev_hash,
        hash="",
    )
    return replace(unhashed, hash=entry_hash(unhashed.as_json()))


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
        query = query.where(AuditEntry.created_at >= _utc(filters.since))
    if filters.until is not None:
        query = query.where(AuditEntry.created_at < _utc(filters.until))
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


def _encode(seq: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([seq]).encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        (seq,) = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, TypeError) as exc:
        raise SynqInputError("the cursor is not one this API returned", field="cursor") from exc
    if not isinstance(seq, int):
        raise SynqInputError("the cursor is not one this API returned", field="cursor")
    return seq


def _utc(value: datetime) -> datetime:
    """``value`` in UTC; naive values (SQLite returns them) are taken as UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _clip(value: str, name: str) -> str:
    """``value`` as the column can hold it: no NUL (PostgreSQL refuses it), at most its size."""
    return value.replace("\x00", "")[: _LIMITS[name]]


def _clip_optional(value: str | None, name: str) -> str | None:
    return None if value is None else _clip(value, name)


def _plain_json(details: Mapping[str, Any]) -> dict[str, Any]:
    """``details`` as it will read back from the database (lists, not tuples; string keys),
    so the hash taken now matches the one ``verify`` takes later. Raises on non-JSON."""
    plain: dict[str, Any] = json.loads(json.dumps(dict(details), allow_nan=False))
    return plain
