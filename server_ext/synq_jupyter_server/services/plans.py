"""Plans and the quotas they set: concurrent jobs, shots a month, qubits, targets."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, fields, replace
from typing import Any, Literal, get_args

PlanName = Literal["free", "pro", "enterprise"]
PLAN_NAMES: tuple[str, ...] = get_args(PlanName)


@dataclass(frozen=True)
class Quota:
    """An organisation's limits; ``None`` means unlimited.

    ``allowed_targets`` are shell-style patterns over target names (``aer_*``).
    """

    concurrent_jobs: int | None
    shots_per_month: int | None
    max_qubits: int | None
    allowed_targets: tuple[str, ...]

    def allows_target(self, target: str) -> bool:
        return any(fnmatch.fnmatchcase(target, pattern) for pattern in self.allowed_targets)

    def with_overrides(self, overrides: dict[str, Any]) -> Quota:
        """This quota with single limits replaced (unknown names are ignored); ``None``
        makes a limit unlimited, for the targets too (every target)."""
        known = {f.name for f in fields(self)}
        changes = {k: v for k, v in overrides.items() if k in known}
        if "allowed_targets" in changes:
            changes["allowed_targets"] = tuple(changes["allowed_targets"] or ("*",))
        return replace(self, **changes)


PLANS: dict[str, Quota] = {
    "free": Quota(
        concurrent_jobs=2,
        shots_per_month=1_000_000,
        max_qubits=30,
        allowed_targets=("aer_*",),
    ),
    "pro": Quota(
        concurrent_jobs=10,
        shots_per_month=50_000_000,
        max_qubits=133,
        allowed_targets=("*",),
    ),
    "enterprise": Quota(
        concurrent_jobs=None,
        shots_per_month=None,
        max_qubits=None,
        allowed_targets=("*",),
    ),
}
"""Free runs on the simulators only; pro adds every hardware target; enterprise is unmetered."""


def quota_of(plan: str, overrides: dict[str, Any] | None = None) -> Quota:
    return PLANS[plan].with_overrides(overrides or {})
