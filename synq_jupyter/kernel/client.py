"""The kernel's REST client for the SynQ API of the server that started it."""

from __future__ import annotations

import os
from typing import Any

from synq_jupyter.errors import SynqError, SynqInputError

URL_ENV = "SYNQ_API_URL"
TOKEN_ENV = "SYNQ_API_TOKEN"


class ServerUnavailable(SynqError):
    """The kernel cannot reach a SynQ server (not started from one, or it is down)."""


class ApiError(SynqError):
    """The server refused a request; ``status`` and the problem's ``detail`` say why."""

    def __init__(self, status: int, detail: str, problem: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail
        self.problem = problem or {}


class SynqClient:
    """Calls ``{url}jobs``, ``{url}jobs/{id}`` ... with the server's token.

    The server extension puts its API URL and token in the environment before kernels
    start (``SYNQ_API_URL``, ``SYNQ_API_TOKEN``), so kernels find it without configuration.

    Args:
        url: Base URL of the API, ending in ``synq/api/``; default ``$SYNQ_API_URL``.
        token: The server's token; default ``$SYNQ_API_TOKEN``.
        timeout: Seconds per request.
    """

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = 60):
        url = url or os.environ.get(URL_ENV)
        if not url:
            raise ServerUnavailable(
                "this kernel was not started by a Jupyter server with SynQ "
                f"(${URL_ENV} is not set); open the notebook from JupyterLab with SynQ installed"
            )
        self.url = url if url.endswith("/") else url + "/"
        self.token = token if token is not None else os.environ.get(TOKEN_ENV, "")
        self.timeout = timeout

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"} if self.token else {}

    @property
    def stream_url(self) -> str:
        return "ws" + self.url.removeprefix("http") + "jobs/stream"

    def request(self, method: str, path: str, json: Any = None, **params: Any) -> Any:
        import requests

        try:
            response = requests.request(
                method,
                self.url + path,
                json=json,
                params={k: v for k, v in params.items() if v is not None} or None,
                headers=self.headers,
                timeout=self.timeout,
            )
        except requests.ConnectionError as exc:
            raise ServerUnavailable(f"cannot reach the SynQ server at {self.url}: {exc}") from None
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"detail": response.text[:200]}
            detail = str(problem.get("detail", response.reason))
            errors = problem.get("errors") or []
            if response.status_code == 422 and errors:
                raise SynqInputError(detail, field=errors[0].get("field"))
            raise ApiError(response.status_code, detail, problem)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()
