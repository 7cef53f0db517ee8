"""Rate-limit counters in Redis, shared by every server process pointed at it."""

from __future__ import annotations

import logging
import math
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from synq_jupyter_server.security.rate_limit import Decision

log = logging.getLogger("synq.security")

# One round trip, atomic: the first hit of a window sets its expiry, so the window starts
# at that hit on every process alike. A key left without expiry (never, unless someone
# wrote it by hand) gets one instead of counting forever.
_HIT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""


class RedisStore:
    """Fixed windows in Redis (``INCR`` + ``PEXPIRE`` in one Lua script).

    When Redis cannot be reached the request is let through and a warning logged once per
    outage: losing the limits for a while is better than losing the API.
    """

    def __init__(self, client: Redis) -> None:
        self._client = client
        self._script: Any = client.register_script(_HIT)
        self._failing = False

    @classmethod
    def from_url(cls, url: str, timeout_s: float = 1.0) -> RedisStore:
        """A store on ``redis://host:port/db`` (or ``rediss://``, ``unix://``)."""
        return cls(Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s))

    async def hit(self, key: str, limit: int, window_s: float) -> Decision:
        window_ms = max(1, math.ceil(window_s * 1000))
        try:
            count, ttl_ms = await self._script(keys=[key], args=[window_ms])
        except RedisError as exc:
            if not self._failing:
                log.warning("SynQ rate limits are off until Redis answers again: %s", exc)
            self._failing = True
            return Decision(True, limit, limit, 0.0)
        if self._failing:
            log.warning("SynQ rate limits are back on: Redis answers again")
            self._failing = False
        return Decision.of(int(count), limit, int(ttl_ms) / 1000)

    async def close(self) -> None:
        await self._client.aclose()
