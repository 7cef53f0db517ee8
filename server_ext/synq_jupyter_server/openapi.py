"""Build the OpenAPI 3.1 document from the route table and the pydantic models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from synq_jupyter._version import __version__
from synq_jupyter_server.handlers.base import PROBLEM_JSON, Operation
from synq_jupyter_server.schemas.base import Problem
from synq_jupyter_server.security.audit_hook import MUTATING
from synq_jupyter_server.security.authorizer import ORG_HEADER
from synq_jupyter_server.security.mfa import CODE_PATTERN

REF = "#/components/schemas/{model}"


def build_spec(routes: list[Any], server_url: str = "/synq/api") -> dict[str, Any]:
    """Returns the OpenAPI document: every route in the table with its models."""
    operations = [
        (route, method, op)
        for route in routes
        if route.in_spec
        for method, op in route.handler.operations.items()
    ]
    models: set[type[BaseModel]] = {Problem}
    for _, _, op in operations:
        models.update(m for m in (op.request, op.response) if m is not None)
    ordered = sorted(models, key=lambda m: m.__name__)
    keys, defs = models_json_schema(
        [(m, "validation" if _is_request(m, operations) else "serialization") for m in ordered],
        ref_template=REF,
    )
    refs = {model: schema["$ref"] for (model, _), schema in keys.items()}

    paths: dict[str, dict[str, Any]] = {}
    for route, method, op in operations:
        paths.setdefault(route.path, {})[method] = _operation(route, method, op, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SynQ for Jupyter API",
            "version": __version__,
            "description": "Circuits, targets, durable jobs, organisations and security, "
            "served by the SynQ Jupyter server extension. Authenticate with the Jupyter token "
            "(`Authorization: token ...`) or a SynQ API key (`Authorization: Bearer synq_...`). "
            "Every route is rate limited per caller (429 with `Retry-After`).",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {
                "jupyterToken": {"type": "apiKey", "in": "header", "name": "Authorization"},
                "synqApiKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A SynQ API key (`synq_...`) from POST /auth/api-keys.",
                },
            },
        },
        "security": [{"jupyterToken": []}, {"synqApiKey": []}],
    }


def _is_request(model: type[BaseModel], operations: list[Any]) -> bool:
    return any(op.request is model for _, _, op in operations)


def _operation(route: Any, method: str, op: Operation, refs: dict[Any, str]) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "operationId": f"{method}_{route.handler.__name__.removesuffix('Handler')}",
        "summary": op.summary,
        "tags": list(op.tags),
        "responses": {},
    }
    if op.description:
        spec["description"] = op.description
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in route.parameters
    ]
    if op.query is not None:
        parameters += _query_parameters(op.query)
    if op.idempotent:
        parameters.append(IDEMPOTENCY_PARAMETER)
    if op.totp_header:
        parameters.append(TOTP_PARAMETER)
    if "org_id" not in route.parameters:
        parameters.append(ORG_PARAMETER)
    spec["parameters"] = parameters
    if op.request is not None:
        spec["requestBody"] = {
            "required": not op.body_optional,
            "content": {"application/json": {"schema": {"$ref": refs[op.request]}}},
        }
    ok: dict[str, Any] = {"description": "Success"}
    if op.response is not None:
        ok["content"] = {op.media_type: {"schema": {"$ref": refs[op.response]}}}
        ok["content"].update({media: {"schema": {"type": "string"}} for media in op.downloads})
    spec["responses"][str(op.status)] = ok
    if op.idempotent:
        spec["responses"]["200"] = {**ok, "description": "An earlier request's, for its key"}
    # A query string is parsed strictly (422); a path part that is not UTF-8 is a 400; an
    # organisation named in the header that does not exist is a 404; and every route is
    # rate limited (429).
    errors = {*op.errors, 429} | ({422} if op.query is not None else set())
    errors |= ({400} if route.parameters else set()) | (
        {404} if ORG_PARAMETER in parameters else set()
    )
    errors |= {403, 422} if op.totp_header else set()
    # A write that reads no body still refuses one with fields (a 422), or that is not JSON.
    errors |= {400, 422} if op.request is None and method.upper() in MUTATING else set()
    for status in sorted(errors):
        spec["responses"][str(status)] = {
            "description": _ERRORS.get(status, "Error"),
            "content": {PROBLEM_JSON: {"schema": {"$ref": refs[Problem]}}},
        }
    return spec


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """One optional query parameter per field of ``model``, with its schema."""
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", ()))
    parameters = []
    for name, field_schema in schema["properties"].items():
        parameter = {"name": name, "in": "query", "required": name in required}
        if "description" in field_schema:
            parameter["description"] = field_schema["description"]
        parameter["schema"] = {k: v for k, v in field_schema.items() if k != "description"}
        parameters.append(parameter)
    return parameters


IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Makes the request safe to repeat: the same key returns the first job "
    "(200); with another route or body it is refused (422).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}

TOTP_PARAMETER = {
    "name": "X-Synq-TOTP",
    "in": "header",
    "required": False,
    "description": "A current TOTP or recovery code; required once MFA is on for your "
    "account (403 without it, 422 when it is not a code).",
    "schema": {"type": "string", "pattern": CODE_PATTERN},
}

ORG_PARAMETER = {
    "name": ORG_HEADER,
    "in": "header",
    "required": False,
    "description": "The organisation the request acts in (you must be a member); your "
    "personal one when left out. An API key acts in its own organisation.",
    "schema": {"type": "string"},
}

_ERRORS = {
    400: "The body is missing or is not JSON, or a path part is not UTF-8",
    401: "The API key or access token is invalid, expired or revoked",
    403: "Not allowed: no credentials (Jupyter's answer), or a role, scope or plan is missing",
    404: "No such resource, or no such organisation as the X-Synq-Org header names",
    409: "The resource's state does not allow it; `detail` says why",
    422: "A field is invalid; `errors` names it",
    429: "Too many requests, a lockout or a spent quota; retry after `Retry-After` seconds "
    "when it is given",
    503: "The executor could not run the task",
}
