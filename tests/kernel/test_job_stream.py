"""The kernel's job event stream says when it loses the server, once per outage."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from tornado import web, websocket

from synq_jupyter.kernel.client import SynqClient
from synq_jupyter.kernel.job_stream import StreamFollower
from tests.fixtures.server_process import free_port

JOB_ID = "5ef9a63ee3914a68973bb28f2afacf37"


class DropsFirstConnection(websocket.WebSocketHandler):
    """Closes the first stream at once, as a restarting server would; keeps the next."""

    opened = 0

    def open(self, *args: str, **kwargs: str) -> None:
        DropsFirstConnection.opened += 1
        if DropsFirstConnection.opened == 1:
            self.close()


@pytest.fixture
def stream_server() -> Iterator[int]:
    port = free_port()
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        app = web.Application([(r"/synq/api/jobs/stream", DropsFirstConnection)])
        app.listen(port, address="127.0.0.1")
        started.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    started.wait(10)
    yield port
    loop.call_soon_threadsafe(loop.stop)


def client(port: int) -> SynqClient:
    return SynqClient(f"http://127.0.0.1:{port}/synq/api/", token="")


def events_within(seconds: float, events: list[Any], count: int) -> list[Any]:
    deadline = time.monotonic() + seconds
    while len(events) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return events


def test_no_server_is_announced_once_however_often_the_stream_retries() -> None:
    events: list[Any] = []
    follower = StreamFollower(client(free_port()))  # nothing listens there
    follower.subscribe(JOB_ID, events.append)
    time.sleep(2.0)  # three attempts: at once, after 0.5 s and after 1 s more
    (event,) = events
    assert event["type"] == "disconnected"
    assert "not running" in event["data"]["message"]


def test_a_dropped_stream_is_announced_and_the_job_reread_when_it_is_back(
    stream_server: int,
) -> None:
    DropsFirstConnection.opened = 0
    events: list[Any] = []
    follower = StreamFollower(client(stream_server))
    follower.subscribe(JOB_ID, events.append)
    seen = events_within(10, events, 3)
    # Connected (re-read), dropped (say so), connected again (re-read).
    assert [e if e is None else e["type"] for e in seen] == [None, "disconnected", None]
    assert seen[1]["data"]["message"] == "the server closed the connection"
