"""API keys: shown once, stored hashed, scoped, revocable, and only for the SynQ API."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import ApiKey, utcnow
from tests.fixtures.refusals import refused

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"


@pytest.fixture
def make_key(api):
    async def make(*scopes: str, **fields: Any) -> dict[str, Any]:
        body = {"name": "ci", "scopes": list(scopes), **fields}
        response = await api("auth", "api-keys", method="POST", body=body)
        assert response.code == 201
        return json.loads(response.body)

    return make


@sqlite_only
async def test_a_key_is_shown_once_and_stored_as_a_hash(make_key, api, db_url):
    created = await make_key("jobs:read")
    key = created["key"]
    assert key.startswith(created["prefix"] + "_")
    assert created["prefix"].startswith("synq_")
    listed = json.loads((await api("auth", "api-keys")).body)["keys"]
    assert [k["id"] for k in listed] == [created["id"]]
    assert "key" not in listed[0]
    assert key not in json.dumps(listed)
    database = Database(db_url)
    with database.session(write=False) as session:
        row = session.scalars(select(ApiKey)).one()
    database.dispose()
    assert key not in (row.secret_hash, row.prefix, row.name)
    assert len(row.secret_hash) == 64


@sqlite_only
async def test_a_key_acts_for_its_owner_within_its_scopes(make_key, bearer, problem):
    reader = (await make_key("jobs:read"))["key"]
    me = json.loads((await bearer(reader, "auth", "me")).body)
    assert me["authenticated_by"] == "api_key"
    assert me["scopes"] == ["jobs:read"]
    assert (await bearer(reader, "jobs")).code == 200

    error = await refused(
        bearer(reader, "jobs", method="POST", body={"kind": "sample", "source": BELL})
    )
    assert error.code == 403
    assert problem(error)["errors"] == [{"field": "scope", "message": "the key lacks jobs:write"}]

    runner = (await make_key("circuits:run"))["key"]
    parsed = await bearer(runner, "circuits", "parse", method="POST", body={"source": BELL})
    assert json.loads(parsed.body)["num_qubits"] == 2


@sqlite_only
async def test_a_submitting_key_needs_no_xsrf_cookie_and_owns_the_job(make_key, bearer, api):
    writer = (await make_key("jobs:write", "jobs:read"))["key"]
    body = {"kind": "sample", "source": BELL, "target": "aer_simulator", "shots": 10}
    job = json.loads((await bearer(writer, "jobs", method="POST", body=body)).body)
    # The server's own login sees the same job: the key acts for the same owner.
    assert json.loads((await api("jobs", job["id"])).body)["id"] == job["id"]


@sqlite_only
async def test_revoking_a_key_refuses_its_next_request(make_key, bearer, api):
    created = await make_key("jobs:read")
    assert (await bearer(created["key"], "jobs")).code == 200
    revoked = await api("auth", "api-keys", created["id"], method="DELETE")
    assert json.loads(revoked.body)["revoked_at"] is not None
    assert (await refused(bearer(created["key"], "jobs"))).code == 401


@sqlite_only
async def test_an_expired_or_forged_key_is_refused(make_key, bearer, db_url):
    created = await make_key("jobs:read")
    forged = created["key"][:-4] + "AAAA"
    assert (await refused(bearer(forged, "jobs"))).code == 401
    database = Database(db_url)
    with database.session() as session:
        session.execute(update(ApiKey).values(expires_at=utcnow() - timedelta(seconds=1)))
    database.dispose()
    assert (await refused(bearer(created["key"], "jobs"))).code == 401


@sqlite_only
async def test_a_key_cannot_make_keys_or_open_the_rest_of_jupyter(make_key, bearer, jp_fetch):
    admin = (await make_key(*sorted({"org:admin", "jobs:read", "jobs:write"})))["key"]
    body = {"name": "escalate", "scopes": ["org:admin"]}
    assert (await refused(bearer(admin, "auth", "api-keys", method="POST", body=body))).code == 403
    headers = {"Authorization": f"Bearer {admin}"}
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("api", "contents", headers=headers)
    assert info.value.code == 403


@sqlite_only
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "scopes": ["root"]}, "scopes"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": ["jobs:read"], "expires_in_days": 0}, "expires_in_days"),
        ({"scopes": ["jobs:read"]}, "name"),
    ],
)
async def test_a_bad_key_request_names_the_field(api, problem, body, field):
    error = await refused(api("auth", "api-keys", method="POST", body=body))
    assert error.code == 422
    assert field in [e["field"] for e in problem(error)["errors"]]


@sqlite_only
async def test_the_job_stream_needs_the_jobs_read_scope(make_key, jp_ws_fetch):
    runner = (await make_key("circuits:run"))["key"]
    with pytest.raises(HTTPClientError) as info:
        await jp_ws_fetch(
            "synq", "api", "jobs", "stream", headers={"Authorization": f"Bearer {runner}"}
        )
    assert info.value.code == 403
    reader = (await make_key("jobs:read"))["key"]
    stream = await jp_ws_fetch(
        "synq", "api", "jobs", "stream", headers={"Authorization": f"Bearer {reader}"}
    )
    stream.close()


@sqlite_only
async def test_every_change_lands_in_the_audit_log_without_its_secret(make_key, api, bearer):
    created = await make_key("jobs:read")
    await api("auth", "api-keys", created["id"], method="DELETE")
    with pytest.raises(HTTPClientError):
        await bearer(created["key"], "jobs", method="POST", body={})
    for _ in range(50):  # the audit writer is a background thread
        page = json.loads((await api("security", "audit")).body)["entries"]
        if len(page) >= 2:
            break
        await asyncio.sleep(0.05)
    # The refused request is anonymous: it lands in the system's chain, not the owner's.
    assert [(e["action"], e["outcome"]) for e in reversed(page)] == [
        ("POST /synq/api/auth/api-keys", "201"),
        ("DELETE /synq/api/auth/api-keys/{key_id}", "200"),
    ]
    assert created["key"] not in json.dumps(page)
    assert json.loads((await api("security", "audit", "verify")).body)["ok"] is True
