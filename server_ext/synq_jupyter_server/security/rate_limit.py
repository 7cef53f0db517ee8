"""Request rate limits: a fixed window per principal or address, counted in a store."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

NAMESPACE = "synq:rl:"


@dataclass(frozen=True)
class Decision:
    """The outcome of counting one request against a limit.

    Attributes:
        allowed: whether the request is within the limit.
        limit: requests allowed per window.
        remaining: requests left in the current window.
        retry_after: seconds until the window resets; 0 when allowed.
    """

    allowed: bool
    limit: int
    remaining: int
    retry_after: float

    @classmethod
    def of(cls, count: int, limit: int, resets_in: float) -> Decision:
        """The decision for the ``count``-th request of a window ending in ``resets_in`` s."""
        allowed = count <= limit
        return cls(allowed, limit, max(0, limit - count), 0.0 if allowed else max(0.0, resets_in))

    @property
    def retry_after_header(self) -> str:
        """``retry_after`` as an HTTP ``Retry-After`` value: whole seconds, at least 1."""
        return str(max(1, math.ceil(self.retry_after)))


class RateLimitStore(Protocol):
    """Where the counters live: one process's memory, or a server shared by several."""

    async def hit(self, key: str, limit: int, window_s: float) -> Decision:
        """Counts one request under ``key``; a key's window starts at its first request."""
        ...

    async def close(self) -> None: ...


class MemoryStore:
    """Counters in this process: exact, but each server process counts on its own."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[int, float]] = {}  # key -> (count, resets at)
        self._lock = threading.Lock()
        self._sweep_above = 1024

    async def hit(self, key: str, limit: int, window_s: float) -> Decision:
        now = self._clock()
        with self._lock:
            count, resets_at = self._windows.get(key, (0, now))
            if now >= resets_at:
                count, resets_at = 0, now + window_s
            count += 1
            self._windows[key] = (count, resets_at)
            if len(self._windows) > self._sweep_above:
                self._sweep(now)
        return Decision.of(count, limit, resets_at - now)

    def _sweep(self, now: float) -> None:
        # Each anonymous address leaves a key: drop the expired ones, amortized O(1) a hit.
        self._windows = {k: w for k, w in self._windows.items() if w[1] > now}
        self._sweep_above = max(1024, 2 * len(self._windows))

    async def close(self) -> None:
        self._windows.clear()


@dataclass(frozen=True)
class RateLimits:
    """Requests allowed per window; 0 turns a limit off."""

    authenticated: int = 1000
    anonymous: int = 100
    window_s: float = 60.0

    def __post_init__(self) -> None:
        if self.authenticated < 0 or self.anonymous < 0:
            raise ValueError("rate limits cannot be negative (0 turns a limit off)")
        if self.window_s <= 0:
            raise ValueError("the rate-limit window must be positive")

    def describe(self, limit: int) -> str:
        """``"1000 requests per minute"``."""
        per = {1.0: "second", 60.0: "minute", 3600.0: "hour"}.get(self.window_s)
        return f"{limit} requests per {per or f'{self.window_s:g} seconds'}"


class RateLimiter:
    """Counts requests per authenticated principal and per anonymous client address.

    Keys are ``synq:rl:{prefix}user:{name}`` and ``synq:rl:{prefix}ip:{address}``; the
    prefix separates deployments (or tests) sharing one Redis.
    """

    def __init__(self, store: RateLimitStore, limits: RateLimits, prefix: str = "") -> None:
        self.store = store
        self.limits = limits
        self.prefix = prefix

    async def hit_principal(self, name: str) -> Decision:
        return await self._hit(f"user:{name}", self.limits.authenticated)

    async def hit_anonymous(self, address: str) -> Decision:
        return await self._hit(f"ip:{address}", self.limits.anonymous)

    def key(self, suffix: str) -> str:
        return f"{NAMESPACE}{self.prefix}{suffix}"

    async def _hit(self, suffix: str, limit: int) -> Decision:
        if limit == 0:
            return Decision(True, 0, 0, 0.0)
        return await self.store.hit(self.key(suffix), limit, self.limits.window_s)

    async def close(self) -> None:
        await self.store.close()
