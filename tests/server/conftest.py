"""A Jupyter server with the SynQ extension, on each database."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fixtures.tenants import as_key, tenants  # noqa: F401  (fixtures for every test)


@pytest.fixture(scope="session")
def dask_cluster():
    """A Dask LocalCluster of 2 worker processes over tcp://127.0.0.1, shared by the tests."""
    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        protocol="tcp",
        dashboard_address=None,
    )
    yield cluster
    cluster.close()


@pytest.fixture
def job_executor(request) -> dict[str, Any]:
    """The job executor: local worker processes, or (parametrized) the Dask cluster."""
    if getattr(request, "param", "local") == "dask":
        cluster = request.getfixturevalue("dask_cluster")
        return {"executor": "dask", "dask_scheduler_address": cluster.scheduler_address}
    return {"executor": "local"}


@pytest.fixture
def jp_server_config(db_url: str, job_executor: dict[str, Any]) -> dict[str, Any]:
    return {
        "ServerApp": {
            "jpserver_extensions": {"synq_jupyter_server": True},
            "allow_unauthenticated_access": False,
        },
        "SynqApp": {
            "db_url": db_url,
            "executor_workers": 1,
            "job_workers": 2,
            "auto_migrate": True,
            "platform_admins": ["pat"],
            # Workers fork from one server that imported Qiskit once for the whole test run
            # (spawn, the default, is covered by the servers the tests start as processes).
            "worker_start_method": "forkserver",
            **job_executor,
        },
    }


@pytest.fixture
def started(jp_serverapp, jp_asyncio_loop):
    """Runs the extensions' start hooks (pytest-jupyter only initializes the server), which
    starts SynQ's job scheduler."""
    jp_asyncio_loop.run_until_complete(jp_serverapp.extension_manager.start_all_extensions())
    return jp_serverapp


@pytest.fixture
def api(jp_fetch, started):
    """Calls ``/synq/api/...`` with the test server's token; JSON bodies are encoded."""

    async def call(*parts: str, method: str = "GET", body: Any = None, **kwargs: Any):
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        return await jp_fetch("synq", "api", *parts, method=method, body=body, **kwargs)

    return call


@pytest.fixture
def bearer(jp_fetch, started):
    """Calls ``/synq/api/...`` with ``credential`` (an API key or access token) as a Bearer
    token instead of the server's token; ``None`` sends no credential at all."""

    async def call(credential: str | None, *parts: str, method: str = "GET", body: Any = None):
        encoded = json.dumps(body) if body is not None else ("" if method == "POST" else None)
        headers = {"Authorization": f"Bearer {credential}"} if credential else {"X": "y"}
        return await jp_fetch("synq", "api", *parts, method=method, body=encoded, headers=headers)

    return call


@pytest.fixture
def problem():
    """Decodes the problem+json body of an HTTPClientError."""

    def decode(error) -> dict[str, Any]:
        assert error.response.headers["Content-Type"] == "application/problem+json"
        return json.loads(error.response.body)

    return decode


@pytest.fixture
def wait_for(api):
    """Polls a job until ``done(job)`` holds; returns the job."""
    import asyncio
    import time

    async def poll(job_id: str, done=None, timeout: float = 120.0) -> dict[str, Any]:
        done = done or (lambda job: job["status"] in ("succeeded", "failed", "cancelled"))
        deadline = time.monotonic() + timeout
        while True:
            job = json.loads((await api("jobs", job_id)).body)
            if done(job):
                return job
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job_id} stuck: {job}")
            await asyncio.sleep(0.1)

    return poll
