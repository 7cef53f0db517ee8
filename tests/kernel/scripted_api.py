"""A local stand-in for the SynQ API whose answers a test scripts."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Api:
    """A local server whose next answers are scripted: (status, headers, body), a body
    being JSON, or a page when it is a string."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, dict[str, str], dict | str]] = []
        self.requests: list[tuple[str, str, bytes]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                api.requests.append((self.command, self.path, self.rfile.read(length)))
                status, headers, body = api.answers.pop(0)
                page = isinstance(body, str)
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                kind = "text/html" if page else "application/json"
                self.send_response(status)
                for name, value in {"Content-Type": kind, **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/synq/api/"
