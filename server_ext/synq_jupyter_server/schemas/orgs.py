"""Schemas of the organisation routes: organisations, members and roles, plans and quotas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from synq_jupyter.quantum.synq_lang.lowering import MAX_QUBITS
from synq_jupyter_server.schemas.base import DisplayName, Request, Response

Role = Literal["viewer", "member", "admin", "owner"]
Plan = Literal["free", "pro", "enterprise"]


class OrgCreate(Request):
    name: DisplayName = Field(examples=["quantum chemistry lab"])
    require_mfa: bool = Field(default=False, description="Members must turn MFA on.")


class OrgUpdate(Request):
    name: DisplayName | None = None
    require_mfa: bool | None = None


class Org(Response):
    id: str
    name: str
    personal: bool = Field(description="A user's own organisation: one member, its owner.")
    plan: str
    require_mfa: bool
    created_by: str
    created_at: datetime
    role: str | None = Field(description="Your role in it (null: you are not a member).")


class OrgList(Response):
    orgs: list[Org]


class OrgQuery(Request):
    all: Literal["true", "false"] = Field(
        default="false", description="`true`: every organisation (platform admins only)."
    )


class MemberAdd(Request):
    username: DisplayName
    role: Role = "member"


class MemberUpdate(Request):
    role: Role


class Member(Response):
    username: str
    role: str
    added_by: str
    added_at: datetime


class MemberList(Response):
    members: list[Member]


class QuotaLimits(Response):
    concurrent_jobs: int | None = Field(description="Jobs queued or running at once; null: any.")
    shots_per_month: int | None = Field(description="Shots submitted per calendar month (UTC).")
    max_qubits: int | None = Field(description="The widest circuit a job may run.")
    allowed_targets: list[str] = Field(description="Target name patterns, e.g. `aer_*`.")


TargetPattern = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.*?-]+$")]
"""A catalogue name, or a pattern of names with ``*`` and ``?`` (``aer_*``)."""


class QuotaOverrides(Request):
    """Bounded so that every limit fits the database's counters (a 1e30 shot limit cannot
    be bound as an SQLite integer: the first submission failed); null makes a limit
    unlimited."""

    concurrent_jobs: int | None = Field(default=None, ge=0, le=1_000_000)
    shots_per_month: int | None = Field(default=None, ge=0, le=10**15)
    max_qubits: int | None = Field(default=None, ge=1, le=MAX_QUBITS)
    allowed_targets: list[TargetPattern] | None = Field(default=None, min_length=1, max_length=100)


class PlanPut(Request):
    plan: Plan
    overrides: QuotaOverrides = Field(
        default_factory=QuotaOverrides,
        description="Limits that replace the plan's: a field left out keeps the plan's value, "
        "null makes that limit unlimited.",
    )


class Usage(Response):
    shots_this_month: int = Field(description="Counted on plans with a shot quota.")
    active_jobs: int = Field(description="Jobs queued or running now.")


class PlanView(Response):
    org_id: str
    plan: str
    quota: QuotaLimits
    usage: Usage
