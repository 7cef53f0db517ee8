"""Job kinds and statuses, and which statuses are final."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
JobKind = Literal["sample", "estimate", "sample_batch", "noop"]

STATUSES: tuple[str, ...] = get_args(JobStatus)
KINDS: tuple[str, ...] = get_args(JobKind)
TERMINAL = frozenset({"succeeded", "failed", "cancelled"})
RETRYABLE = frozenset({"failed", "cancelled"})


def personal_org(owner: str) -> str:
    """A user's own organisation: every user has one, and owns it."""
    return f"personal:{owner}"


@dataclass(frozen=True)
class JobScope:
    """Where a caller works with jobs: they see every job of ``org_id``; they change (cancel,
    retry, delete) their own, or any of them when ``admin`` (an organisation admin)."""

    owner: str
    org_id: str
    admin: bool = False

    @classmethod
    def personal(cls, owner: str) -> JobScope:
        """A user in their own organisation, where every job is theirs."""
        return cls(owner, personal_org(owner), admin=True)

    def may_change(self, job_owner: str) -> bool:
        return self.admin or job_owner == self.owner
