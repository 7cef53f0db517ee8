"""Every route that takes a JSON body refuses a malformed one with a 4xx problem+json, never
a 500: text that is not JSON, JSON that is not an object, and objects whose fields have the
wrong type. Routes and fields are read from the OpenAPI spec, so a new route is covered the
day it is added."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

NOT_OBJECTS = [b"not json", b'{"source":', b"[1, 2]", b"null", b'"text"', b"3"]
WRONG_VALUES: list[Any] = [None, [], {"nested": [1]}, -1, "x" * 2000]


@pytest.fixture
def jp_server_config(jp_server_config):
    """Over a thousand requests from one caller: the rate limit, tested on its own, is off."""
    jp_server_config["SynqApp"]["rate_limit"] = 0
    return jp_server_config


def body_routes(spec: dict[str, Any]) -> Iterator[tuple[str, list[str], list[str]]]:
    """Each route with a JSON request body: its verb, URL parts and the body's fields."""
    schemas = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for verb, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            name = content["application/json"]["schema"].get("$ref", "").rsplit("/", 1)[-1]
            fields = sorted(schemas.get(name, {}).get("properties", {}))
            parts = [p if not p.startswith("{") else "nothing-here" for p in path.split("/")]
            yield verb.upper(), [p for p in parts if p], fields


async def outcome(api, verb: str, parts: list[str], body: bytes) -> tuple[int, str, bytes]:
    """The status, content type and body of the route's answer."""
    try:
        response = await api(*parts, method=verb, body=body, allow_nonstandard_methods=True)
    except HTTPClientError as error:
        response = error.response
    assert response is not None
    return response.code, response.headers.get("Content-Type", ""), response.body


async def test_malformed_bodies_are_refused_with_a_problem_on_every_route(api):
    spec = json.loads((await api("openapi.json")).body)
    routes = list(body_routes(spec))
    assert len(routes) >= 20
    seen: dict[int, int] = {}
    for verb, parts, fields in routes:
        bodies = list(NOT_OBJECTS)
        bodies += [json.dumps({f: value}).encode() for f in fields for value in WRONG_VALUES]
        for body in bodies:
            code, content_type, text = await outcome(api, verb, parts, body)
            where = f"{verb} /{'/'.join(parts)} {body[:60]!r}"
            assert code < 500, where
            seen[code] = seen.get(code, 0) + 1
            if code < 400:
                continue
            assert content_type == "application/problem+json", where
            problem = json.loads(text)
            if code == 422:
                assert problem["errors"], where
                assert all(error["field"] for error in problem["errors"]), where
    assert seen.get(422, 0) > 100  # most of them reached the body's validation


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            b'{"kind": "sample", "source": "qubit q[1]", "target": "aer_simulator", '
            b'"shots": 1, "shots": 1000000}',
            "shots",
        ),
        (
            b'{"kind": "estimate", "source": "qubit q[1]", "target": "aer_simulator", '
            b'"observables": ["Z", {"paulis": ["Z"], "coeffs": [1], "coeffs": [2]}]}',
            "observables[1].coeffs",  # where it is; it was only "coeffs"
        ),
    ],
    ids=["top-level", "nested"],
)
async def test_a_key_given_twice_is_refused_naming_it_and_no_job_is_made(api, body, field):
    code, content_type, text = await outcome(api, "POST", ["jobs"], body)
    problem = json.loads(text)
    assert (code, content_type) == (422, "application/problem+json")
    assert problem["errors"] == [
        {"field": field, "message": "given twice in one object; give it once"}
    ]
    assert json.loads((await api("jobs")).body)["jobs"] == []


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (rb'{"name": "\ud800"}', "line 1 column 17"),  # a high surrogate with no low one
        (rb'{"name":' + b"\n" + rb'  "x\udc00"}', "line 2 column 10"),  # a low one alone
    ],
    ids=["high", "low"],
)
async def test_an_unpaired_surrogate_escape_is_refused_saying_so_and_where(api, body, where):
    """The parser's words were "unexpected end of hex escape" and, for a lone low
    surrogate, "lone leading surrogate"."""
    code, content_type, text = await outcome(api, "POST", ["orgs"], body)
    problem = json.loads(text)
    assert (code, content_type) == (400, "application/problem+json")
    assert problem["detail"] == f"the body holds an unpaired UTF-16 surrogate escape at {where}"
    [error] = problem["errors"]
    assert error["field"] == "body"
    assert error["message"].startswith(f"an unpaired surrogate escape (\\ud800-\\udfff) at {where}")


def bodyless_writes(spec: dict[str, Any]) -> Iterator[tuple[str, list[str], set[str]]]:
    """Each POST, PUT, PATCH or DELETE route that takes no body: its verb, URL parts and the
    statuses the spec says it answers."""
    for path, operations in spec["paths"].items():
        for verb, operation in operations.items():
            if verb in ("post", "put", "patch", "delete") and "requestBody" not in operation:
                parts = [p if not p.startswith("{") else "nothing-here" for p in path.split("/")]
                yield verb.upper(), [p for p in parts if p], set(operation["responses"])


async def test_a_route_that_takes_no_body_refuses_fields_naming_them(api):
    spec = json.loads((await api("openapi.json")).body)
    routes = list(bodyless_writes(spec))
    names = {(verb, "/".join(parts)) for verb, parts, _ in routes}
    assert {("POST", "jobs/nothing-here/retry"), ("POST", "auth/logout")} <= names
    for verb, parts, statuses in routes:
        where = f"{verb} /{'/'.join(parts)}"
        assert {"400", "422"} <= statuses, where
        code, content_type, text = await outcome(api, verb, parts, b'{"shots": 2000}')
        assert (code, content_type) == (422, "application/problem+json"), where
        assert [e["field"] for e in json.loads(text)["errors"]] == ["shots"], where
        code, _, _ = await outcome(api, verb, parts, b"shots=2000")
        assert code == 400, where


async def test_an_empty_object_is_no_field(api):
    job = json.loads(
        (
            await api(
                "jobs",
                method="POST",
                body={"kind": "sample", "source": "qubit q[1]\n", "target": "aer_simulator"},
            )
        ).body
    )
    for body in (b"{}", b" ", b""):
        response = await api("jobs", job["id"], "cancel", method="POST", body=body)
        assert response.code == 200
