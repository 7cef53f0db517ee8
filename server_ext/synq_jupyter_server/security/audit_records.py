"""The audit log's entries: what is appended (``AuditEvent``), what is stored
(``AuditRecord``), and the hash that chains them.

Entry ``n`` stores ``prev_hash`` (entry ``n - 1``'s ``hash``, or 64 zeros for the first) and
``hash``, the SHA-256 of its canonical JSON (every field but ``hash``, keys sorted, no
spaces), so an exported line can be checked on its own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from synq_jupyter_server.db.models import AuditEntry, utcnow
from synq_jupyter_server.jobs.job_view import as_utc

GENESIS = "0" * 64
ANONYMOUS = "anonymous"
SYSTEM_ORG = "system"
"""Where requests nobody authenticated are recorded: no personal org (``personal:...``) is it."""

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


@dataclass(frozen=True)
class AuditEvent:
    """What to append. ``outcome`` is a status code (``"201"``) or, for a threat finding,
    ``"detected"``; ``action`` is ``"POST /synq/api/jobs"`` or a finding's event name such
    as ``"security.brute_force"``; ``details`` must be JSON."""

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
        return cls(**{**fields, "created_at": as_utc(entry.created_at)})

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


def new_record(event: AuditEvent, details: dict[str, Any], seq: int, prev_hash: str) -> AuditRecord:
    unhashed = AuditRecord(
        seq=seq,
        org_id=event.org_id,
        created_at=as_utc(event.created_at or utcnow()),
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


def _clip(value: str, name: str) -> str:
    """``value`` as the column can hold it: no NUL (PostgreSQL refuses it), at most its size."""
    return value.replace("\x00", "")[: _LIMITS[name]]


def _clip_optional(value: str | None, name: str) -> str | None:
    return None if value is None else _clip(value, name)


def plain_json(details: Mapping[str, Any]) -> dict[str, Any]:
    """``details`` as it will read back from the database (lists, not tuples; string keys),
    so the hash taken now matches the one ``verify`` takes later. Raises on non-JSON."""
    plain: dict[str, Any] = json.loads(json.dumps(dict(details), allow_nan=False))
    return plain
