"""Cross-tenant isolation: organisation A's jobs, models, keys, audit rows and credentials
are invisible to organisation B on every list and get route, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import QmlModel, utcnow
from tests.fixtures.tenants import Tenants

BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"
JOB = {"kind": "sample", "source": BELL, "target": "aer_simulator", "shots": 32}
PROVIDER_TOKEN = "ionq-token-of-org-a-51c2"


def body(response) -> dict:
    return json.loads(response.body)


async def test_organisation_b_sees_nothing_of_organisation_a(
    tenants: Tenants, as_key, db_url, wait_for
):
    a, b = tenants.keys["member"], tenants.keys["other_admin"]
    job = body(await as_key(a, "jobs", method="POST", body=JOB, **{"Idempotency-Key": "a-1"}))
    put = {"token": PROVIDER_TOKEN}
    assert (await as_key(a, "providers", "ionq", "credentials", method="PUT", body=put)).code == 204
    model_id = _a_model(db_url, tenants.orgs["A"])

    # A sees its own things.
    assert body(await as_key(a, "jobs", job["id"]))["org_id"] == tenants.orgs["A"]
    assert [m["id"] for m in body(await as_key(a, "qml", "models"))["models"]] == [model_id]

    # B sees none of them, on every list and get route.
    for parts in (
        ("jobs", job["id"]),
        ("jobs", job["id"], "result"),
        ("jobs", job["id"], "events"),
        ("qml", "models", model_id),
        ("orgs", tenants.orgs["A"]),
        ("orgs", tenants.orgs["A"], "members"),
        ("orgs", tenants.orgs["A"], "plan"),
    ):
        assert (await as_key(b, *parts)).code == 404, parts
    assert body(await as_key(b, "jobs"))["jobs"] == []
    assert body(await as_key(b, "qml", "models"))["models"] == []
    orgs = [o["id"] for o in body(await as_key(b, "orgs"))["orgs"]]
    assert tenants.orgs["A"] not in orgs
    # The same idempotency key in another organisation makes another job.
    other = body(await as_key(b, "jobs", method="POST", body=JOB, **{"Idempotency-Key": "a-1"}))
    assert other["id"] != job["id"]

    providers = {p["name"]: p for p in body(await as_key(b, "providers"))["providers"]}
    assert providers["ionq"]["configured"] is False

    audit = await as_key(b, "security", "audit")
    actors = {entry["actor"] for entry in body(audit)["entries"]}
    assert actors <= {"bob", "bea"}
    export = (await as_key(b, "security", "audit", params={"format": "jsonl"})).body.decode()
    assert tenants.orgs["A"] not in export
    assert "max" not in {json.loads(line)["actor"] for line in export.splitlines()}

    # A's own audit chain has A's requests, in A's organisation.
    a_audit = body(await as_key(tenants.keys["admin"], "security", "audit"))["entries"]
    assert {e["org_id"] for e in a_audit} == {tenants.orgs["A"]}
    assert "max" in {e["actor"] for e in a_audit}


async def test_api_keys_are_listed_per_organisation(tenants: Tenants, api, jp_serverapp):
    services = jp_serverapp.web_app.settings["synq_services"]
    personal = body(
        await api("auth", "api-keys", method="POST", body={"name": "p", "scopes": ["jobs:read"]})
    )
    in_a = await api(
        "auth",
        "api-keys",
        method="POST",
        body={"name": "a", "scopes": ["jobs:read"]},
        headers={"X-Synq-Org": tenants.orgs["A"]},
    )
    in_a = body(in_a)
    mine = [k["id"] for k in body(await api("auth", "api-keys"))["keys"]]
    assert personal["id"] in mine
    assert in_a["id"] not in mine
    listed_in_a = await api("auth", "api-keys", headers={"X-Synq-Org": tenants.orgs["A"]})
    assert [k["id"] for k in body(listed_in_a)["keys"]] == [in_a["id"]]
    # Nobody else lists them, in the same organisation or not: keys belong to their owner.
    assert services.api_keys.authenticate(in_a["key"]).org_id == tenants.orgs["A"]
    assert all(k.id != in_a["id"] for k in services.api_keys.list("alice", tenants.orgs["A"]))


def _a_model(db_url: str, org_id: str) -> str:
    """A trained model row of organisation A (training is tested elsewhere)."""
    database = Database(db_url)
    with database.session() as session:
        session.add(
            QmlModel(
                id="model-of-a",
                owner="max",
                org_id=org_id,
                kind="qnn_classifier",
                name="a's model",
                model={"weights": [0.1]},
                metrics={"accuracy": 1.0},
                created_at=utcnow(),
            )
        )
    database.dispose()
    return "model-of-a"
