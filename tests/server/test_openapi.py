"""GET /synq/api/openapi.json and the browsable /synq/api/docs page."""

from __future__ import annotations

import inspect
import json
import re

import pytest
from openapi_spec_validator import validate
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.handlers.base import SynqHandler
from synq_jupyter_server.routes import api_routes

VERBS = ("get", "head", "post", "put", "patch", "delete")


async def test_spec_is_valid_openapi_31_and_lists_every_route(api):
    spec = json.loads((await api("openapi.json")).body)
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    for route in api_routes():
        if not route.in_spec:
            continue
        assert route.path in spec["paths"], route.path
        own = [
            c for c in route.handler.__mro__ if issubclass(c, SynqHandler) and c is not SynqHandler
        ]
        defined = {v for v in VERBS if any(v in vars(c) for c in own)}
        assert set(spec["paths"][route.path]) == defined, route.path


async def test_spec_carries_request_and_error_schemas(api):
    spec = json.loads((await api("openapi.json")).body)
    transpile = spec["paths"]["/circuits/transpile"]["post"]
    request = transpile["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][request.rsplit("/", 1)[1]]
    assert {"source", "target"} <= set(schema["required"])
    assert schema["properties"]["optimization_level"]["maximum"] == 3
    problem = transpile["responses"]["422"]["content"]["application/problem+json"]["schema"]
    assert problem["$ref"].endswith("/Problem")
    assert spec["paths"]["/targets/{name}"]["get"]["parameters"][0]["name"] == "name"
    # A body is required where the route needs one; the token exchange takes none too.
    assert transpile["requestBody"]["required"] is True
    assert spec["paths"]["/auth/tokens"]["post"]["requestBody"]["required"] is False


async def test_docs_page_is_served_with_local_assets(api):
    page = (await api("docs")).body.decode()
    assert "SwaggerUIBundle" in page
    scripts = re.findall(r'src="([^"]+)"', page) + re.findall(r'href="([^"]+)"', page)
    assert scripts
    assert all(s.startswith("/") and "://" not in s for s in scripts)
    bundle = await api("docs", "static", "swagger-ui-bundle.js")
    assert len(bundle.body) > 100_000


async def test_docs_page_needs_a_login(api):
    with pytest.raises(HTTPClientError) as info:
        await api("docs", headers={"Authorization": ""}, follow_redirects=False)
    assert info.value.code in (302, 403)


async def test_openapi_needs_authentication(api):
    with pytest.raises(HTTPClientError) as info:
        await api("openapi.json", headers={"Authorization": ""})
    assert info.value.code == 403


def test_every_query_and_idempotency_key_a_route_reads_is_in_its_spec():
    for route in api_routes():
        for verb, operation in getattr(route.handler, "operations", {}).items():
            source = inspect.getsource(getattr(route.handler, verb))
            where = (route.path, verb)
            assert ("parse_query(" in source) == (operation.query is not None), where
            assert ("self.idempotency(" in source) == operation.idempotent, where


async def test_job_routes_document_their_filters_and_idempotency_key(api):
    spec = json.loads((await api("openapi.json")).body)
    listing = spec["paths"]["/jobs"]["get"]["parameters"]
    assert {p["name"] for p in listing} == {
        "status", "kind", "target", "tag", "since", "limit", "cursor", "X-Synq-Org"
    }  # fmt: skip
    limit = next(p for p in listing if p["name"] == "limit")
    assert (limit["in"], limit["schema"]["maximum"]) == ("query", 200)
    submit = spec["paths"]["/jobs"]["post"]
    assert [p["name"] for p in submit["parameters"]] == ["Idempotency-Key", "X-Synq-Org"]
    assert {"200", "201"} <= set(submit["responses"])


async def test_spec_documents_rate_limits_query_errors_and_api_keys(api):
    """What every route can answer beyond its own errors: 429 from the rate limits, 422 from
    a query string it parses; and the two ways to authenticate."""
    spec = json.loads((await api("openapi.json")).body)
    operations = [op for path in spec["paths"].values() for op in path.values()]
    assert all("429" in op["responses"] for op in operations)
    events = spec["paths"]["/jobs/{job_id}/events"]["get"]
    assert "422" in events["responses"]
    assert set(spec["components"]["securitySchemes"]) == {"jupyterToken", "synqApiKey"}
    assert "(later)" not in spec["info"]["description"]
    # A route that takes X-Synq-Org answers 404 for an organisation that is not; a route
    # with path parameters answers 400 for one that is not UTF-8.
    for path, methods in spec["paths"].items():
        for op in methods.values():
            headers = [p["name"] for p in op["parameters"] if p["in"] == "header"]
            assert ("X-Synq-Org" not in headers) or "404" in op["responses"], path
            assert ("{" not in path) or "400" in op["responses"], path
            # Whatever says it answers another media type lists it.
            for media in ("text/csv", "application/x-ndjson"):
                if f"(`{media}`)" in op.get("description", ""):
                    assert media in op["responses"]["200"]["content"], path
            # What a worker process answers for lists its absence.
            if path.startswith(("/circuits/", "/targets", "/qml/")) or path == "/jobs":
                reads_only = op is methods.get("get") and not path.startswith("/targets")
                assert "503" in op["responses"] or reads_only, path
            # Whatever says it takes a code in X-Synq-TOTP lists the header.
            if "X-Synq-TOTP" in op.get("description", ""):
                assert "X-Synq-TOTP" in headers, path
