"""Follows the server's job event stream in a background thread of the kernel."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from synq_jupyter.kernel.client import SynqClient

log = logging.getLogger("synq.kernel")
Listener = Callable[[dict[str, Any] | None], None]
_followers: dict[str, StreamFollower] = {}
_followers_lock = threading.Lock()


class StreamFollower:
    """One WebSocket to ``/synq/api/jobs/stream`` per server, shared by every widget.

    Listeners get each event of their job, and ``None`` after every (re)connection — their
    cue to re-read the job, since events may have happened while the stream was down. The
    connection is retried with exponential back-off.
    """

    def __init__(self, client: SynqClient) -> None:
        self.client = client
        self._listeners: dict[str, list[Listener]] = defaultdict(list)
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="synq-job-stream", daemon=True)
        self._thread.start()

    def subscribe(self, job_id: str, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners[job_id].append(listener)

        def unsubscribe() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._listeners[job_id].remove(listener)

        return unsubscribe

    def _run(self) -> None:
        asyncio.run(self._follow())

    async def _follow(self) -> None:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        delay = 0.5
        while True:
            try:
                request = HTTPRequest(self.client.stream_url, headers=self.client.headers)
                connection = await websocket_connect(request)
                delay = 0.5
                self._dispatch_all(None)
                while (message := await connection.read_message()) is not None:
                    event = json.loads(message)
                    self._dispatch(event["job_id"], event)
            except Exception as exc:  # the server restarted or the network blinked
                log.debug("SynQ job stream dropped: %s", exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 15.0)

    def _dispatch(self, job_id: str, event: dict[str, Any] | None) -> None:
        with self._lock:
            listeners = list(self._listeners.get(job_id, ()))
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("SynQ job listener failed")

    def _dispatch_all(self, event: None) -> None:
        with self._lock:
            job_ids = list(self._listeners)
        for job_id in job_ids:
            self._dispatch(job_id, event)


def follower_for(client: SynqClient) -> StreamFollower:
    """The shared follower of ``client``'s server."""
    with _followers_lock:
        if client.url not in _followers:
            _followers[client.url] = StreamFollower(client)
        return _followers[client.url]
