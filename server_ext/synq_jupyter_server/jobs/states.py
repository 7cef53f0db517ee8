"""Job kinds and statuses, and which statuses are final."""

from __future__ import annotations

from typing import Literal, get_args

JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
JobKind = Literal["sample", "estimate", "sample_batch", "noop"]

STATUSES: tuple[str, ...] = get_args(JobStatus)
KINDS: tuple[str, ...] = get_args(JobKind)
TERMINAL = frozenset({"succeeded", "failed", "cancelled"})
RETRYABLE = frozenset({"failed", "cancelled"})


def personal_org(owner: str) -> str:
    """The organisation a user's jobs belong to until organisations arrive."""
    return f"personal:{owner}"
