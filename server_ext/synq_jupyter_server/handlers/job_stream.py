"""``WS /synq/api/jobs/stream``: every status and progress event of the caller's jobs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import ws_authenticated
from tornado import web, websocket

from synq_jupyter_server.handlers.base import ProblemErrors
from synq_jupyter_server.principal import principal_name
from synq_jupyter_server.schemas.jobs import MAX_EVENT_ID
from synq_jupyter_server.security.refusals import Forbidden

log = logging.getLogger("synq.jobs")
POLL_SECONDS = 1.0
STREAM_FAILED = 1011
"""The close code when the server cannot read the events (the client reconnects with
``after=`` its last event, and misses none)."""
_AFTER = re.compile(r"[0-9]+")


class JobStreamHandler(ProblemErrors, websocket.WebSocketHandler):
    """Sends each event as one JSON text message, in order:
    ``{"id", "job_id", "type": "status"|"progress"|"cancelling"|"deleted", "data",
    "created_at"}``.

    ``?after=N`` replays events with an id above N first (for reconnecting clients);
    without it the stream starts with events that happen after the connection opens.
    Events written by this process arrive at once; those of other processes within a second.
    """

    auth_resource = "synq:jobs"

    async def prepare(self, *, _redirect_to_login: bool = False) -> None:
        # A WebSocket client cannot follow a redirect to the login page: refuse with 403.
        await super().prepare(_redirect_to_login=False)

    async def pre_get(self) -> None:
        try:
            allowed = await ensure_async(
                self.authorizer.is_authorized(self, self.current_user, "read", self.auth_resource)
            )
        except Forbidden as refusal:  # a missing role or scope, said in words
            raise web.HTTPError(refusal.status, refusal.detail) from None
        if not allowed:
            raise web.HTTPError(403)

    @ws_authenticated
    async def get(self, *args: Any, **kwargs: Any) -> None:
        await self.pre_get()
        result = super().get(*args, **kwargs)
        if result is not None:
            await result

    @property
    def _jobs(self) -> Any:
        return self.settings["synq_services"].jobs

    async def open(self, *args: Any, **kwargs: Any) -> None:
        owner = principal_name(self)
        given = self.get_query_arguments("after", strip=False)
        # Digits only, as GET /jobs/{id}/events reads it (int() would also take " 1", "1_0"
        # and other scripts' digits).
        if not given:
            start = await self._jobs.latest_event(owner)
        elif _AFTER.fullmatch(given[0]) and int(given[0]) <= MAX_EVENT_ID:
            start = int(given[0])
        else:
            start = -1
        if start < 0 or len(given) > 1:  # as GET /jobs/{id}/events refuses them
            self.close(code=4400, reason="after must be given once, an integer of at least 0")
            return
        self._pump = asyncio.get_running_loop().create_task(self._send_events(owner, start))

    async def _send_events(self, owner: str, last: int) -> None:
        bus = self._jobs.bus
        with contextlib.suppress(websocket.WebSocketClosedError):
            try:
                while True:
                    seen = bus.generation
                    for event in await self._jobs.events(owner, last):
                        last = event["id"]
                        await self.write_message(json.dumps(event))
                    await bus.wait(POLL_SECONDS, since=seen)
            except Exception:
                # A stream that stops sending while its socket stays open looks live to the
                # client and is not: close it, so the client reconnects and replays.
                log.exception("SynQ job stream of %s failed after event %d", owner, last)
                reason = f"event stream failed; reconnect after={last}"
                self.close(code=STREAM_FAILED, reason=reason)

    def on_message(self, message: str | bytes) -> None:
        """Clients only listen; messages are ignored."""

    def on_close(self) -> None:
        pump = getattr(self, "_pump", None)
        if pump is not None:
            pump.cancel()
