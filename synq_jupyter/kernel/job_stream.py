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
    cue to re-read the job, since events may have happened while the stream was down. When
    the stream drops (or cannot be opened), they get one ``{"type": "disconnected"}`` event
    saying why, so that a widget does not go on showing a job as running while nothing can
    tell it otherwise. The connection is retried with exponential back-off.
    """

    def __init__(self, client: SynqClient) -> None:
        self.client = client
        self._listeners: dict[str, list[Listener]] = defaultdict(list)
        self._lock = threading.Lock()
        self._down: dict[str, Any] | None = None
        """The ``disconnected`` event, while the stream is down."""
        self._thread = threading.Thread(target=self._run, name="synq-job-stream", daemon=True)
        self._thread.start()

    def subscribe(self, job_id: str, listener: Listener) -> Callable[[], None]:
        """Calls ``listener`` with each event of ``job_id``; at once if the stream is down."""
        with self._lock:
            self._listeners[job_id].append(listener)
            down = self._down
        if down is not None:
            _tell([listener], down)

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
            reason = "the server closed the connection"
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
                reason = _why(exc)
            if self._down is None:  # once per outage, not on every retry
                self._dispatch_all({"type": "disconnected", "data": {"message": reason}})
            await asyncio.sleep(delay)
            delay = min(delay * 2, 15.0)

    def _dispatch(self, job_id: str, event: dict[str, Any] | None) -> None:
        with self._lock:
            listeners = list(self._listeners.get(job_id, ()))
        _tell(listeners, event)

    def _dispatch_all(self, event: dict[str, Any] | None) -> None:
        """Tells every listener the stream is up (``None``) or down; a listener that
        subscribes meanwhile hears it from ``subscribe``, not twice."""
        with self._lock:
            self._down = event
            listeners = [each for every in self._listeners.values() for each in every]
        _tell(listeners, event)


def _tell(listeners: list[Listener], event: dict[str, Any] | None) -> None:
    for listener in listeners:
        try:
            listener(event)
        except Exception:
            log.exception("SynQ job listener failed")


def _why(exc: Exception) -> str:
    """Why the stream is down, in words (``ConnectionRefusedError`` says the server is not
    running; Tornado's 401/403/404 say it answered but refused)."""
    from tornado.httpclient import HTTPClientError

    if isinstance(exc, HTTPClientError):
        return f"the server refused the event stream ({exc.code} {exc.message})"
    if isinstance(exc, ConnectionRefusedError):
        return "the server is not running (connection refused)"
    return str(exc) or type(exc).__name__


def follower_for(client: SynqClient) -> StreamFollower:
    """The shared follower of ``client``'s server."""
    with _followers_lock:
        if client.url not in _followers:
            _followers[client.url] = StreamFollower(client)
        return _followers[client.url]
