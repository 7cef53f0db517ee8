"""Threat detection on a running server: brute force and lockouts, unusual access,
impossible travel, exfiltration, escalation attempts, and the events and incidents routes.

The test server trusts ``X-Forwarded-For`` (as ``ServerApp.trust_xheaders`` makes a server
behind a proxy do), so each request comes from the address a test chooses; ``clock``
replaces threat detection's clock to move past lockouts. The rules' storage is tested on
both databases in ``test_threat_rules.py``; here the brute-force and escalation flows are.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pyotp
import pytest
from tornado.httpclient import HTTPResponse
from tornado.httpserver import HTTPServer

from synq_jupyter_server.jobs.states import personal_org
from synq_jupyter_server.security.audit_records import SYSTEM_ORG, AuditFilter
from synq_jupyter_server.security.threat_store import EventFilter

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
HOME = "192.0.2.10"
FORGED = "synq_00000000_" + "x" * 43
PLACES = {"198.51.100.0/24": ["Sydney", -33.87, 151.21], "203.0.113.0/24": ["London", 51.51, -0.13]}


@pytest.fixture
def synq_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    """``SynqApp`` settings a test overrides (``indirect`` parametrization)."""
    return dict(getattr(request, "param", {}))


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], synq_settings: dict[str, Any]):
    return {**jp_server_config, "SynqApp": {**jp_server_config["SynqApp"], **synq_settings}}


@pytest.fixture
def http_server(jp_asyncio_loop, http_server_port, jp_web_app):
    """pytest-jupyter's test server, with ``X-Forwarded-For`` trusted."""

    async def start() -> HTTPServer:
        server = HTTPServer(jp_web_app, xheaders=True)
        server.add_socket(http_server_port[0])
        return server

    server = jp_asyncio_loop.run_until_complete(start())
    yield server
    server.stop()


def configured(**settings: Any) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("synq_settings", [settings], indirect=True)


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def services(started):
    return started.web_app.settings["synq_services"]


@pytest.fixture
def clock(services) -> Clock:
    clock = Clock()
    services.threats.clock = clock
    return clock


@pytest.fixture
def send(jp_fetch, started):
    """A request from ``ip`` (the server's token unless ``auth`` says otherwise); errors are
    returned, not raised."""

    async def call(
        *parts: str, ip: str = HOME, auth: str | None = None, agent: str = "pytest", **kw: Any
    ) -> HTTPResponse:
        headers = {"X-Forwarded-For": ip, "User-Agent": agent, **kw.pop("headers", {})}
        if auth is not None:
            headers["Authorization"] = auth
        body = kw.pop("body", None)
        if body is not None and not isinstance(body, str):
            body = json.dumps(body)
        response: HTTPResponse = await jp_fetch(
            "synq", "api", *parts, headers=headers, body=body, raise_error=False, **kw
        )
        return response

    return call


@pytest.fixture
def make_key(send):
    async def make(*scopes: str) -> dict[str, Any]:
        body = {"name": "threats", "scopes": list(scopes)}
        response = await send("auth", "api-keys", method="POST", body=body)
        assert response.code == 201
        return dict(json.loads(response.body))

    return make


@pytest.fixture
def me(send):
    async def name() -> str:
        return str(json.loads((await send("auth", "me")).body)["username"])

    return name


async def written(services) -> None:
    """Waits until threat detection and then the audit log have written what they hold."""
    await asyncio.to_thread(services.threats.flush)
    await asyncio.to_thread(services.audit.flush)


def assert_locked_out(response: HTTPResponse, most: int) -> None:
    assert response.code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= most
    assert response.headers["Content-Type"] == "application/problem+json"
    [error] = json.loads(response.body)["errors"]
    assert error["field"] == "lockout"


# Brute force


async def test_the_sixth_failure_within_15_minutes_opens_exactly_one_incident_and_locks_out(
    send, make_key, services, clock
):
    key = await make_key("jobs:read")
    bearer = f"Bearer {key['key']}"
    for _ in range(5):
        assert (await send("jobs", auth=f"Bearer {FORGED}")).code == 401
        clock.now += 60
    assert (await send("jobs", auth=bearer)).code == 200
    assert (await send("jobs", auth=f"Bearer {FORGED}")).code == 401  # the sixth

    # Refused before authentication: the right key, and the server's token, too.
    assert_locked_out(await send("jobs", auth=bearer), 60)
    assert_locked_out(await send("jobs"), 60)
    assert (await send("jobs", ip="192.0.2.11", auth=bearer)).code == 200

    await written(services)
    [incident], _ = services.threats.store.incidents(SYSTEM_ORG, None, None, 10)
    assert (incident.rule, incident.subject) == ("brute_force", f"ip:{HOME}")
    assert (incident.severity, incident.status, incident.event_count) == ("high", "open", 1)
    brute_force = AuditFilter(action="security.brute_force")
    entries, _ = services.audit.query(SYSTEM_ORG, brute_force, None, 10)
    assert [e.target for e in entries] == [f"ip:{HOME}"]
    assert services.audit.verify(SYSTEM_ORG).ok

    # After the lockout, one more failure locks out again for twice as long, and adds to
    # the open incident instead of opening another.
    clock.now += 61
    assert (await send("jobs", auth=bearer)).code == 200
    assert (await send("jobs", auth=f"Bearer {FORGED}")).code == 401
    assert_locked_out(await send("jobs", auth=bearer), 120)
    await written(services)
    [incident], _ = services.threats.store.incidents(SYSTEM_ORG, None, None, 10)
    assert incident.event_count == 2
    events, _ = services.threats.store.events(SYSTEM_ORG, EventFilter(), None, 10)
    assert [e.details["lockout_s"] for e in events] == [120, 60]


@sqlite_only
async def test_guessing_the_servers_token_locks_out_too(send, services, clock):
    for _ in range(6):
        assert (await send("jobs", auth="token not-the-token")).code == 403
    assert_locked_out(await send("jobs"), 60)
    await written(services)
    [incident], _ = services.threats.store.incidents(SYSTEM_ORG, None, None, 10)
    assert incident.subject == f"ip:{HOME}"


@sqlite_only
async def test_failures_spread_over_more_than_15_minutes_never_lock(send, services, clock):
    for _ in range(12):
        assert (await send("jobs", auth=f"Bearer {FORGED}")).code == 401
        clock.now += 181
    assert (await send("jobs")).code == 200
    await written(services)
    assert services.threats.store.incidents(SYSTEM_ORG, None, None, 10) == ([], None)


@sqlite_only
async def test_failures_with_a_keys_prefix_from_many_addresses_lock_out_its_owner(
    send, make_key, services, clock, me
):
    owner = await me()
    key = await make_key("jobs:read")
    guess = f"Bearer {key['prefix']}_{'y' * 43}"
    for n in range(6):
        assert (await send("jobs", ip=f"198.18.0.{n}", auth=guess)).code == 401
        await asyncio.to_thread(services.threats.flush)
    # The owner, wherever they are and however they sign in, waits out the lockout.
    assert_locked_out(await send("jobs", ip="198.18.1.1", auth=f"Bearer {key['key']}"), 60)
    assert_locked_out(await send("jobs", ip="198.18.1.2"), 60)

    clock.now += 61
    page = json.loads((await send("security", "incidents")).body)
    [incident] = page["incidents"]
    assert (incident["rule"], incident["subject"]) == ("brute_force", f"user:{owner}")
    assert incident["org_id"] == personal_org(owner)
    detail = json.loads((await send("security", "incidents", incident["id"])).body)
    [event] = detail["events"]
    assert event["details"]["failures"] == 6
    assert event["ip"] == "198.18.0.5"
    # No single address failed often enough to be locked out on its own.
    assert services.threats.store.incidents(SYSTEM_ORG, None, None, 10) == ([], None)


@sqlite_only
async def test_wrong_totp_codes_for_a_valid_key_lock_out_its_owner(
    send, make_key, services, clock, me
):
    owner = await me()
    key = await make_key("jobs:read")
    enrolment = await asyncio.to_thread(services.mfa.setup, owner)
    totp = pyotp.TOTP(enrolment.secret)
    await asyncio.to_thread(services.mfa.verify, owner, totp.now())
    near = {totp.at(clock.now + step * 30) for step in (-1, 0, 1)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in near)
    bearer = f"Bearer {key['key']}"
    for n in range(6):
        ip = f"198.18.2.{n}"
        response = await send(
            "auth", "tokens", method="POST", body={"totp": wrong}, ip=ip, auth=bearer
        )
        assert response.code == 401
    assert_locked_out(await send("jobs", ip="198.18.3.1", auth=bearer), 60)
    await written(services)
    [incident], _ = services.threats.store.incidents(personal_org(owner), None, None, 10)
    assert (incident.rule, incident.subject) == ("brute_force", f"user:{owner}")


@sqlite_only
async def test_wrong_totp_codes_for_a_sensitive_action_lock_out_as_at_the_token_exchange(
    send, services, clock, me
):
    """A signed-in session could guess codes for a new API key or for disabling MFA without
    end (403 or 422 each time, never counted); each wrong code is now a failed
    authentication of the address and the user."""
    owner = await me()
    enrolment = await asyncio.to_thread(services.mfa.setup, owner)
    totp = pyotp.TOTP(enrolment.secret)
    await asyncio.to_thread(services.mfa.verify, owner, totp.now())
    near = {totp.at(clock.now + step * 30) for step in (-1, 0, 1)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in near)
    body = {"name": "guess", "scopes": ["jobs:read"], "totp": wrong}
    for n in range(3):
        response = await send("auth", "api-keys", method="POST", body=body, ip=f"198.18.4.{n}")
        assert response.code == 403
        assert json.loads(response.body)["errors"][0]["field"] == "totp"
    for n in range(3):
        ip = f"198.18.6.{n}"
        response = await send("auth", "mfa", "disable", method="POST", body={"code": wrong}, ip=ip)
        assert response.code == 422
        assert json.loads(response.body)["errors"][0]["field"] == "code"
    assert_locked_out(await send("jobs", ip="198.18.5.1"), 60)


# Unusual access and impossible travel


@sqlite_only
@configured(unusual_access_learning=0)
async def test_a_new_address_or_user_agent_after_the_first_use_is_an_event(send, services, me):
    owner = await me()  # the first use: the baseline, no event
    await send("jobs", ip=HOME, agent="pytest")
    await send("jobs", ip="192.0.2.20", agent="pytest")
    await send("jobs", ip="192.0.2.20", agent="curl/8.5")
    await send("jobs", ip=HOME, agent="curl/8.5")
    await written(services)
    page = json.loads((await send("security", "events")).body)
    seen = [(e["kind"], e["severity"], e["ip"], e["user_agent"]) for e in page["events"]]
    assert seen == [
        ("new_user_agent", "low", "192.0.2.20", "curl/8.5"),
        ("new_ip", "medium", "192.0.2.20", "pytest"),
    ]
    assert all(e["incident_id"] is None for e in page["events"])
    entries, _ = services.audit.query(personal_org(owner), AuditFilter(), None, 100)
    assert {"security.new_ip", "security.new_user_agent"} <= {e.action for e in entries}


@sqlite_only
async def test_new_addresses_join_the_baseline_silently_while_it_is_learning(send, services):
    for n in range(3):
        assert (await send("jobs", ip=f"192.0.2.{30 + n}", agent=f"agent/{n}")).code == 200
    await written(services)
    assert json.loads((await send("security", "events")).body)["events"] == []


@sqlite_only
@configured(ip_locations=PLACES)
async def test_sydney_then_london_a_minute_later_opens_an_impossible_travel_incident(
    send, services, clock, me
):
    owner = await me()
    assert (await send("jobs", ip="198.51.100.7")).code == 200
    clock.now += 60
    assert (await send("jobs", ip="203.0.113.9")).code == 200
    clock.now += 30 * 3600  # back home, a day and a half later: possible
    assert (await send("jobs", ip="198.51.100.7")).code == 200
    await written(services)
    page = json.loads((await send("security", "incidents")).body)
    [incident] = page["incidents"]
    assert (incident["rule"], incident["severity"]) == ("impossible_travel", "high")
    assert incident["subject"] == f"user:{owner}"
    detail = json.loads((await send("security", "incidents", incident["id"])).body)
    [event] = detail["events"]
    assert event["details"]["from"] == {"ip": "198.51.100.7", "place": "Sydney"}
    assert event["details"]["to"] == {"ip": "203.0.113.9", "place": "London"}
    assert event["details"]["kmh"] > 900


# Exfiltration


@sqlite_only
@configured(exfiltration_bytes=20_000)
async def test_more_bytes_than_the_limit_within_the_hour_opens_one_exfiltration_incident(
    send, services
):
    spec = await send("openapi.json")
    assert len(spec.body) > 20_000
    again = await send("openapi.json")
    await written(services)
    events, _ = services.threats.store.events(
        personal_org(await me_of(send)), EventFilter(kind="exfiltration"), None, 10
    )
    assert [e.details["bytes"] for e in events] == [len(again.body), len(spec.body)]
    [incident] = json.loads((await send("security", "incidents")).body)["incidents"]
    assert (incident["rule"], incident["event_count"]) == ("exfiltration", 2)


@sqlite_only
@configured(exfiltration_bytes=2_000)
async def test_streamed_exports_count_towards_exfiltration(send, services):
    for n in range(40):  # audit entries to export
        await send("jobs", method="POST", body={"kind": f"nope{n}"})
    await written(services)
    export = await send("security", "audit", params={"format": "jsonl"})
    assert len(export.body) > 2_000
    await written(services)
    [event], _ = services.threats.store.events(
        personal_org(await me_of(send)), EventFilter(kind="exfiltration"), None, 10
    )
    assert event.details["path"] == "/synq/api/security/audit"
    assert event.details["bytes"] >= len(export.body)


async def me_of(send) -> str:
    return str(json.loads((await send("auth", "me")).body)["username"])


# Privilege escalation


async def test_a_key_reaching_for_a_scope_it_lacks_is_an_escalation_attempt(
    send, make_key, services, me
):
    owner = await me()
    key = await make_key("jobs:read")
    bearer = f"Bearer {key['key']}"
    for _ in range(2):
        assert (await send("security", "events", auth=bearer)).code == 403
    assert (await send("jobs", auth=bearer)).code == 200
    await written(services)
    [incident] = json.loads((await send("security", "incidents")).body)["incidents"]
    assert (incident["rule"], incident["severity"]) == ("privilege_escalation", "medium")
    assert (incident["subject"], incident["event_count"]) == (f"user:{owner}", 2)
    events = json.loads((await send("security", "events")).body)["events"]
    assert [e["details"]["refusal"] for e in events] == ["scope", "scope"]
    assert {e["incident_id"] for e in events} == {incident["id"]}
    entries, _ = services.audit.query(
        personal_org(owner), AuditFilter(action="security.privilege_escalation"), None, 10
    )
    assert len(entries) == 2


# The routes


@pytest.fixture
def attempts(send, make_key, services):
    """``count`` escalation attempts by a key without org:admin: real events to read."""

    async def make(count: int) -> None:
        key = await make_key("jobs:read")
        for _ in range(count):
            await send("security", "incidents", auth=f"Bearer {key['key']}")
        await written(services)

    return make


@sqlite_only
async def test_events_page_newest_first_and_filter(send, attempts, me):
    await attempts(3)
    first = json.loads((await send("security", "events", params={"limit": 2})).body)
    second_params = {"limit": 2, "cursor": first["next_cursor"]}
    second = json.loads((await send("security", "events", params=second_params)).body)
    ids = [e["id"] for e in first["events"] + second["events"]]
    assert len(ids) == 3
    assert ids == sorted(ids, reverse=True)
    assert second["next_cursor"] is None
    owner = await me()
    mine = {"kind": "privilege_escalation", "principal": owner, "since": "2020-01-01T00:00:00Z"}
    assert len(json.loads((await send("security", "events", params=mine)).body)["events"]) == 3
    for params in ({"kind": "new_ip"}, {"principal": "someone-else"}, {"since": "2999-01-01"}):
        assert json.loads((await send("security", "events", params=params)).body)["events"] == []


@sqlite_only
async def test_an_incident_is_acknowledged_then_resolved_and_a_new_one_opens(send, attempts, me):
    await attempts(1)
    [incident] = json.loads((await send("security", "incidents")).body)["incidents"]
    path = ("security", "incidents", incident["id"])
    body = {"status": "acknowledged", "note": "the CI key, being rotated"}
    acked = json.loads((await send(*path, method="PATCH", body=body)).body)
    assert (acked["status"], acked["note"], acked["changed_by"]) == (
        "acknowledged",
        "the CI key, being rotated",
        await me(),
    )
    resolved = json.loads((await send(*path, method="PATCH", body={"status": "resolved"})).body)
    assert resolved["status"] == "resolved"
    assert resolved["resolved_at"] is not None
    await attempts(1)
    listed = json.loads((await send("security", "incidents")).body)["incidents"]
    assert [i["status"] for i in listed] == ["open", "resolved"]
    only_open = json.loads((await send("security", "incidents", params={"status": "open"})).body)
    assert [i["id"] for i in only_open["incidents"]] == [listed[0]["id"]]


@sqlite_only
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "open"}, "status"),
        ({"status": "resolved", "severity": "low"}, "severity"),
        ({"note": "no status"}, "status"),
        ({"status": "resolved", "note": "x" * 2001}, "note"),
        # NUL is no text PostgreSQL can store; a bidi override shows another note than stored.
        ({"status": "acknowledged", "note": "rotated\u0000"}, "note"),
        ({"status": "acknowledged", "note": "key \u202erotated"}, "note"),
    ],
)
async def test_a_bad_incident_update_is_422_naming_the_field(send, attempts, body, field):
    await attempts(1)
    [incident] = json.loads((await send("security", "incidents")).body)["incidents"]
    response = await send("security", "incidents", incident["id"], method="PATCH", body=body)
    assert response.code == 422
    assert [e["field"] for e in json.loads(response.body)["errors"]] == [field]


@sqlite_only
async def test_a_resolved_incident_cannot_be_reopened(send, attempts):
    await attempts(1)
    [incident] = json.loads((await send("security", "incidents")).body)["incidents"]
    path = ("security", "incidents", incident["id"])
    assert (await send(*path, method="PATCH", body={"status": "resolved"})).code == 200
    response = await send(*path, method="PATCH", body={"status": "acknowledged"})
    assert response.code == 422
    assert json.loads(response.body)["errors"][0]["field"] == "status"


@sqlite_only
async def test_an_unknown_incident_is_404(send):
    for method, body in (("GET", None), ("PATCH", {"status": "resolved"})):
        response = await send("security", "incidents", "f" * 32, method=method, body=body)
        assert response.code == 404


@sqlite_only
async def test_an_api_key_needs_org_admin_to_read_events_and_incidents(send, make_key):
    admin = f"Bearer {(await make_key('org:admin'))['key']}"
    for route in (("security", "events"), ("security", "incidents")):
        assert (await send(*route, auth=admin)).code == 200
    reader = f"Bearer {(await make_key('jobs:read'))['key']}"
    response = await send("security", "events", auth=reader)
    assert response.code == 403
    assert json.loads(response.body)["errors"][0]["field"] == "scope"


@sqlite_only
@pytest.mark.parametrize(
    ("route", "params", "field"),
    [
        ("events", {"kind": "nonsense"}, "kind"),
        ("events", {"limit": "0"}, "limit"),
        ("events", {"since": "yesterday"}, "since"),
        ("events", {"cursor": "garbage"}, "cursor"),
        ("incidents", {"status": "closed"}, "status"),
        ("incidents", {"cursor": "garbage"}, "cursor"),
    ],
)
async def test_bad_queries_are_422_naming_the_field(send, route, params, field):
    response = await send("security", route, params=params)
    assert response.code == 422
    assert [e["field"] for e in json.loads(response.body)["errors"]] == [field]
