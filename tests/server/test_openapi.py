"""GET /synq/api/openapi.json and the browsable /synq/api/docs page."""

from __future__ import annotations

import json
import re

import pytest
from openapi_spec_validator import validate
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.handlers.base import SynqHandler
from synq_jupyter_server.routes import api_routes

VERBS = ("get", "post", "put", "patch", "delete")


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
