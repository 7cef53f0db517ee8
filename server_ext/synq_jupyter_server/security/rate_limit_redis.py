"""Rate-limit counters in Redis, shared by every server process pointed at it."""

from __future__ import annotations

import logging
import math
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

from synq_jupyter_server.security.rate_limit import Decision

log = logging.getLogger("synq.security")

MAX_CONNECTIONS = 16
"""Connections to Redis per store (per server process)."""
POOL_WAIT_S = 5.0
"""How long a request waits for a free connection before it is let through unlimited."""

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
        """A store on ``redis://host:port/db`` (or ``rediss://``, ``unix://``).

        At most ``MAX_CONNECTIONS`` connections: a burst of requests shares them rather
        than opening a socket each, which on a busy machine took longer to connect than
        the timeout and let the whole burst through unlimited.
        """
        pool = BlockingConnectionPool.from_url(
            url,
            max_connections=MAX_CONNECTIONS,
            timeout=POOL_WAIT_S,
            socket_timeout=timeout_s,
            socket_connect_timeout=timeout_s,
        )
        return cls(Redis(connection_pool=pool))

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
        await self._client.aclose(close_connection_pool=True)  # the pool is ours
