"""Schemas of the job routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Discriminator, Field, field_validator, model_validator
from pydantic import Tag as Member

from synq_jupyter_server.schemas.base import (
    QueryCount,
    Request,
    Response,
    UtcDatetime,
    invisible,
)
from synq_jupyter_server.schemas.circuits import MAX_SEED, MAX_SOURCE, CircuitFormat

MAX_SHOTS = 1_000_000
MAX_BATCH = 10_000
MAX_EVENT_ID = 2**31 - 1
"""The largest event id: the column is an INTEGER, 32 bits on PostgreSQL."""


def _searchable(tag: str) -> str:
    # Something to search by with GET /jobs?tag=, which cannot carry control characters
    # (Tornado turns them into spaces).
    if not tag.strip() or invisible(tag):
        raise ValueError(
            "a tag is printable text, not only spaces, without control or formatting characters"
        )
    return tag


Tag = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_searchable)]
Source = Annotated[str, Field(min_length=1, max_length=MAX_SOURCE)]
JobKind = Literal[
    "sample",
    "estimate",
    "sample_batch",
    "vqe",
    "qaoa",
    "qnn_train",
    "qnn_predict",
    "synthesize",
    "cost_estimate",
    "optimize",
    "noop",
]


class PauliSum(Request):
    paulis: list[str] = Field(min_length=1, max_length=1000)
    coeffs: list[float] = Field(min_length=1, max_length=1000)


def _observable_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "str"
    if isinstance(value, dict | PauliSum):
        return "PauliSum"
    return None


Observable = Annotated[
    Annotated[str, Member("str")] | Annotated[PauliSum, Member("PauliSum")],
    # One message for something that is neither, not one per form it is not.
    Discriminator(
        _observable_kind,
        custom_error_type="observable",
        custom_error_message='an observable is a Pauli label ("ZZ") or '
        '{"paulis": [...], "coeffs": [...]}',
    ),
]


class JobSettings(Request):
    """What every submitted job may set, whatever it runs."""

    seed: int | None = Field(
        default=None, ge=0, le=MAX_SEED, description="Drawn (and stored) when null."
    )
    tags: list[Tag] = Field(default=[], max_length=20)
    priority: int = Field(default=0, ge=-10, le=10, description="Higher runs first.")
    max_retries: int = Field(default=2, ge=0, le=5, description="Retries of transient failures.")

    @field_validator("tags")
    @classmethod
    def _once_each(cls, tags: list[str]) -> list[str]:
        return list(dict.fromkeys(tags))


class JobOptions(JobSettings):
    target: str = Field(min_length=1, max_length=64, examples=["aer_simulator"])
    optimization_level: int = Field(default=2, ge=0, le=3)


DEFAULT_SAMPLE_SHOTS = 1024


class JobSubmit(JobOptions):
    kind: Literal["sample", "estimate"]
    source: Source
    format: CircuitFormat | None = None
    shots: int | None = Field(
        default=None,
        ge=1,
        le=MAX_SHOTS,
        description="Sample: default 1024. Estimate: null gives exact values on aer_simulator "
        "and 4096 shots per basis elsewhere.",
    )
    observables: list[Observable] | None = Field(
        default=None, max_length=1000, description="Estimate only: Pauli labels or sums."
    )

    @model_validator(mode="after")
    def _sample_shots(self) -> JobSubmit:
        """A sample job's shots as it will run: an ``Idempotency-Key`` repeated with
        ``"shots": 1024`` written out is the same request as without them."""
        if self.kind == "sample" and self.shots is None:
            self.shots = DEFAULT_SAMPLE_SHOTS
        return self


class BatchSubmit(JobOptions):
    sources: list[Source] = Field(min_length=1, max_length=MAX_BATCH)
    format: CircuitFormat | None = None
    shots: int = Field(default=DEFAULT_SAMPLE_SHOTS, ge=1, le=MAX_SHOTS)


class Job(Response):
    id: str
    owner: str = Field(description="Who submitted it.")
    org_id: str = Field(description="The organisation it runs for.")
    kind: str
    status: Literal["queued", "running", "succeeded", "failed", "cancelled"]
    target: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    max_retries: int
    priority: int
    tags: list[str]
    shots: int | None
    num_circuits: int
    error: str | None = None
    progress: float | None = None
    progress_message: str | None = None
    provider_job_id: str | None = None
    cancel_requested: bool = False


class JobList(Response):
    jobs: list[Job]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class JobQuery(Request):
    model_config = Request.model_config | {"strict": False}

    status: Literal["queued", "running", "succeeded", "failed", "cancelled"] | None = None
    kind: JobKind | None = None
    # An empty value is refused, as an empty status or kind is: it matches no job, and
    # listing every job instead would hide the mistake.
    target: str | None = Field(default=None, min_length=1)
    tag: str | None = Field(default=None, min_length=1)
    since: UtcDatetime | None = Field(default=None, description="Inclusive; UTC when no offset.")
    limit: QueryCount = Field(default=50, ge=1, le=200)
    cursor: str | None = None


class JobResult(Response):
    """A finished job's result: for a sample job ``counts`` and ``shots``; for an estimate
    job ``expectation_values`` and ``standard_errors``; for a batch a list of ``counts``."""

    model_config = Response.model_config | {"extra": "allow"}

    job_id: str
    kind: str


def result_body(job_id: str, kind: str, result: dict[str, Any]) -> JobResult:
    return JobResult.model_validate({**result, "job_id": job_id, "kind": kind})


class JobEvent(Response):
    id: int = Field(description="Increasing; pass the last one as `after` for newer events.")
    job_id: str
    type: str = Field(
        description="`status`, `progress`, `cancelling`; `deleted` (the last, with no data) "
        "when the job was deleted"
    )
    data: dict[str, Any]
    created_at: datetime


class JobEventList(Response):
    events: list[JobEvent]


class EventQuery(Request):
    model_config = Request.model_config | {"strict": False}

    after: QueryCount = Field(default=0, ge=0, le=MAX_EVENT_ID)
    limit: QueryCount = Field(default=500, ge=1, le=5000)
