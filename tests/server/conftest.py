"""A Jupyter server with the SynQ extension, on each database."""

from __future__ import annotations

import json
from typing import Any

import pytest


@pytest.fixture
def jp_server_config(db_url: str) -> dict[str, Any]:
    return {
        "ServerApp": {
            "jpserver_extensions": {"synq_jupyter_server": True},
            "allow_unauthenticated_access": False,
        },
        "SynqApp": {"db_url": db_url, "executor_workers": 1, "auto_migrate": True},
    }


@pytest.fixture
def api(jp_fetch):
    """Calls ``/synq/api/...`` with the test server's token; JSON bodies are encoded."""

    async def call(*parts: str, method: str = "GET", body: Any = None, **kwargs: Any):
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        return await jp_fetch("synq", "api", *parts, method=method, body=body, **kwargs)

    return call


@pytest.fixture
def problem():
    """Decodes the problem+json body of an HTTPClientError."""

    def decode(error) -> dict[str, Any]:
        assert error.response.headers["Content-Type"] == "application/problem+json"
        return json.loads(error.response.body)

    return decode
