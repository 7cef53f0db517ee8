"""Every route x method x kind of caller, against a table of the status each must get.

The callers are people of ``tests.fixtures.tenants``, each with a key for their
organisation: anonymous, a member of the other organisation, a viewer, a member, an
organisation admin, the other organisation's admin, a platform admin, and the member's key
that holds nothing but ``jobs:read``. Path parameters name organisation A's things; bodies
are ``{}``, so an allowed write stops at validation (400/422) or is harmless.

A route or method missing from the table fails the test: a new route must say who may
call it.
"""

from __future__ import annotations

import pytest

from synq_jupyter_server.jobs.queue import Lease, NewJob
from synq_jupyter_server.routes import api_routes
from tests.fixtures.tenants import Tenants
from tests.server.test_tenant_isolation import _a_model

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def jp_server_config(jp_server_config):
    """Every caller comes from 127.0.0.1 here: the anonymous column alone would trip the
    brute-force lockout, which has its own tests."""
    jp_server_config["SynqApp"]["brute_force_failures"] = 10_000
    return jp_server_config


CALLERS = (
    "anonymous",
    "other_member",
    "viewer",
    "member",
    "admin",
    "other_admin",
    "platform_admin",
    "scopeless",
)

# "METHOD /route": expected status for each of CALLERS, in order.
# 403: no credentials (Jupyter's answer to an unauthenticated API request), or a role,
#      scope or platform role is missing, or no key may do it at all;
# 404: another organisation's thing; 409: A's job is running;
# 400/422: allowed, but the empty body is refused.
MATRIX: dict[str, str] = {
    "GET /health": "403 200 200 200 200 200 200 200",
    "HEAD /health": "403 200 200 200 200 200 200 200",
    "GET /openapi.json": "403 200 200 200 200 200 200 200",
    "GET /auth/me": "403 200 200 200 200 200 200 200",
    "POST /auth/api-keys": "403 403 403 403 403 403 403 403",
    "GET /auth/api-keys": "403 403 403 403 403 403 403 403",
    "DELETE /auth/api-keys/{key_id}": "403 403 403 403 403 403 403 403",
    "POST /auth/tokens": "403 201 201 201 201 201 201 201",
    "POST /auth/refresh": "422 422 422 422 422 422 422 422",  # its credential is the body
    "POST /auth/logout": "403 403 403 403 403 403 403 403",
    "POST /auth/mfa/setup": "403 403 403 403 403 403 403 403",
    "POST /auth/mfa/verify": "403 403 403 403 403 403 403 403",
    "POST /auth/mfa/disable": "403 403 403 403 403 403 403 403",
    "GET /orgs": "403 200 200 200 200 200 200 200",
    "POST /orgs": "403 403 403 403 403 403 403 403",
    "GET /orgs/{org_id}": "403 404 200 200 200 404 200 200",
    "PATCH /orgs/{org_id}": "403 404 403 403 200 404 200 403",
    "GET /orgs/{org_id}/members": "403 404 200 200 200 404 200 200",
    "POST /orgs/{org_id}/members": "403 404 403 403 422 404 422 403",
    "PATCH /orgs/{org_id}/members/{username}": "403 404 403 403 422 404 422 403",
    "DELETE /orgs/{org_id}/members/{username}": "403 404 404 404 404 404 404 403",
    "GET /orgs/{org_id}/plan": "403 404 200 200 200 404 200 200",
    "PUT /orgs/{org_id}/plan": "403 404 403 403 403 404 422 403",
    "GET /targets": "403 200 200 200 200 200 200 200",
    "GET /targets/{name}": "403 200 200 200 200 200 200 200",
    "POST /circuits/parse": "403 422 403 422 422 422 422 403",
    "POST /circuits/transpile": "403 422 403 422 422 422 422 403",
    "POST /circuits/analyze": "403 422 403 422 422 422 422 403",
    "POST /circuits/synthesize": "403 422 403 422 422 422 422 403",
    "POST /circuits/estimate": "403 422 403 422 422 422 422 403",
    "POST /circuits/optimize": "403 422 403 422 422 422 422 403",
    "GET /jobs": "403 200 200 200 200 200 200 200",
    "POST /jobs": "403 422 403 422 422 422 422 403",
    "POST /jobs/batch": "403 422 403 422 422 422 422 403",
    "GET /jobs/{job_id}": "403 404 200 200 200 404 200 200",
    "DELETE /jobs/{job_id}": "403 404 403 409 409 404 409 403",
    "GET /jobs/{job_id}/result": "403 404 409 409 409 404 409 409",
    "GET /jobs/{job_id}/events": "403 404 200 200 200 404 200 200",
    "POST /jobs/{job_id}/cancel": "403 404 403 200 200 404 200 403",
    "POST /jobs/{job_id}/retry": "403 404 403 409 409 404 409 403",
    "POST /qml/vqe": "403 422 403 422 422 422 422 403",
    "POST /qml/qaoa": "403 422 403 422 422 422 422 403",
    "POST /qml/qnn/train": "403 422 403 422 422 422 422 403",
    "POST /qml/qnn/{model_id}/predict": "403 422 403 422 422 422 422 403",
    "GET /qml/models": "403 200 200 200 200 200 200 200",
    "GET /qml/models/{model_id}": "403 404 200 200 200 404 200 200",
    "GET /providers": "403 200 200 200 200 200 200 200",
    "PUT /providers/{name}/credentials": "403 422 403 422 422 422 422 403",
    "DELETE /providers/{name}/credentials": "403 204 403 204 204 204 204 403",
    "GET /security/audit": "403 403 403 403 200 200 200 403",
    "GET /security/audit/verify": "403 403 403 403 200 200 200 403",
    "GET /security/events": "403 403 403 403 200 200 200 403",
    "GET /security/incidents": "403 403 403 403 200 200 200 403",
    "GET /security/incidents/{incident_id}": "403 403 403 403 200 404 200 403",
    "PATCH /security/incidents/{incident_id}": "403 403 403 403 422 422 422 403",
}


def spec_operations() -> list[tuple[str, str]]:
    """(METHOD, route) of every operation the API serves and documents."""
    return [
        (method.upper(), route.path)
        for route in api_routes()
        if route.in_spec
        for method in route.handler.operations
    ]


def test_the_table_covers_every_route_and_method():
    served = {f"{method} {path}" for method, path in spec_operations()}
    assert served - MATRIX.keys() == set(), "routes missing from the authorization matrix"
    assert MATRIX.keys() - served == set(), "the matrix names routes that do not exist"
    assert all(len(row.split()) == len(CALLERS) for row in MATRIX.values())


@sqlite_only
async def test_every_caller_gets_the_status_in_the_table(
    tenants: Tenants, as_key, jp_serverapp, db_url
):
    params = await _path_values(tenants, jp_serverapp, db_url, as_key)
    keys = {"anonymous": "", **tenants.keys}
    wrong = []
    for method, path in spec_operations():
        expected = MATRIX[f"{method} {path}"].split()
        values = {**params, "name": "aer_simulator"} if path.startswith("/targets") else params
        parts = path.format(**values).strip("/").split("/")
        for caller, status in zip(CALLERS, expected, strict=True):
            body = {} if method in ("POST", "PUT", "PATCH") else None
            response = await as_key(keys[caller], *parts, method=method, body=body)
            if str(response.code) != status:
                wrong.append(f"{method} {path} as {caller}: {response.code}, table says {status}")
    assert wrong == [], "\n".join(wrong)


async def _path_values(tenants: Tenants, jp_serverapp, db_url: str, as_key) -> dict[str, str]:
    """Organisation A's things: a running job of the member's (held by a lease nobody
    will renew or reap during the test), a model, a key, a non-member's name, and the
    incident the viewer opens by trying to read the audit log."""
    services = jp_serverapp.web_app.settings["synq_services"]
    assert (await as_key(tenants.keys["viewer"], "security", "audit")).code == 403
    services.threats.flush()
    incidents, _ = services.threats.store.incidents(tenants.orgs["A"], None, None, 10)
    queue = services.scheduler.queue
    new = NewJob(kind="noop", target="aer_simulator", payload={}, org_id=tenants.orgs["A"])
    job, _ = queue.submit("max", new, take=Lease("matrix-worker", seconds=3600))
    assert job.status == "running"
    key_id = services.api_keys.list("max")[0].id
    return {
        "org_id": tenants.orgs["A"],
        "job_id": job.id,
        "model_id": _a_model(db_url, tenants.orgs["A"]),
        "key_id": key_id,
        "name": "ibm",
        "username": "nobody",
        "incident_id": incidents[0].id,
    }
