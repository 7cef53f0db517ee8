"""Organisations: members and roles, the tightest of role and scope, plans and quotas."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from functools import partial

import pytest
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.principal import local_owner
from synq_jupyter_server.security.audit_records import AuditFilter
from synq_jupyter_server.services.quotas import next_period_start
from tests.fixtures.tenants import Tenants

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"
JOB = {"kind": "sample", "source": BELL, "target": "aer_simulator", "shots": 64}


def body(response) -> dict:
    return json.loads(response.body)


def field_of(response) -> str:
    return body(response)["errors"][0]["field"]


async def set_plan(as_key, tenants: Tenants, **overrides) -> None:
    """Organisation A on the free plan with ``overrides``, set by the platform admin."""
    put = {"plan": "free", "overrides": overrides}
    admin, org_a = tenants.keys["platform_admin"], tenants.orgs["A"]
    response = await as_key(admin, "orgs", org_a, "plan", method="PUT", body=put)
    assert response.code == 200, body(response)


@sqlite_only
async def test_creating_an_organisation_makes_me_its_owner(api, db_url):
    created = body(await api("orgs", method="POST", body={"name": "Lab", "role": "viewer"}))
    assert created["role"] == "owner"  # a role in the body is ignored
    assert created["plan"] == "free"
    listed = body(await api("orgs"))["orgs"]
    assert listed[0]["personal"] is True
    assert [o["id"] for o in listed[1:]] == [created["id"]]
    members = body(await api("orgs", created["id"], "members"))["members"]
    assert [(m["username"], m["role"]) for m in members] == [(created["created_by"], "owner")]


@sqlite_only
async def test_my_personal_organisation_answers_from_my_first_request(api):
    """It was a 404 until something else (listing my organisations) had made it."""
    personal = f"personal:{local_owner()}"
    for call in (
        partial(api, "orgs", personal, "members", method="POST", body={"username": "x"}),
        partial(api, "orgs", personal, "members", local_owner(), method="DELETE"),
    ):
        with pytest.raises(HTTPClientError) as refused:
            await call()
        assert refused.value.code == 409, refused.value.response.body


@sqlite_only
async def test_members_see_their_organisation_and_outsiders_do_not(tenants: Tenants, as_key):
    org_a = tenants.orgs["A"]
    for persona in ("owner", "admin", "member", "viewer"):
        response = await as_key(tenants.keys[persona], "orgs", org_a)
        assert response.code == 200, persona
        assert body(response)["role"] == persona if persona != "owner" else "owner"
    for persona in ("other_admin", "other_member"):
        response = await as_key(tenants.keys[persona], "orgs", org_a)
        assert response.code == 404, persona
        listed = body(await as_key(tenants.keys[persona], "orgs"))["orgs"]
        assert org_a not in [o["id"] for o in listed]


@sqlite_only
async def test_roles_decide_who_manages_members(tenants: Tenants, as_key):
    org_a, keys = tenants.orgs["A"], tenants.keys
    add = {"username": "nia", "role": "viewer"}
    denied = await as_key(keys["member"], "orgs", org_a, "members", method="POST", body=add)
    assert denied.code == 403
    assert field_of(denied) == "role"
    added = await as_key(keys["admin"], "orgs", org_a, "members", method="POST", body=add)
    assert added.code == 201
    assert body(added)["added_by"] == "amy"

    owner = {"username": "ola", "role": "owner"}
    denied = await as_key(keys["admin"], "orgs", org_a, "members", method="POST", body=owner)
    assert denied.code == 403  # only owners make owners
    assert (
        await as_key(keys["owner"], "orgs", org_a, "members", method="POST", body=owner)
    ).code == 201

    promote = await as_key(
        keys["admin"], "orgs", org_a, "members", "nia", method="PATCH", body={"role": "member"}
    )
    assert body(promote)["role"] == "member"
    removed = await as_key(keys["admin"], "orgs", org_a, "members", "nia", method="DELETE")
    assert removed.code == 204
    names = [
        m["username"]
        for m in body(await as_key(keys["viewer"], "orgs", org_a, "members"))["members"]
    ]
    assert "nia" not in names
    assert "ola" in names


@sqlite_only
async def test_a_members_refused_request_is_in_the_organisations_audit_log(
    tenants: Tenants, as_key, jp_serverapp
):
    """It was in the member's personal log, where the organisation's admins never look;
    an outsider's stays in their own."""
    org_a, keys = tenants.orgs["A"], tenants.keys
    refused = await as_key(keys["viewer"], "orgs", org_a, method="PATCH", body={"name": "Mine"})
    assert refused.code == 403
    outsider = await as_key(keys["other_admin"], "orgs", org_a, method="PATCH", body={"name": "X"})
    assert outsider.code == 404
    services = jp_serverapp.web_app.settings["synq_services"]
    await asyncio.to_thread(services.audit.flush)
    entries, _ = services.audit.query(org_a, AuditFilter(), None, 50)
    refusals = [
        (e.actor, e.outcome) for e in entries if e.action == "PATCH /synq/api/orgs/{org_id}"
    ]
    assert refusals == [(tenants.users["viewer"], "403")]


@sqlite_only
async def test_removing_a_member_one_may_not_says_so(tenants: Tenants, as_key):
    """The refusal spoke of granting a role, though nothing was granted."""
    org_a, keys = tenants.orgs["A"], tenants.keys
    viewer = tenants.users["viewer"]
    denied = await as_key(keys["member"], "orgs", org_a, "members", viewer, method="DELETE")
    assert denied.code == 403
    assert body(denied)["detail"] == (
        "only an organisation admin may remove a member with the viewer role"
    )


@sqlite_only
async def test_nobody_changes_their_own_role_and_an_organisation_keeps_an_owner(
    tenants: Tenants, as_key
):
    org_a, keys = tenants.orgs["A"], tenants.keys
    own = await as_key(
        keys["admin"], "orgs", org_a, "members", "amy", method="PATCH", body={"role": "owner"}
    )
    assert own.code == 403
    assert body(own)["errors"] == [{"field": "role", "message": "nobody may change their own role"}]
    leaving = await as_key(keys["owner"], "orgs", org_a, "members", "alice", method="DELETE")
    assert leaving.code == 409
    assert body(leaving)["errors"][0]["field"] == "role"
    # A member may leave.
    assert (
        await as_key(keys["viewer"], "orgs", org_a, "members", "vic", method="DELETE")
    ).code == 204
    assert (await as_key(keys["viewer"], "jobs")).code == 403


@sqlite_only
async def test_the_body_cannot_choose_owner_organisation_or_role(tenants: Tenants, as_key):
    keys = tenants.keys
    smuggled = {**JOB, "owner": "bob", "org_id": tenants.orgs["B"], "role": "owner"}
    job = body(await as_key(keys["member"], "jobs", method="POST", body=smuggled))
    assert job["owner"] == "max"
    assert job["org_id"] == tenants.orgs["A"]
    assert (await as_key(keys["other_admin"], "jobs", job["id"])).code == 404
    renamed = await as_key(
        keys["admin"], "orgs", tenants.orgs["A"], method="PATCH", body={"name": "A2", "role": "x"}
    )
    assert body(renamed)["name"] == "A2"
    assert body(renamed)["role"] == "admin"


@sqlite_only
async def test_jobs_belong_to_the_organisation_and_roles_limit_changes(
    tenants: Tenants, as_key, jp_serverapp
):
    keys = tenants.keys
    # Nothing runs, so the jobs are still there to cancel when the admin does.
    await jp_serverapp.web_app.settings["synq_services"].scheduler.stop()
    job = body(await as_key(keys["member"], "jobs", method="POST", body=JOB))
    viewer_sees = await as_key(keys["viewer"], "jobs", job["id"])
    assert viewer_sees.code == 200
    listed = body(await as_key(keys["viewer"], "jobs"))["jobs"]
    assert [j["id"] for j in listed] == [job["id"]]
    assert (await as_key(keys["viewer"], "jobs", method="POST", body=JOB)).code == 403
    refused = await as_key(keys["viewer"], "jobs", job["id"], "cancel", method="POST")
    assert refused.code == 403

    other = body(await as_key(keys["admin"], "jobs", method="POST", body=JOB))
    not_theirs = await as_key(keys["member"], "jobs", other["id"], "cancel", method="POST")
    assert not_theirs.code == 403
    assert field_of(not_theirs) == "job_id"
    assert (await as_key(keys["admin"], "jobs", job["id"], "cancel", method="POST")).code == 200

    assert body(await as_key(keys["other_member"], "jobs"))["jobs"] == []
    assert (await as_key(keys["other_admin"], "jobs", job["id"], "result")).code == 404


@sqlite_only
async def test_a_key_acts_only_in_its_organisation(tenants: Tenants, as_key):
    elsewhere = await as_key(tenants.keys["member"], "jobs", **{"X-Synq-Org": tenants.orgs["B"]})
    assert elsewhere.code == 403
    assert field_of(elsewhere) == "X-Synq-Org"
    me = body(await as_key(tenants.keys["member"], "auth", "me"))
    assert (me["org_id"], me["org_role"]) == (tenants.orgs["A"], "member")


@sqlite_only
async def test_a_key_cannot_reach_another_of_its_owners_organisations_by_path(
    tenants: Tenants, as_key
):
    org_a, org_b, keys = tenants.orgs["A"], tenants.orgs["B"], tenants.keys
    add = {"username": "alice", "role": "admin"}
    assert (
        await as_key(keys["other_admin"], "orgs", org_b, "members", method="POST", body=add)
    ).code == 201
    # alice is an admin of B too, but her key was made for A.
    attempts = [
        await as_key(keys["owner"], "orgs", org_b, "members"),
        await as_key(keys["owner"], "orgs", org_b, method="PATCH", body={"name": "taken"}),
        await as_key(
            keys["owner"],
            "orgs",
            org_b,
            "members",
            method="POST",
            body={"username": "eve", "role": "admin"},
        ),
    ]
    for refused in attempts:
        assert refused.code == 403
        assert body(refused)["errors"][0] == {
            "field": "org_id",
            "message": f"this API key acts in {org_a}, not {org_b}",
        }
    members = body(await as_key(keys["other_admin"], "orgs", org_b, "members"))
    assert "eve" not in json.dumps(members)
    assert body(await as_key(keys["other_admin"], "orgs", org_b))["name"] == "Org B"
    assert (await as_key(keys["owner"], "orgs", org_a, "members")).code == 200


@sqlite_only
async def test_looking_up_someone_elses_personal_organisation_makes_none(api, problem):
    # The server's owner is a superadmin here: a role in every organisation that exists.
    for name in ("personal:bob", "personal:", "personal:%00"):
        with pytest.raises(HTTPClientError) as info:
            await api("orgs", name)
        assert info.value.code == 404
        assert problem(info.value)["errors"][0]["field"] == "org_id"
    mine = "personal:" + local_owner()
    listed = [o["id"] for o in body(await api("orgs", params={"all": "true"}))["orgs"]]
    assert [org for org in listed if org.startswith("personal:")] == [mine]
    assert body(await api("orgs", mine))["personal"] is True
    # Requiring MFA of a personal organisation's one member would not apply: refused.
    with pytest.raises(HTTPClientError) as info:
        await api("orgs", mine, method="PATCH", body={"require_mfa": True})
    assert info.value.code == 409
    assert "turn on MFA for your account" in problem(info.value)["detail"]
    assert problem(info.value)["errors"][0]["field"] == "require_mfa"
    assert body(await api("orgs", mine))["require_mfa"] is False


@sqlite_only
@pytest.mark.parametrize(
    ("parts", "body", "field"),
    [
        (("orgs",), {"name": " lab "}, "name"),
        (("orgs",), {"name": "\u202ebal"}, "name"),  # shows as "lab"
        (("orgs",), {"name": "   "}, "name"),
        (("auth", "api-keys"), {"name": "ci\x00", "scopes": ["jobs:read"]}, "name"),
        (("qml", "qnn", "train"), {"name": "m\n", "dataset": {"name": "moons"}}, "name"),
    ],
)
async def test_names_people_read_are_printable_and_trimmed(api, problem, parts, body, field):
    with pytest.raises(HTTPClientError) as info:
        await api(*parts, method="POST", body=body)
    assert info.value.code == 422
    assert problem(info.value)["errors"][0]["field"] == field


@sqlite_only
async def test_a_member_is_one_name_not_two_with_spaces(tenants: Tenants, as_key):
    org_a, owner = tenants.orgs["A"], tenants.keys["owner"]
    spaced = {"username": " max ", "role": "viewer"}
    refused = await as_key(owner, "orgs", org_a, "members", method="POST", body=spaced)
    assert (refused.code, field_of(refused)) == (422, "username")


@sqlite_only
async def test_the_server_login_picks_an_organisation_with_a_header(tenants: Tenants, api, problem):
    from tests.fixtures.refusals import refused

    job = body(
        await api("jobs", method="POST", body=JOB, headers={"X-Synq-Org": tenants.orgs["A"]})
    )
    assert job["org_id"] == tenants.orgs["A"]  # the server's owner is a superadmin
    mine = body(await api("jobs"))["jobs"]
    assert job["id"] not in [j["id"] for j in mine]  # the personal organisation by default
    # A superadmin may act anywhere there is: org_nope is not, whatever the route needs.
    for parts in (("jobs",), ("auth", "me")):
        error = await refused(api(*parts, headers={"X-Synq-Org": "org_nope"}))
        assert error.code == 404
        assert problem(error)["errors"][0]["field"] == "X-Synq-Org"


@sqlite_only
async def test_an_idempotency_key_belongs_to_one_organisation(tenants: Tenants, api, problem):
    from tests.fixtures.refusals import refused

    first = await api("jobs", method="POST", body=JOB, headers={"Idempotency-Key": "k-org"})
    assert first.code == 201
    elsewhere = {"Idempotency-Key": "k-org", "X-Synq-Org": tenants.orgs["A"]}
    error = await refused(api("jobs", method="POST", body=JOB, headers=elsewhere))
    assert error.code == 422
    assert problem(error)["errors"][0]["field"] == "Idempotency-Key"


@sqlite_only
async def test_plans_are_set_by_platform_admins_only(tenants: Tenants, as_key):
    org_a, keys = tenants.orgs["A"], tenants.keys
    plan = body(await as_key(keys["viewer"], "orgs", org_a, "plan"))
    assert plan["plan"] == "free"
    assert plan["quota"]["allowed_targets"] == ["aer_*"]
    upgrade = {"plan": "pro"}
    denied = await as_key(keys["owner"], "orgs", org_a, "plan", method="PUT", body=upgrade)
    assert denied.code == 403
    done = await as_key(keys["platform_admin"], "orgs", org_a, "plan", method="PUT", body=upgrade)
    assert body(done)["plan"] == "pro"
    assert body(done)["quota"]["max_qubits"] == 133
    for overrides, field in [
        ({"shots_per_month": 10**30}, "overrides.shots_per_month"),
        ({"concurrent_jobs": 2**63}, "overrides.concurrent_jobs"),
        ({"allowed_targets": ["aer_*", ""]}, "overrides.allowed_targets[1]"),
        ({"allowed_targets": ["["]}, "overrides.allowed_targets[0]"),
    ]:
        put = {"plan": "pro", "overrides": overrides}
        refused = await as_key(
            keys["platform_admin"], "orgs", org_a, "plan", method="PUT", body=put
        )
        assert (refused.code, field_of(refused)) == (422, field)
    # null makes a limit unlimited, the targets' too: every target (it was a 500).
    unlimited = {"plan": "free", "overrides": {"allowed_targets": None, "max_qubits": None}}
    done = await as_key(keys["platform_admin"], "orgs", org_a, "plan", method="PUT", body=unlimited)
    assert done.code == 200, body(done)
    assert body(done)["quota"]["allowed_targets"] == ["*"]
    assert body(done)["quota"]["max_qubits"] is None
    assert body(await as_key(keys["viewer"], "orgs", org_a, "plan"))["quota"][
        "allowed_targets"
    ] == ["*"]


@sqlite_only
async def test_quotas_are_enforced_at_submit_and_name_the_limit(tenants: Tenants, as_key):
    org_a, keys = tenants.orgs["A"], tenants.keys

    plan = partial(set_plan, as_key, tenants)

    hardware = await as_key(
        keys["member"], "jobs", method="POST", body={**JOB, "target": "ibm_brisbane"}
    )
    assert (hardware.code, field_of(hardware)) == (403, "allowed_targets")

    await plan(max_qubits=1)
    wide = await as_key(keys["member"], "jobs", method="POST", body=JOB)
    assert (wide.code, field_of(wide)) == (403, "max_qubits")

    await plan(shots_per_month=100)
    first = await as_key(keys["member"], "jobs", method="POST", body=JOB)
    assert first.code == 201
    again = await as_key(keys["member"], "jobs", method="POST", body=JOB)
    assert (again.code, field_of(again)) == (429, "shots_per_month")
    # Retry-After says when the month's count starts again, as the detail does.
    renewal = next_period_start()
    assert f"starts again on {renewal:%Y-%m-%d}" in body(again)["detail"]
    seconds = (renewal - datetime.now(timezone.utc)).total_seconds()
    assert abs(int(again.headers["Retry-After"]) - seconds) < 60
    # A job larger than a whole month is not told to wait: no month would take it.
    too_big = await as_key(keys["member"], "jobs", method="POST", body={**JOB, "shots": 101})
    assert (too_big.code, field_of(too_big)) == (403, "shots_per_month")
    assert "Retry-After" not in too_big.headers
    usage = body(await as_key(keys["viewer"], "orgs", org_a, "plan"))["usage"]
    assert usage["shots_this_month"] == 64

    await plan(concurrent_jobs=0)
    busy = await as_key(keys["member"], "jobs", method="POST", body=JOB)
    # A plan of no jobs at once: no wait helps, so it is what the plan excludes, as a job
    # larger than a month is, not a 429 to wait out.
    assert (busy.code, field_of(busy)) == (403, "concurrent_jobs")
    assert "Retry-After" not in busy.headers
    assert "allows no jobs at once" in body(busy)["detail"]
    # Another organisation's quota is its own.
    assert (await as_key(keys["other_member"], "jobs", method="POST", body=JOB)).code == 201


@sqlite_only
async def test_a_plan_busy_with_running_jobs_says_to_retry_in_a_few_seconds(
    tenants: Tenants, as_key, jp_serverapp
):
    """The 429 had no Retry-After: when a running job ends is not known, but one may end any
    moment, so a client is told to look again shortly."""
    from synq_jupyter_server.jobs.queue import Lease, NewJob

    await set_plan(as_key, tenants, concurrent_jobs=1)
    # A running job, held by a lease nobody renews or reaps during the test.
    queue = jp_serverapp.web_app.settings["synq_services"].scheduler.queue
    held = NewJob(kind="noop", target="aer_simulator", payload={}, org_id=tenants.orgs["A"])
    queue.submit("max", held, take=Lease("quota-test", seconds=3600))
    busy = await as_key(tenants.keys["member"], "jobs", method="POST", body=JOB)
    assert (busy.code, field_of(busy)) == (429, "concurrent_jobs")
    assert busy.headers["Retry-After"] == "5"


@sqlite_only
async def test_a_repeated_request_gets_its_job_even_at_the_plans_limits(tenants: Tenants, as_key):
    member = tenants.keys["member"]

    plan = partial(set_plan, as_key, tenants)

    await plan(shots_per_month=100)
    key = {"Idempotency-Key": "k-quota"}
    first = await as_key(member, "jobs", method="POST", body=JOB, **key)
    assert first.code == 201
    # A client repeating its request (after a timeout) gets its job, not the refusal that
    # job itself causes.
    again = await as_key(member, "jobs", method="POST", body=JOB, **key)
    assert (again.code, body(again)["id"]) == (200, body(first)["id"])
    await plan(concurrent_jobs=0)
    again = await as_key(member, "jobs", method="POST", body=JOB, **key)
    assert (again.code, body(again)["id"]) == (200, body(first)["id"])
    other = await as_key(member, "jobs", method="POST", body=JOB)
    assert (other.code, field_of(other)) == (403, "concurrent_jobs")


@sqlite_only
async def test_a_retry_counts_against_the_plan_as_a_new_job(tenants: Tenants, as_key, jp_serverapp):
    from synq_jupyter_server.jobs.queue import NewJob
    from synq_jupyter_server.jobs.states import JobScope

    org_a, keys = tenants.orgs["A"], tenants.keys
    member = keys["member"]

    plan = partial(set_plan, as_key, tenants)

    async def used() -> int:
        return body(await as_key(member, "orgs", org_a, "plan"))["usage"]["shots_this_month"]

    # A job cancelled while queued: both in one step of the event loop, so the scheduler
    # cannot take it in between.
    queue = jp_serverapp.web_app.settings["synq_services"].jobs.queue
    payload = {"source": BELL, "format": None, "target": "aer_simulator", "shots": 64, "seed": 1}
    job, _ = queue.submit("max", NewJob("sample", "aer_simulator", payload, org_id=org_a))
    queue.cancel(job.id, JobScope("max", org_a, admin=False))

    await plan(concurrent_jobs=0)
    retried = await as_key(member, "jobs", job.id, "retry", method="POST")
    assert (retried.code, field_of(retried)) == (403, "concurrent_jobs")
    # Some shots used this month, so that the limit below fits a run but not another one.
    await plan(shots_per_month=10**6)
    filler = body(await as_key(member, "jobs", method="POST", body={**JOB, "shots": 37}))
    await as_key(member, "jobs", filler["id"], "cancel", method="POST")
    await plan(shots_per_month=await used() + 63)  # one shot short of a second run
    retried = await as_key(member, "jobs", job.id, "retry", method="POST")
    assert (retried.code, field_of(retried)) == (429, "shots_per_month")
    before = await used()
    await plan(shots_per_month=before + 64)
    retried = await as_key(member, "jobs", job.id, "retry", method="POST")
    assert (retried.code, body(retried)["status"]) == (200, "queued")
    assert await used() == before + 64


@sqlite_only
async def test_an_organisation_can_require_mfa_of_its_members(tenants: Tenants, as_key):
    org_a, keys = tenants.orgs["A"], tenants.keys
    required = await as_key(
        keys["owner"], "orgs", org_a, method="PATCH", body={"require_mfa": True}
    )
    assert body(required)["require_mfa"] is True
    blocked = await as_key(keys["member"], "jobs")
    assert (blocked.code, field_of(blocked)) == (403, "mfa")
    assert (await as_key(keys["member"], "auth", "me")).code == 200  # to go and set it up
    assert (await as_key(keys["other_member"], "jobs")).code == 200


@pytest.mark.parametrize(
    ("now", "renewal"),
    [
        (datetime(2026, 11, 28, 4, 30, tzinfo=timezone.utc), datetime(2026, 12, 1)),
        (datetime(2026, 12, 31, 23, 59, 59, tzinfo=timezone.utc), datetime(2027, 1, 1)),
        (datetime(2027, 1, 31, 12, tzinfo=timezone.utc), datetime(2027, 2, 1)),
    ],
)
def test_the_shots_count_starts_again_on_the_first_of_next_month(now, renewal):
    assert next_period_start(now) == renewal.replace(tzinfo=timezone.utc)


@sqlite_only
async def test_a_non_member_changing_their_own_role_is_told_they_are_not_a_member(
    tenants: Tenants, as_key
):
    """A platform admin acts as an admin in every organisation without being a member; they
    were told that "nobody may change their own role", though they have none there. They get
    the answer any other non-member's name gets."""
    org_a, key = tenants.orgs["A"], tenants.keys["platform_admin"]
    for name in (tenants.users["platform_admin"], "nobody"):
        change = await as_key(
            key, "orgs", org_a, "members", name, method="PATCH", body={"role": "owner"}
        )
        assert change.code == 404
        assert body(change)["detail"] == f"no member {name}"
        assert body(change)["errors"] == [{"field": "username", "message": "not found"}]
