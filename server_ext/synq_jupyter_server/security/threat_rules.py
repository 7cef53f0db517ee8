"""Threat rules: counters over time that the caller's clock drives, each yielding findings.

The rules hold their windows in this process's memory and are not thread-safe on their own
(``ThreatDetector`` serialises them). They never read the clock themselves: every call is
given ``now`` (seconds), so a test moves time by passing a later number.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from synq_jupyter_server.security.threat_locations import Location, LocationTable

Severity = Literal["low", "medium", "high"]
EventKind = Literal[
    "brute_force",
    "new_ip",
    "new_user_agent",
    "impossible_travel",
    "exfiltration",
    "privilege_escalation",
]
SEVERITY_RANK: dict[str, int] = {"low": 1, "medium": 2, "high": 3}
INCIDENT_KINDS: frozenset[str] = frozenset(
    {"brute_force", "impossible_travel", "exfiltration", "privilege_escalation"}
)
"""Kinds that open an incident (or add to the open one); the others are events only."""
ESCALATION_REFUSALS = frozenset({"scope", "role", "own_role", "admin"})
"""``handler.synq_refusal`` values that mean the caller reached beyond its rights."""
ADMIN_RESOURCE = "synq:security"
MIN_TRAVEL_KM = 100.0
"""Neighbouring ranges (a city's providers, a mobile network) are not travel."""


USER = "user:"
IP = "ip:"


def user_subject(name: str) -> str:
    return USER + name


def ip_subject(address: str) -> str:
    return IP + address


@dataclass(frozen=True)
class Finding:
    """Something a rule noticed: a security event, and whether it is incident-worthy."""

    kind: EventKind
    severity: Severity
    subject: str
    summary: str
    at: float
    principal: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def opens_incident(self) -> bool:
        return self.kind in INCIDENT_KINDS


@dataclass(frozen=True)
class Lockout:
    """A subject refused until ``until``: the ``strike``-th lockout, ``seconds`` long."""

    subject: str
    until: float
    seconds: float
    failures: int
    strike: int

    def retry_after(self, now: float) -> int:
        """Whole seconds until the lockout ends, at least 1 (a ``Retry-After`` value)."""
        return max(1, math.ceil(self.until - now))


class BruteForce:
    """More than ``failures`` failed authentications of one subject within ``window``
    seconds lock the subject out: ``lockout`` seconds the first time, doubled at each
    further lockout up to ``lockout_max``.

    A failure after a lockout ended, while the earlier ones are still in the window, locks
    again (doubled). Once a whole window passes without a failure the subject starts afresh.
    """

    def __init__(
        self,
        failures: int = 5,
        window: float = 900.0,
        lockout: float = 60.0,
        lockout_max: float = 3600.0,
    ) -> None:
        if failures < 1 or window <= 0 or lockout <= 0 or lockout_max < lockout:
            raise ValueError("brute force: failures >= 1, window > 0, 0 < lockout <= max")
        self.failures = failures
        self.window = window
        self.lockout = lockout
        self.lockout_max = lockout_max
        self._times: dict[str, deque[float]] = {}
        self._strikes: dict[str, int] = {}
        self._locked: dict[str, Lockout] = {}
        self._sweep_above = 1024

    @property
    def any_locked(self) -> bool:
        return bool(self._locked)

    def locked(self, subject: str, now: float) -> Lockout | None:
        """The subject's lockout, if it is still running."""
        lockout = self._locked.get(subject)
        if lockout is None:
            return None
        if now < lockout.until:
            return lockout
        del self._locked[subject]
        return None

    def fail(self, subject: str, now: float) -> Lockout | None:
        """Counts one failure; returns the lockout it starts, if it starts one."""
        # Only the newest failures + 1 can decide: older ones are never needed.
        times = self._times.setdefault(subject, deque(maxlen=self.failures + 1))
        _drop_before(times, now - self.window)
        if not times:
            self._strikes.pop(subject, None)
        times.append(now)
        if len(self._times) > self._sweep_above:
            # Each guessing address leaves a subject: amortized O(1) a failure.
            self.sweep(now)
            self._sweep_above = max(1024, 2 * len(self._times))
        if len(times) <= self.failures or self.locked(subject, now):
            return None
        strike = self._strikes.get(subject, 0) + 1
        seconds = min(self.lockout * 2 ** (strike - 1), self.lockout_max)
        self._strikes[subject] = strike
        lockout = Lockout(subject, now + seconds, seconds, len(times), strike)
        self._locked[subject] = lockout
        return lockout

    def sweep(self, now: float) -> None:
        """Forgets subjects with no failure in the window and no running lockout."""
        for subject in list(self._times):
            times = self._times[subject]
            _drop_before(times, now - self.window)
            if not times and self.locked(subject, now) is None:
                del self._times[subject]
                self._strikes.pop(subject, None)
        for subject in [s for s, lockout in self._locked.items() if lockout.until <= now]:
            del self._locked[subject]


class Exfiltration:
    """More than ``limit`` bytes sent to one principal within ``window`` seconds.

    Bytes are summed in 60 buckets per window, so the window slides in steps of a sixtieth
    (a minute for an hour): a burst is never missed, and may be counted up to one step
    longer. A crossing empties the principal's window, so the next finding needs another
    ``limit`` bytes.
    """

    BUCKETS = 60

    def __init__(self, limit: int = 1 << 30, window: float = 3600.0) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("exfiltration: the limit and the window must be positive")
        self.limit = limit
        self.window = window
        self._step = window / self.BUCKETS
        self._sent: dict[str, deque[list[float]]] = {}  # principal -> [[bucket start, bytes]]
        self._totals: dict[str, float] = {}

    def sent(self, principal: str, size: int, now: float) -> int | None:
        """Adds ``size`` bytes; returns the window's total when it crosses the limit."""
        buckets = self._sent.setdefault(principal, deque())
        total = self._totals.get(principal, 0.0)
        while buckets and buckets[0][0] + self._step <= now - self.window:
            total -= buckets.popleft()[1]
        start = now - now % self._step
        if buckets and buckets[-1][0] == start:
            buckets[-1][1] += size
        else:
            buckets.append([start, float(size)])
        total += size
        if total <= self.limit:
            self._totals[principal] = total
            return None
        del self._sent[principal]
        self._totals.pop(principal, None)
        return int(total)


class Travel:
    """Two requests of one principal from places further apart than ``max_kmh`` allows in
    the time between them. Only addresses in the location table take part."""

    def __init__(self, table: LocationTable, max_kmh: float = 900.0) -> None:
        if max_kmh <= 0:
            raise ValueError("the travel speed must be positive")
        self.table = table
        self.max_kmh = max_kmh
        self._last: dict[str, tuple[str, float, Location]] = {}  # principal -> (ip, at, where)

    def seen(self, principal: str, address: str, now: float) -> dict[str, Any] | None:
        """Notes a request; returns the evidence when the journey since the previous
        located request is impossible."""
        if not len(self.table):
            return None
        last = self._last.get(principal)
        if last is not None and last[0] == address:
            self._last[principal] = (address, now, last[2])
            return None
        here = self.table.locate(address)
        if here is None:
            return None
        self._last[principal] = (address, now, here)
        if last is None or last[2] == here:
            return None
        km = last[2].km_to(here)
        seconds = max(0.0, now - last[1])
        if km < MIN_TRAVEL_KM or km <= self.max_kmh * seconds / 3600:
            return None
        return {
            "from": {"ip": last[0], "place": last[2].name},
            "to": {"ip": address, "place": here.name},
            "km": round(km, 1),
            "seconds": round(seconds, 3),
            "kmh": round(km * 3600 / seconds) if seconds else None,
            "max_kmh": self.max_kmh,
        }


@dataclass(frozen=True)
class Baseline:
    """What a principal was seen with before: ``first_seen`` is ``None`` for a newcomer."""

    first_seen: float | None
    ips: frozenset[str] = frozenset()
    user_agents: frozenset[str] = frozenset()


def unusual_access(
    baseline: Baseline, ip: str, user_agent: str, now: float, learning: float
) -> list[tuple[EventKind, Severity, str]]:
    """The novelties of a request against its principal's baseline: ``(kind, severity,
    value)``. A newcomer, and anyone within ``learning`` seconds of first being seen, is
    still building the baseline: nothing is unusual yet."""
    if baseline.first_seen is None or now - baseline.first_seen < learning:
        return []
    found: list[tuple[EventKind, Severity, str]] = []
    if ip and ip not in baseline.ips:
        found.append(("new_ip", "medium", ip))
    if user_agent and user_agent not in baseline.user_agents:
        found.append(("new_user_agent", "low", user_agent))
    return found


def escalation(status: int, refusal: str | None, resource: str) -> Severity | None:
    """The severity of a refused request that reached beyond the caller's rights, or
    ``None`` when the request was not such an attempt."""
    if status != 403:
        return None
    if refusal in ("own_role", "admin"):
        return "high"
    if refusal in ESCALATION_REFUSALS:
        return "medium"
    if resource == ADMIN_RESOURCE:
        return "medium"
    return None


def _drop_before(times: deque[float], cutoff: float) -> None:
    while times and times[0] <= cutoff:
        times.popleft()
