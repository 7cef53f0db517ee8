"""A job as callers see it: a plain snapshot of the row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row

from synq_jupyter_server.db.models import Job


@dataclass(frozen=True)
class JobView:
    """The public fields of a job (the payload stays inside the server)."""

    id: str
    kind: str
    status: str
    owner: str
    org_id: str
    target: str
    priority: int
    attempts: int
    max_retries: int
    tags: list[str]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    progress: float | None
    progress_message: str | None
    provider_job_id: str | None
    cancel_requested: bool
    shots: int | None
    num_circuits: int
    samples_as_it_runs: bool
    """Its shots are counted as it runs (``samples_as_it_runs``), not reserved."""

    @classmethod
    def of(cls, job: Job | Row[Any] | SimpleNamespace) -> JobView:
        """From an ORM row, a Core row with the same columns, or any object with those
        attributes (see ``of_row``)."""
        payload = job.payload or {}
        return cls(
            id=job.id,
            kind=job.kind,
            status=job.status,
            owner=job.owner,
            org_id=job.org_id,
            target=job.target,
            priority=job.priority,
            attempts=job.attempts,
            max_retries=job.max_retries,
            tags=list(job.tags or []),
            created_at=as_utc(job.created_at),
            started_at=as_utc(job.started_at),
            finished_at=as_utc(job.finished_at),
            error=job.error,
            progress=job.progress,
            progress_message=job.progress_message,
            provider_job_id=job.provider_job_id,
            cancel_requested=job.cancel_requested,
            shots=payload.get("shots"),
            num_circuits=circuits_of(payload),
            samples_as_it_runs=samples_as_it_runs(job.kind, payload),
        )

    @classmethod
    def of_row(cls, row: Mapping[str, Any]) -> JobView:
        """From a job row's column values by name (the parameters it was inserted with)."""
        return cls.of(SimpleNamespace(**row))

    @property
    def total_shots(self) -> int:
        """The shots one run of the job takes: per circuit, for every circuit."""
        return (self.shots or 0) * self.num_circuits

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def circuits_of(payload: Mapping[str, Any]) -> int:
    """How many circuits a job's payload runs (a batch's ``sources``, else one)."""
    return len(payload.get("sources") or []) or 1


def total_shots(payload: Mapping[str, Any]) -> int:
    """``JobView.total_shots`` for a payload not yet written."""
    return int(payload.get("shots") or 0) * circuits_of(payload)


def samples_as_it_runs(kind: str, payload: Mapping[str, Any]) -> bool:
    """Whether a job spends shots only its run can count: a VQE on a sampled estimator, a
    QAOA with shots. Its total depends on the optimiser, so the job reports each estimate's
    shots as it runs (``algorithm_jobs``) instead of reserving them up front."""
    spec = payload.get("spec") or {}
    if kind == "vqe":
        return str(spec.get("estimator") or "statevector").strip().lower() != "statevector"
    return kind == "qaoa" and spec.get("shots") is not None


def as_utc(value: datetime | None) -> Any:
    """``value`` in UTC: naive values (SQLite returns them) are UTC already; others are
    converted (a database, or a caller, may give another offset)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)
