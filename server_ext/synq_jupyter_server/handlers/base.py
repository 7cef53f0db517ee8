"""The base handler: authentication, request parsing, problem+json errors."""

from __future__ import annotations

import json
import re
import uuid
from asyncio import Future
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from pydantic import BaseModel, ValidationError
from tornado import web

from synq_jupyter.errors import SynqInputError, TargetError
from synq_jupyter_server.executor import ExecutorUnavailable
from synq_jupyter_server.jobs.idempotency import HEADER as IDEMPOTENCY_HEADER
from synq_jupyter_server.jobs.idempotency import Idempotency
from synq_jupyter_server.jobs.queue import JobConflict, NotFound
from synq_jupyter_server.jobs.states import JobScope
from synq_jupyter_server.principal import principal_name, signed_in
from synq_jupyter_server.schemas.base import EmptyBody, FieldError, Problem, Request
from synq_jupyter_server.security.audit_hook import MUTATING, audit_request
from synq_jupyter_server.security.refusals import Forbidden
from synq_jupyter_server.security.threat_rules import IP, Lockout

if TYPE_CHECKING:
    from synq_jupyter_server.security.authorizer import Actor
    from synq_jupyter_server.security.rate_limit import RateLimiter
    from synq_jupyter_server.services import Services

M = TypeVar("M", bound=BaseModel)
PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/synq/api"
"""Where the SynQ API's routes live, under the server's base URL."""
JUPYTER_QUERY = frozenset({"token", "_xsrf", "no_track_activity"})
"""Query parameters Jupyter itself reads (the server token, the XSRF token, whether a call
counts as activity): allowed on every route, never one of SynQ's."""


@dataclass(frozen=True)
class Operation:
    """What one HTTP method of a route does, for the OpenAPI spec."""

    summary: str
    response: type[BaseModel] | None = None
    request: type[BaseModel] | None = None
    status: int = 200
    media_type: str = "application/json"
    errors: tuple[int, ...] = (401, 403)
    description: str = ""
    tags: tuple[str, ...] = field(default=())
    query: type[BaseModel] | None = None
    """The model ``parse_query`` reads the query string with."""
    body_optional: bool = False
    """No body is ``request()`` (the handler reads it with ``parse_optional_body``)."""
    idempotent: bool = False
    """Takes an ``Idempotency-Key`` header (a repeat answers 200 with the first job)."""
    totp_header: bool = False
    """Takes a current MFA code in ``X-Synq-TOTP`` (once MFA is on for the account)."""
    downloads: tuple[str, ...] = ()
    """Other media types the success answer may have (an export), beside ``media_type``."""


class RequestError(Exception):
    """A request that cannot be served as sent: becomes a problem+json response."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}


class SynqHandler(APIHandler):
    """Base of every SynQ API handler.

    Subclasses decorate each verb with ``@web.authenticated`` and ``@authorized``, describe
    it in ``operations`` (which builds the OpenAPI spec), validate the body with
    ``parse_body`` and write the answer with ``write_model``.
    """

    auth_resource = "synq"
    operations: ClassVar[dict[str, Operation]] = {}
    synq_refusal: str | None = None
    """Why the request was refused (``scope``, ``role``, ``own_role``, ``admin`` ...), for
    threat detection: attempts beyond the caller's rights count as privilege escalation."""
    synq_sent = 0
    synq_audit_org: str | None = None
    """The organisation a request the authorizer refused is audited in (see ``audit_hook``)."""

    async def prepare(self) -> None:  # type: ignore[override]  # as APIHandler's
        """Authenticates (Jupyter's way, or with a SynQ API key) and counts the request
        against the rate limits. Roles and key scopes are the SynQ authorizer's (in
        ``@authorized``): a refusal there is a 403 naming what is missing.

        A refused authentication is counted too (against the client's address), so
        guessing tokens or keys runs into the anonymous limit and its 429. An address or
        principal locked out by threat detection is refused first, before its credentials
        are even looked at, so during a lockout the right key is refused too.
        """
        threats = self.services.threats
        self._refuse_locked_out(threats.lockout(self))
        try:
            await super().prepare()
        except web.HTTPError:
            await self._limit_rate()
            raise
        if threats.detector.brute_force.any_locked and signed_in(self):
            self._refuse_locked_out(threats.lockout(self, principal_name(self)))
        await self._limit_rate()
        self._refuse_query_without_model()
        self._refuse_body_without_model()

    def _refuse_query_without_model(self) -> None:
        """A method that reads no query parameters refuses any it is sent, naming them, as
        one with a query model refuses names it does not know: ``jobs/ID?fields=counts``
        would otherwise answer with the whole job as if the filter had worked."""
        operation = self.operations.get((self.request.method or "").lower())
        if operation is None or operation.query is not None:
            return
        unknown = [
            FieldError(field=name, message="unknown parameter; this route takes none")
            for name in self._query_arguments()
        ]
        if unknown:
            raise RequestError(422, "this route takes no query parameters", unknown)

    def _refuse_body_without_model(self) -> None:
        """A method that reads no body refuses fields it is sent, naming them, as one with a
        body model refuses fields it does not know: ``jobs/ID/retry {"shots": 2000}`` would
        otherwise retry with the old shots as if the new ones had been taken. No body, white
        space or ``{}`` (what JupyterLab's requests send) is no field."""
        method = self.request.method or ""
        operation = self.operations.get(method.lower())
        if operation is not None and operation.request is None and method in MUTATING:
            self.parse_optional_body(EmptyBody)

    def _query_arguments(self) -> dict[str, str]:
        """The query string's SynQ parameters, values as sent: Jupyter's own and a bare
        number (``?1795713824757``, JupyterLab's cache-buster on every GET) left out."""
        return {
            k: self.get_query_argument(k, strip=False)
            for k in self.request.query_arguments
            if k not in JUPYTER_QUERY and not (k.isdigit() and not self.get_query_argument(k))
        }

    def check_xsrf_cookie(self) -> None:
        """Jupyter's XSRF check, which runs before its sign-in check: a write from nobody
        signed in (no credentials, a wrong token) is refused as the same read is, naming
        the missing credentials rather than the ``_xsrf`` argument a script never needs."""
        try:
            super().check_xsrf_cookie()
        except web.HTTPError as refusal:
            # A signed-in browser session is told about _xsrf: that is what it lacks.
            if refusal.status_code != 403 or signed_in(self):
                raise
            raise web.HTTPError(403) from None

    def _refuse_locked_out(self, lockout: Lockout | None) -> None:
        """A 429 naming the lockout, with ``Retry-After``, while one is running."""
        if lockout is None:
            return
        retry = str(lockout.retry_after(self.services.threats.clock()))
        who = "this address" if lockout.subject.startswith(IP) else "this account"
        message = f"{who} is locked out after repeated failed authentications"
        raise RequestError(
            429,
            f"{message}; retry in {retry} s",
            [FieldError(field="lockout", message=message)],
            headers={"Retry-After": retry},
        )

    async def _limit_rate(self) -> None:
        """Counts this request per principal (an API key counts for its owner, so minting
        keys does not multiply the limit), or per client address when nobody signed in;
        past the limit, a 429 with ``Retry-After``."""
        limiter: RateLimiter | None = self.settings.get("synq_rate_limiter")
        if limiter is None:
            return
        if signed_in(self):
            decision = await limiter.hit_principal(principal_name(self))
        else:
            decision = await limiter.hit_anonymous(self.request.remote_ip or "unknown")
        if decision.allowed:
            return
        limit = limiter.limits.describe(decision.limit)
        retry = decision.retry_after_header
        raise RequestError(
            429,
            f"rate limit exceeded ({limit}); retry in {retry} s",
            [FieldError(field="rate_limit", message=limit)],
            headers={"Retry-After": retry},
        )

    @property
    def services(self) -> Services:
        services: Services = self.settings["synq_services"]
        return services

    @property
    def username(self) -> str:
        """The owner this request acts for (see ``principal_name``)."""
        return principal_name(self)

    @property
    def actor(self) -> Actor:
        """Who acts, in which organisation and role: set by the SynQ authorizer, so only
        inside ``@authorized`` methods."""
        actor: Actor = self.synq_actor  # type: ignore[attr-defined]
        return actor

    @property
    def job_scope(self) -> JobScope:
        """The jobs this request may see (its organisation's) and change (its own, or all
        of them for an organisation admin)."""
        actor = self.actor
        return JobScope(actor.user, actor.org_id, admin=actor.is_org_admin)

    def idempotency(self, body: BaseModel) -> Idempotency | None:
        """The request's ``Idempotency-Key`` with the fingerprint of its route, organisation
        and ``body``."""
        key = self.request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:  # most submissions: nothing to fingerprint
            return None
        route = f"{self.job_scope.org_id} {self.request.path}"
        return Idempotency.of(key, route, body.model_dump(mode="json"))

    def parse_body(self, model: type[M]) -> M:
        """Validates the JSON body against ``model``; bad input becomes a 400 or 422."""
        body = self.request.body or b""
        if not body.strip():
            raise RequestError(400, "the request needs a JSON body", [_body_error("missing")])
        try:
            parsed = model.model_validate_json(body)
        except ValidationError as exc:
            errors = [_field_error(e) for e in exc.errors()]
            if any(e["type"] == "json_invalid" for e in exc.errors()):
                raise _not_json(errors) from None
            raise RequestError(422, "the request has invalid fields", errors) from None
        _refuse_repeated_keys(body)
        return parsed

    def parse_optional_body(self, model: type[M]) -> M:
        """``parse_body`` for a route whose fields are all optional: no body (or only white
        space) is ``model()``."""
        return self.parse_body(model) if (self.request.body or b"").strip() else model()

    def parse_query(self, model: type[M]) -> M:
        """Validates the query string against ``model``; bad values become a 422.

        Jupyter's own parameters (``?token=``) and JupyterLab's cache-buster are left out
        (``_query_arguments``); any other unknown name is refused, and so is a name given
        more than once (rather than silently keeping one of its values).
        """
        # Values as sent: a trimmed value would silently become another (a tag " " the
        # empty filter, "a " the name "a").
        args = self._query_arguments()
        repeated = [
            FieldError(field=k, message=f"given {n} times; give it once")
            for k in args
            if (n := len(self.request.query_arguments[k])) > 1
        ]
        if repeated:
            raise RequestError(422, "the query has invalid parameters", repeated)
        try:
            return model.model_validate(args)
        except ValidationError as exc:
            errors = [_field_error(e) for e in exc.errors()]
            raise RequestError(422, "the query has invalid parameters", errors) from None

    def decode_argument(self, value: bytes, name: str | None = None) -> str:
        """A path part or query value as text; one that is not UTF-8 is a 400 naming it,
        not Tornado's bare one."""
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            field = name or "path"
            message = "not valid UTF-8 (percent-encode UTF-8 bytes)"
            errors = [FieldError(field=field, message=message)]
            raise RequestError(400, f"{field} is {message}", errors) from None

    def write_model(self, model: BaseModel, status: int = 200) -> None:
        self.set_status(status)
        self.finish(model.model_dump_json())

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, RequestError | SynqInputError | NotFound | JobConflict | Forbidden):
            self.log.info("SynQ request refused: %s", value)
            return
        super().log_exception(typ, value, tb)

    def flush(self, include_footers: bool = False) -> Future[None]:
        # Counts the body bytes sent, streamed ones too, for the exfiltration rule.
        self.synq_sent += sum(len(chunk) for chunk in self._write_buffer)
        return super().flush(include_footers)

    def on_finish(self) -> None:
        """Every POST, PUT, PATCH and DELETE lands in the audit log, refused ones too; every
        request is shown to threat detection. Neither waits for the database."""
        audit_request(self)
        self.services.threats.observe(self)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Writes every error as RFC 9457 problem+json, never with a traceback."""
        exc = kwargs.get("exc_info", (None, None, None))[1]
        problem = self._problem(status_code, exc)
        if isinstance(exc, RequestError):
            for name, value in exc.headers.items():
                self.set_header(name, value)
        if isinstance(exc, Forbidden) and exc.retry_after is not None:
            self.set_header("Retry-After", str(exc.retry_after))
        self.set_status(problem.status)
        self.finish(problem.model_dump_json(exclude_none=True), set_content_type=PROBLEM_JSON)

    def _problem(self, status: int, exc: BaseException | None) -> Problem:
        instance = self.request.path
        if isinstance(exc, RequestError):
            return _make(exc.status, exc.detail, instance, exc.errors)
        if isinstance(exc, Forbidden):
            self.synq_refusal = exc.kind
            errors = [FieldError(field=exc.field, message=exc.reason)]
            return _make(exc.status, exc.detail, instance, errors)
        if isinstance(exc, SynqInputError):
            code = 404 if isinstance(exc, TargetError) and exc.field == "name" else 422
            # The place as numbers, so a client can move it (into a cell's lines) or point
            # at it; the detail, str(exc), says it in words.
            error = FieldError(
                field=exc.field or "body", message=exc.message, line=exc.line, column=exc.column
            )
            return _make(code, str(exc), instance, [error])
        if isinstance(exc, NotFound):
            errors = [FieldError(field=exc.field, message="not found")]
            return _make(404, f"no {exc.what} {exc}", instance, errors)
        if isinstance(exc, JobConflict):
            return _make(409, str(exc), instance, [FieldError(field=exc.field, message=str(exc))])
        if isinstance(exc, ExecutorUnavailable):
            return _make(503, str(exc), instance)
        if isinstance(exc, web.HTTPError):
            return http_error_problem(self, exc)
        if status >= 500:
            correlation = uuid.uuid4().hex
            self.log.error("SynQ internal error %s on %s", correlation, instance)
            problem = _make(500, "internal error; quote the correlation id", instance)
            return problem.model_copy(update={"correlation_id": correlation})
        return _make(status, status_phrase(status), instance)


class ProblemErrors(JupyterHandler):
    """Errors as problem+json, for the Jupyter handlers under ``/synq/api`` that are not
    ``SynqHandler``s (the job stream's handshake, the docs page's files): Jupyter's own
    errors are HTML pages. An unexpected error gets its status and no traceback."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if not isinstance(exc, web.HTTPError):
            exc = web.HTTPError(status_code)
        problem = http_error_problem(self, exc)
        self.set_status(problem.status)
        self.set_header("Content-Type", PROBLEM_JSON)
        self.finish(problem.model_dump_json(exclude_none=True))


def http_error_problem(handler: JupyterHandler, exc: web.HTTPError) -> Problem:
    """The problem for an ``HTTPError`` (Jupyter refuses with those), naming the
    ``Authorization`` header when it is what was refused: a key or token that is not valid
    (401), or none at all (Jupyter's 403 to nobody signed in). Shared with the job stream,
    a WebSocket handler rather than a ``SynqHandler``. A 405 names the methods the route
    takes, in the problem and in the ``Allow`` header RFC 9110 asks for."""
    detail = exc.log_message or status_phrase(exc.status_code)
    errors: list[FieldError] = []
    if exc.status_code == 405:
        allowed = allowed_methods(handler)
        handler.set_header("Allow", ", ".join(allowed))
        useful = [m for m in allowed if m not in ("HEAD", "OPTIONS")] or allowed
        message = f"{handler.request.method} is not allowed here; use {' or '.join(useful)}"
        errors = [FieldError(field="method", message=message)]
    elif exc.status_code == 401:
        errors = [FieldError(field="Authorization", message=detail)]
    elif exc.status_code == 403 and not exc.log_message and not signed_in(handler):
        message = "sign in: send 'Authorization: token <server token>' or 'Bearer <API key>'"
        errors = [FieldError(field="Authorization", message=message)]
    return _make(exc.status_code, detail, handler.request.path, errors)


def allowed_methods(handler: web.RequestHandler) -> list[str]:
    """The HTTP methods ``handler``'s class answers (those it defines itself)."""
    return [
        method
        for method in handler.SUPPORTED_METHODS
        if getattr(type(handler), method.lower()) is not getattr(web.RequestHandler, method.lower())
    ]


def status_phrase(status: int) -> str:
    """The status's name in RFC 9110, whatever this Python calls it: a problem's ``type``
    must not change when the interpreter does (3.11 still says "Unprocessable Entity")."""
    return _RFC_9110.get(status) or HTTPStatus(status).phrase


_RFC_9110 = {413: "Content Too Large", 422: "Unprocessable Content"}


MAX_MESSAGE = 1000
"""Characters of a problem's detail or field message: one that quotes a huge input (a
million-character name in a circuit) is cut, not sent back whole."""


def _make(
    status: int, detail: str, instance: str, errors: list[FieldError] | None = None
) -> Problem:
    phrase = status_phrase(status)
    slug = phrase.lower().replace(" ", "-").replace("'", "")
    return Problem(
        type=f"urn:synq:problem:{slug}",
        title=phrase,
        status=status,
        detail=_clip(detail),
        instance=_clip(instance),
        errors=[
            e.model_copy(update={"field": _clip(e.field), "message": _clip(e.message)})
            for e in errors or []
        ],
    )


def _clip(text: str) -> str:
    if len(text) <= MAX_MESSAGE:
        return text
    return f"{text[:MAX_MESSAGE]}… ({len(text) - MAX_MESSAGE:,} more characters)"


def _field_error(error: Any) -> FieldError:
    """A pydantic error as a field error, named as the docs name fields: ``tags[0]``,
    ``observables[2].coeffs[0]`` (without pydantic's names of union members)."""
    loc = error.get("loc", ())
    name = _dotted([p for p in loc if isinstance(p, int) or not _is_union_member(str(p))])
    message = str(error.get("msg", "invalid"))
    if error.get("type") == "value_error":  # our validators' words, without pydantic's label
        message = message.removeprefix("Value error, ")
    return FieldError(field=name or "body", message=message)


_BUILTIN_MEMBER = re.compile(r"^(str|int|float|bool|none|list\[.*\]|dict\[.*\])$")


def _is_union_member(part: str) -> bool:
    """Whether pydantic named the member of a union it tried (``str``, ``PauliSum``), not
    a field (``X`` of a QML request is a field)."""
    return bool(_BUILTIN_MEMBER.match(part)) or part in _request_models()


def _request_models() -> set[str]:
    """The names of the request models defined so far (every one, once the routes are
    imported); looked up on each refusal, which is rare next to a request."""
    names, todo = set(), [Request]
    while todo:
        model = todo.pop()
        names.add(model.__name__)
        todo += model.__subclasses__()
    return names


def _dotted(path: list[str | int]) -> str:
    """``["observables", 0, "coeffs"]`` as the docs name fields: ``observables[0].coeffs``."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


class _Repeated(dict[str, Any]):
    """A JSON object that gives ``key`` twice."""

    key = ""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            repeated = _Repeated(pairs)
            repeated.key = key
            return repeated
        seen.add(key)
    return dict(pairs)


def _repeated_at(value: Any, path: list[str | int]) -> list[str | int] | None:
    """Where the first key given twice is, in document order (``None``: nowhere)."""
    if isinstance(value, _Repeated):
        return [*path, value.key]
    if isinstance(value, dict):
        items: Iterable[tuple[str | int, Any]] = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for name, item in items:
        found = _repeated_at(item, [*path, name])
        if found is not None:
            return found
    return None


def _refuse_repeated_keys(body: bytes) -> None:
    """A 422 naming a key given twice in one JSON object, with its place in the body
    (``observables[0].coeffs``). The model keeps the last value, silently; a proxy or a log
    that reads the first would see another request."""
    try:
        path = _repeated_at(json.loads(body, object_pairs_hook=_unique_keys), [])
    except ValueError:
        return  # read as the model read it (an integer too long for json, say)
    if path is not None:
        key = str(path[-1])
        # Every error names a field: an empty key's is the object that holds it.
        field = _dotted(path if key else path[:-1]) or "body"
        errors = [FieldError(field=field, message="given twice in one object; give it once")]
        raise RequestError(422, f"the key {key!r} is given twice", errors)


_SURROGATE = re.compile(r"(?:lone leading surrogate in|unexpected end of) hex escape (at .*)")
"""The parser's words for a ``\\uXXXX`` escape of a surrogate without its pair, and where."""


def _not_json(errors: list[FieldError]) -> RequestError:
    """The 400 for a body the parser refused. An unpaired surrogate escape (``"\\ud800"``,
    which no text can hold) is named as such: the parser says "unexpected end of hex escape",
    or "lone leading surrogate" of a lone trailing one."""
    for error in errors:
        found = _SURROGATE.search(error.message)
        if found:
            message = (
                f"an unpaired surrogate escape (\\ud800-\\udfff) {found[1]}: write the "
                "character itself, or its two escapes in a row (\\ud83d\\ude00)"
            )
            detail = f"the body holds an unpaired UTF-16 surrogate escape {found[1]}"
            return RequestError(400, detail, [_body_error(message)])
    return RequestError(400, "the body is not valid JSON", errors)


def _body_error(message: str) -> FieldError:
    return FieldError(field="body", message=message)
