"""The kernel's REST client for the SynQ API of the server that started it."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

from synq_jupyter.errors import SynqError, SynqInputError
from synq_jupyter.transport_errors import no_answer, refused

URL_ENV = "SYNQ_API_URL"
TOKEN_ENV = "SYNQ_API_TOKEN"
RATE_LIMIT_TRIES = 3


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
        max_retry_wait: A request refused with 429 and a ``Retry-After`` of at most this
            many seconds (the rate limits' are at most 60, a plan's busy jobs' a few) is
            sent again after that wait, up to three times in all, saying so on stderr; a
            longer wait (a month's shots), or a 429 without one, is raised at once.
        sleep: How to wait (tests pass a fake).
    """

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        timeout: float = 60,
        max_retry_wait: float = 60,
        sleep: Callable[[float], None] = time.sleep,
    ):
        url = url or os.environ.get(URL_ENV)
        if not url:
            raise ServerUnavailable(
                "this kernel was not started by a Jupyter server with SynQ "
                f"(${URL_ENV} is not set); open the notebook from JupyterLab with SynQ installed"
            )
        self.url = url if url.endswith("/") else url + "/"
        self.token = token if token is not None else os.environ.get(TOKEN_ENV, "")
        self.timeout = timeout
        self.max_retry_wait = max_retry_wait
        self._sleep = sleep

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"} if self.token else {}

    @property
    def stream_url(self) -> str:
        return "ws" + self.url.removeprefix("http") + "jobs/stream"

    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        timeout: float | None = None,
        **params: Any,
    ) -> Any:
        """Sends one request and returns its JSON answer.

        Args:
            timeout: Seconds to wait for the answer (this client's ``timeout`` when
                ``None``).

        Raises:
            ServerUnavailable: No answer: the server is down, or did not answer in time.
            SynqInputError: A 422 naming the field.
            ApiError: Any other refusal.
        """
        import requests

        query = {k: v for k, v in params.items() if v is not None} or None
        seconds = self.timeout if timeout is None else timeout
        for attempt in range(1, RATE_LIMIT_TRIES + 1):
            try:
                response = requests.request(
                    method,
                    self.url + path,
                    json=json,
                    params=query,
                    headers=self.headers,
                    timeout=seconds,
                )
            except requests.Timeout:
                raise ServerUnavailable(
                    f"the SynQ server at {self.url} did not answer within {seconds:g} s"
                ) from None
            except requests.ConnectionError as exc:
                hint = " (is JupyterLab still running?)" if refused(exc) else ""
                raise ServerUnavailable(
                    f"cannot reach the SynQ server at {self.url}: {no_answer(exc)}{hint}"
                ) from None
            wait = self._rate_limit_wait(response)
            if wait is None or attempt == RATE_LIMIT_TRIES:
                break
            # A 429 (a rate limit, a plan's jobs all running) refuses a request before it
            # does anything, so sending it again (a POST too) cannot do the work twice.
            print(f"SynQ: {_why_wait(response)}; retrying in {wait:g} s", file=sys.stderr)
            self._sleep(wait)
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                # A page, not SynQ's problem+json: a proxy, or no SynQ at this address.
                hint = f"; is ${URL_ENV} right?" if response.status_code == 404 else ""
                problem = {
                    "detail": f"{response.reason or 'refused'} from {self.url + path}, which "
                    f"did not answer as the SynQ API{hint}"
                }
            detail = problem_message(response.status_code, problem, response.reason)
            errors = problem.get("errors") or []
            fields = [e.get("field") for e in errors if isinstance(e, dict)]
            if response.status_code == 403 and fields in ([], ["Authorization"]):
                # Jupyter's refusal of a request without valid credentials ("Forbidden",
                # "'_xsrf' argument missing"): SynQ's own 403s name what is missing.
                detail = (
                    f"the SynQ server refused this kernel's token (${TOKEN_ENV}); restart "
                    "the kernel from JupyterLab, or set the server's token"
                )
            if response.status_code == 422 and errors:
                raise SynqInputError(detail, field=errors[0].get("field"))
            raise ApiError(response.status_code, detail, problem)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def _rate_limit_wait(self, response: Any) -> float | None:
        """Seconds to wait before sending again, for a 429 that says when; else ``None``."""
        if response.status_code != 429:
            return None
        try:
            wait = float(response.headers.get("Retry-After", ""))
        except ValueError:
            return None
        return wait if 0 <= wait <= self.max_retry_wait else None


def _why_wait(response: Any) -> str:
    """Why a 429 asks to wait, for the line under the cell: a plan's jobs all running say
    how many; anything else is the rate limit."""
    try:
        problem = response.json()
        if problem["errors"][0]["field"] == "concurrent_jobs":
            return str(problem["detail"])
    except (ValueError, LookupError, TypeError):
        pass
    return "the server's rate limit is reached"


def problem_message(status: int, problem: dict[str, Any], reason: str = "") -> str:
    """What a refusal says, in one line.

    A refused input (400, 422) names each invalid field and why, ``"shots: Input should be
    greater than or equal to 1; seed: ..."``, since the ``detail`` of a pydantic refusal
    ("the request has invalid fields") does not say which. A detail that already carries its
    field errors (a circuit's line and column, an unknown target) is kept as it is.
    """
    detail = str(problem.get("detail") or reason)
    if problem.get("correlation_id"):  # what the detail of a 500 asks the user to quote
        return f"{detail}: {problem['correlation_id']}"
    if status not in (400, 422):
        return detail
    errors = [e for e in problem.get("errors") or [] if isinstance(e, dict)]
    if all(str(e.get("message", "")) in detail for e in errors):
        return _with_field(detail, errors)
    return "; ".join(f"{e.get('field', 'body')}: {e.get('message', 'invalid')}" for e in errors)


def _with_field(detail: str, errors: list[dict[str, Any]]) -> str:
    """``detail``, led by the field it is about when it names no field itself and that field
    is not the circuit's (whose message names its line): ``observables[0]: 'XYZ' must be 2
    letters ...`` says which of a list of observables is wrong."""
    if len(errors) != 1:
        return detail
    field = str(errors[0].get("field") or "")
    root = field.split("[", 1)[0].split(".", 1)[0]
    if not root or root in ("source", "sources", "body") or root in detail:
        return detail
    return f"{field}: {detail}"
