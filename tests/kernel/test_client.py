"""The kernel's REST client waits out the server's rate limit instead of failing the cell."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from synq_jupyter.kernel.client import ApiError, SynqClient


class Api:
    """A local server whose next answers are scripted: (status, headers, body)."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, dict[str, str], dict]] = []
        self.requests: list[tuple[str, str, bytes]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                api.requests.append((self.command, self.path, self.rfile.read(length)))
                status, headers, body = api.answers.pop(0)
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/synq/api/"


@pytest.fixture
def api() -> Iterator[Api]:
    api = Api()
    thread = threading.Thread(target=api.server.serve_forever, daemon=True)
    thread.start()
    yield api
    api.server.shutdown()
    api.server.server_close()


def rate_limited(retry_after: str) -> tuple[int, dict[str, str], dict]:
    problem = {"status": 429, "detail": "rate limit exceeded (1000 requests per minute)"}
    return 429, {"Retry-After": retry_after}, problem


def test_a_rate_limited_submit_is_sent_again_after_retry_after(api: Api, capsys) -> None:
    api.answers = [rate_limited("7"), rate_limited("3"), (201, {}, {"id": "j1"})]
    waits: list[float] = []
    client = SynqClient(api.url, token="t", sleep=waits.append)
    assert client.request("POST", "jobs", json={"shots": 10}) == {"id": "j1"}
    assert waits == [7, 3]
    assert [r[2] for r in api.requests] == [b'{"shots": 10}'] * 3
    assert "rate limit is reached; retrying in 7 s" in capsys.readouterr().err


def test_it_gives_up_after_three_tries(api: Api) -> None:
    api.answers = [rate_limited("1")] * 3
    client = SynqClient(api.url, token="t", sleep=lambda _: None)
    with pytest.raises(ApiError) as refused:
        client.request("GET", "jobs")
    assert refused.value.status == 429
    assert len(api.requests) == 3


@pytest.mark.parametrize(
    "answer",
    [
        rate_limited("3600"),  # longer than the client will wait
        (429, {}, {"status": 429, "detail": "2 jobs are queued or running"}),  # a quota
    ],
)
def test_a_long_or_open_ended_refusal_is_raised_at_once(api: Api, answer) -> None:
    api.answers = [answer]
    client = SynqClient(api.url, token="t", sleep=lambda _: pytest.fail("it waited"))
    with pytest.raises(ApiError) as refused:
        client.request("POST", "jobs", json={})
    assert refused.value.status == 429
    assert len(api.requests) == 1
