"""The hash-chained audit log: appends, verification, reads, export, routes and the hook."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import delete, insert, update

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.migrate import upgrade
from synq_jupyter_server.db.models import AuditEntry, AuditHead
from synq_jupyter_server.jobs.states import personal_org
from synq_jupyter_server.page_cursor import encode_cursor
from synq_jupyter_server.security.audit import AuditService
from synq_jupyter_server.security.audit_records import (
    GENESIS,
    SYSTEM_ORG,
    AuditEvent,
    AuditFilter,
    entry_hash,
)
from tests.fixtures.refusals import refused

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
ORG = "personal:alice"
T0 = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    upgrade(database)
    yield database
    database.dispose()


@pytest.fixture
def audit(database: Database) -> Iterator[AuditService]:
    service = AuditService(database)
    yield service
    service.close()


def event(n: int, org_id: str = ORG, **fields: Any) -> AuditEvent:
    values: dict[str, Any] = {
        "actor": "alice",
        "action": "POST /synq/api/jobs",
        "outcome": "201",
        "target": f"job{n}",
        "ip": "127.0.0.1",
        "user_agent": "pytest",
        "details": {"n": n},
        "created_at": T0 + timedelta(minutes=n),
    }
    return AuditEvent(org_id=org_id, **{**values, **fields})


def fill(audit: AuditService, count: int, org_id: str = ORG) -> None:
    for n in range(1, count + 1):
        audit.append(event(n, org_id))


def tamper(database: Database, statement: Any) -> None:
    with database.engine.begin() as connection:
        assert connection.execute(statement).rowcount == 1


def entry(seq: int, org_id: str = ORG) -> Any:
    return (AuditEntry.org_id == org_id) & (AuditEntry.seq == seq)


# The chain


def test_appends_form_a_chain_that_verifies(audit):
    first = audit.append(event(1))
    second = audit.append(event(2))
    assert (first.seq, first.prev_hash) == (1, GENESIS)
    assert (second.seq, second.prev_hash) == (2, first.hash)
    assert second.hash == entry_hash(second.as_json())
    report = audit.verify(ORG)
    assert report.ok
    assert (report.checked, report.head_seq, report.head_hash) == (2, 2, second.hash)


def test_an_empty_log_verifies(audit):
    report = audit.verify(ORG)
    assert report.ok
    assert (report.checked, report.head_seq, report.head_hash) == (0, 0, GENESIS)


def test_stored_entries_read_back_as_appended(audit):
    appended = audit.append(event(1, details={"tags": ("a", "b")}, user_agent="x\x00y"))
    [stored], _ = audit.query(ORG, AuditFilter(), None, 10)
    assert stored == appended
    assert stored.details == {"tags": ["a", "b"]}
    assert stored.user_agent == "xy"
    assert stored.created_at == T0 + timedelta(minutes=1)


def test_details_that_are_not_json_are_refused(audit):
    with pytest.raises(ValueError):  # noqa: PT011  json's own error for NaN
        audit.append(event(1, details={"x": float("nan")}))
    assert audit.verify(ORG).head_seq == 0


EDITS = {
    "actor": "mallory",
    "action": "DELETE /synq/api/jobs/{job_id}",
    "target": "job99",
    "created_at": datetime(2020, 1, 1, tzinfo=timezone.utc),
    "ip": "10.6.6.6",
    "user_agent": "curl",
    "outcome": "403",
    "details": {"n": 99},
    "prev_hash": "f" * 64,
    "hash": "e" * 64,
}


@pytest.mark.parametrize(("field", "value"), EDITS.items(), ids=EDITS.keys())
def test_editing_any_field_of_a_middle_entry_is_detected(audit, database, field, value):
    fill(audit, 5)
    tamper(database, update(AuditEntry).where(entry(3)).values({field: value}))
    report = audit.verify(ORG)
    assert not report.ok
    assert report.broken is not None
    assert (report.broken.seq, report.broken.kind) == (3, "edited")
    assert report.checked == 3


def test_an_edited_entry_given_a_fresh_hash_breaks_the_next_link(audit, database):
    fill(audit, 5)
    [third] = [r for r in audit.query(ORG, AuditFilter(), None, 10)[0] if r.seq == 3]
    forged = {**third.as_json(), "actor": "mallory"}
    values = {"actor": "mallory", "hash": entry_hash(forged)}
    tamper(database, update(AuditEntry).where(entry(3)).values(values))
    broken = audit.verify(ORG).broken
    assert broken is not None
    assert (broken.seq, broken.kind) == (4, "broken_link")


def test_deleting_a_middle_entry_is_detected(audit, database):
    fill(audit, 5)
    tamper(database, delete(AuditEntry).where(entry(3)))
    broken = audit.verify(ORG).broken
    assert broken is not None
    assert (broken.seq, broken.kind) == (3, "deleted")
    assert broken.detail == "entry 3 is missing"


def test_deleting_the_last_entries_is_detected(audit, database):
    fill(audit, 5)
    tamper(database, delete(AuditEntry).where(entry(5)))
    broken = audit.verify(ORG).broken
    assert broken is not None
    assert (broken.seq, broken.kind) == (5, "deleted")
    tamper(database, delete(AuditEntry).where(entry(4)))
    broken = audit.verify(ORG).broken
    assert broken is not None
    assert (broken.seq, broken.detail) == (4, "entries 4 to 5 are missing")


def test_deleting_the_last_entry_with_the_head_is_detected(audit, database):
    fill(audit, 3)
    tamper(database, delete(AuditEntry).where(entry(3)))
    tamper(database, delete(AuditHead).where(AuditHead.org_id == ORG))
    broken = audit.verify(ORG).broken
    assert broken is not None
    assert broken.kind == "head"


def test_rewriting_the_last_entry_with_a_fresh_hash_is_detected(audit, database):
    fill(audit, 3)
    [last], _ = audit.query(ORG, AuditFilter(), None, 1)
    forged = {**last.as_json(), "outcome": "200"}
    values = {"outcome": "200", "hash": entry_hash(forged)}
    tamper(database, update(AuditEntry).where(entry(3)).values(values))
    broken = audit.verify(ORG).broken
    assert broken is not None
    assert (broken.seq, broken.kind) == (3, "edited")


def test_an_entry_added_behind_the_logs_back_is_detected(audit, database):
    fill(audit, 2)
    [last], _ = audit.query(ORG, AuditFilter(), None, 1)
    forged = {**last.as_json(), "seq": 3, "prev_hash": last.hash}
    row = {**forged, "created_at": last.created_at, "hash": entry_hash(forged)}
    with database.engine.begin() as connection:
        connection.execute(insert(AuditEntry).values(row))
    broken = audit.verify(ORG).broken
    assert broken is not None
    assert (broken.seq, broken.kind) == (3, "head")


def test_concurrent_appends_from_several_writers_keep_one_chain(db_url, audit):
    writers, each = 4, 15
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(w: int) -> None:
        # Each writer has its own engine, as separate server processes would.
        database = Database(db_url)
        service = AuditService(database)
        try:
            start.wait()
            for n in range(each):
                service.append(event(n, details={"writer": w, "n": n}))
        except BaseException as exc:
            errors.append(exc)
        finally:
            service.close()
            database.dispose()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = audit.verify(ORG)
    assert report.ok, report.broken
    assert report.checked == report.head_seq == writers * each
    entries, _ = audit.query(ORG, AuditFilter(), None, 500)
    written = {(e.details["writer"], e.details["n"]) for e in entries}
    assert written == {(w, n) for w in range(writers) for n in range(each)}


def test_queued_appends_are_written_in_order_by_flush(audit):
    futures = [audit.append_later(event(n)) for n in range(1, 4)]
    audit.flush()
    assert [f.result().seq for f in futures] == [1, 2, 3]
    assert audit.verify(ORG).checked == 3


# Reading back


def test_query_filters_by_actor_action_outcome_and_time(audit):
    audit.append(event(1, actor="bob"))
    audit.append(event(2, action="auth.key_revoked", outcome="ok"))
    audit.append(event(3, outcome="422"))
    audit.append(event(4))

    def seqs(**filters: Any) -> list[int]:
        entries, _ = audit.query(ORG, AuditFilter(**filters), None, 10)
        return [e.seq for e in entries]

    assert seqs() == [4, 3, 2, 1]
    assert seqs(actor="bob") == [1]
    assert seqs(action="auth.key_revoked") == [2]
    assert seqs(outcome="422") == [3]
    assert seqs(since=T0 + timedelta(minutes=2)) == [4, 3, 2]
    assert seqs(until=T0 + timedelta(minutes=2)) == [1]
    naive = (T0 + timedelta(minutes=3)).replace(tzinfo=None)
    assert seqs(since=naive, actor="alice") == [4, 3]


def test_query_pages_newest_first_with_a_cursor(audit):
    fill(audit, 5)
    seen, cursor, pages = [], None, 0
    while True:
        entries, cursor = audit.query(ORG, AuditFilter(), cursor, 2)
        seen += [e.seq for e in entries]
        pages += 1
        if cursor is None:
            break
    assert seen == [5, 4, 3, 2, 1]
    assert pages == 3
    audit.append(event(6))
    entries, _ = audit.query(ORG, AuditFilter(), audit.query(ORG, AuditFilter(), None, 2)[1], 2)
    assert [e.seq for e in entries] == [4, 3]


FORGED = {
    "garbage": "not-a-cursor",
    "a string for an id": encode_cursor("audit", "x"),
    "an id past 64 bits": encode_cursor("audit", 10**30),
    "2**63": encode_cursor("audit", 2**63),
    "true for an id": encode_cursor("audit", True),
    "a negative id": encode_cursor("audit", -1),
    "another list's": encode_cursor("events", 5),
    "the old shape": "WzVd",  # [5]
}
"""Cursors no audit page returned: ids past 64 bits and `true` were database errors (500)."""


@pytest.mark.parametrize("cursor", FORGED.values(), ids=FORGED.keys())
def test_a_cursor_not_from_the_api_is_refused(audit, cursor):
    fill(audit, 3)
    with pytest.raises(SynqInputError) as info:
        audit.query(ORG, AuditFilter(), cursor, 2)
    assert info.value.field == "cursor"


def test_jsonl_export_parses_back_and_verifies_offline(audit):
    fill(audit, 5)
    text = "".join(audit.export(ORG, AuditFilter(), "jsonl", page_size=2))
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3, 4, 5]
    previous = GENESIS
    for line in lines:
        assert line["prev_hash"] == previous
        assert entry_hash(line) == line["hash"]
        previous = line["hash"]
    assert lines[0]["details"] == {"n": 1}
    assert lines[0]["created_at"] == "2026-11-26T12:01:00.000000+00:00"


def test_csv_export_parses_back_with_formulas_defused(audit):
    fill(audit, 2)
    audit.append(event(3, user_agent="=HYPERLINK(1)", target=None))
    text = "".join(audit.export(ORG, AuditFilter(), "csv", page_size=2))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["seq"] for row in rows] == ["1", "2", "3"]
    assert json.loads(rows[0]["details"]) == {"n": 1}
    assert rows[0]["actor"] == "alice"
    assert rows[2]["user_agent"] == "'=HYPERLINK(1)"
    assert rows[2]["target"] == ""
    assert rows[1]["hash"] == rows[2]["prev_hash"]


def test_export_applies_filters(audit):
    audit.append(event(1, outcome="403"))
    audit.append(event(2))
    text = "".join(audit.export(ORG, AuditFilter(outcome="403"), "jsonl"))
    assert [json.loads(line)["seq"] for line in text.splitlines()] == [1]


def test_another_orgs_entries_are_invisible(audit, database):
    fill(audit, 3)
    fill(audit, 2, org_id="personal:bob")
    entries, _ = audit.query(ORG, AuditFilter(), None, 10)
    assert {e.org_id for e in entries} == {ORG}
    assert len(entries) == 3
    exported = "".join(audit.export(ORG, AuditFilter(), "jsonl"))
    assert "personal:bob" not in exported
    tamper(database, delete(AuditEntry).where(entry(1, "personal:bob")))
    assert audit.verify(ORG).ok
    assert audit.verify(ORG).checked == 3
    assert not audit.verify("personal:bob").ok


# Routes (SQLite: the service tests above cover PostgreSQL)


@pytest.fixture
def services(jp_serverapp, started):
    return jp_serverapp.web_app.settings["synq_services"]


@pytest.fixture
def me(api):
    async def name() -> str:
        return str(json.loads((await api("auth", "me")).body)["username"])

    return name


@sqlite_only
async def test_audit_route_pages_my_orgs_entries_only(api, services, me):
    mine = personal_org(await me())
    fill(services.audit, 3, org_id=mine)
    fill(services.audit, 2, org_id="personal:someone-else")
    first = json.loads((await api("security", "audit", params={"limit": 2})).body)
    assert [e["seq"] for e in first["entries"]] == [3, 2]
    assert {e["org_id"] for e in first["entries"]} == {mine}
    params = {"limit": 2, "cursor": first["next_cursor"]}
    second = json.loads((await api("security", "audit", params=params)).body)
    assert [e["seq"] for e in second["entries"]] == [1]
    assert second["next_cursor"] is None
    since = (T0 + timedelta(minutes=2)).isoformat().replace("+00:00", "Z")
    filtered = json.loads((await api("security", "audit", params={"since": since})).body)
    assert [e["seq"] for e in filtered["entries"]] == [3, 2]


@sqlite_only
async def test_audit_route_exports_jsonl_and_csv(api, services, me):
    fill(services.audit, 3, org_id=personal_org(await me()))
    jsonl = await api("security", "audit", params={"format": "jsonl"})
    assert jsonl.headers["Content-Type"] == "application/x-ndjson"
    assert "synq-audit.jsonl" in jsonl.headers["Content-Disposition"]
    lines = [json.loads(line) for line in jsonl.body.decode().splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3]
    assert all(entry_hash(line) == line["hash"] for line in lines)
    exported = await api("security", "audit", params={"format": "csv", "actor": "alice"})
    assert exported.headers["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.body.decode())))
    assert [row["hash"] for row in rows] == [line["hash"] for line in lines]


@sqlite_only
async def test_audit_verify_route_reports_a_deleted_entry(api, services, me):
    mine = personal_org(await me())
    fill(services.audit, 4, org_id=mine)
    report = json.loads((await api("security", "audit", "verify")).body)
    assert report["ok"] is True
    assert (report["checked"], report["head_seq"], report["broken"]) == (4, 4, None)
    tamper(services.database, delete(AuditEntry).where(entry(2, mine)))
    report = json.loads((await api("security", "audit", "verify")).body)
    assert report["ok"] is False
    assert report["broken"] == {"seq": 2, "kind": "deleted", "detail": "entry 2 is missing"}


@sqlite_only
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"format": "xml"}, "format"),
        ({"limit": "0"}, "limit"),
        ({"since": "yesterday"}, "since"),
        ({"cursor": "garbage"}, "cursor"),
        # An export holds every matching entry: a page's limit or cursor was ignored.
        ({"format": "jsonl", "limit": "2"}, "limit"),
        ({"format": "csv", "cursor": encode_cursor("audit", 2)}, "cursor"),
    ],
)
async def test_bad_audit_queries_are_422_naming_the_field(api, problem, params, field):
    error = await refused(api("security", "audit", params=params))
    assert error.code == 422
    assert [e["field"] for e in problem(error)["errors"]] == [field]


@sqlite_only
async def test_an_api_key_needs_org_admin_to_read_the_audit_log(api, bearer, problem):
    async def key(*scopes: str) -> str:
        body = {"name": "audit", "scopes": list(scopes)}
        created = await api("auth", "api-keys", method="POST", body=body)
        return str(json.loads(created.body)["key"])

    def read(secret: str, *parts: str):
        return bearer(secret, "security", "audit", *parts)

    reader = await key("jobs:read")
    for parts in ((), ("verify",)):
        error = await refused(read(reader, *parts))
        assert error.code == 403
        assert problem(error)["errors"][0]["message"] == "the key lacks org:admin"
    admin = await key("org:admin")
    assert (await read(admin)).code == 200
    assert json.loads((await read(admin, "verify")).body)["ok"] is True


@sqlite_only
async def test_the_hook_records_mutating_requests_with_their_outcome(api, jp_fetch, services, me):
    agent = {"User-Agent": "audit-test/1.0"}
    body = {"name": "ci", "scopes": ["jobs:write"]}
    created = await api("auth", "api-keys", method="POST", body=body, headers=agent)
    key = json.loads(created.body)
    await api("jobs", headers=agent)
    await refused(api("jobs", method="POST", body={"kind": "nope"}, headers=agent))
    bearer = {"Authorization": f"Bearer {key['key']}"}
    await refused(jp_fetch("synq", "api", "jobs", method="POST", body="{}", headers=bearer))
    await api("auth", "api-keys", key["id"], method="DELETE", headers=agent)
    await asyncio.to_thread(services.audit.flush)

    owner = await me()
    entries, _ = services.audit.query(personal_org(owner), AuditFilter(), None, 50)
    seen = [(e.action, e.target, e.outcome) for e in reversed(entries)]
    assert seen == [
        ("POST /synq/api/auth/api-keys", None, "201"),
        ("POST /synq/api/jobs", None, "422"),
        ("POST /synq/api/jobs", None, "422"),
        ("DELETE /synq/api/auth/api-keys/{key_id}", key["id"], "200"),
    ]
    assert {(e.actor, e.ip) for e in entries} == {(owner, "127.0.0.1")}
    assert entries[0].user_agent == "audit-test/1.0"
    assert [e.details for e in reversed(entries)] == [{}, {}, {"api_key": key["id"]}, {}]
    assert services.audit.verify(personal_org(owner)).ok


@sqlite_only
async def test_a_request_is_in_the_log_read_right_after_it(api):
    """The log is written in batches on its own thread; a read waits for what is queued."""
    await api("auth", "api-keys", method="POST", body={"name": "ci", "scopes": ["jobs:read"]})
    page = json.loads((await api("security", "audit")).body)
    assert [(e["action"], e["outcome"]) for e in page["entries"]] == [
        ("POST /synq/api/auth/api-keys", "201")
    ]
    exported = (await api("security", "audit", params={"format": "jsonl"})).body.decode()
    assert [json.loads(line)["action"] for line in exported.splitlines()] == [
        "POST /synq/api/auth/api-keys"
    ]
    assert json.loads((await api("security", "audit", "verify")).body)["checked"] == 1


@sqlite_only
async def test_the_hook_records_unauthenticated_writes_in_the_system_org(api, services, me):
    error = await refused(api("jobs", method="POST", body="{}", headers={"Authorization": ""}))
    assert error.code == 403
    await asyncio.to_thread(services.audit.flush)
    [recorded], _ = services.audit.query(SYSTEM_ORG, AuditFilter(), None, 10)
    assert (recorded.actor, recorded.action, recorded.outcome) == (
        "anonymous",
        "POST /synq/api/jobs",
        "403",
    )
    assert services.audit.query(personal_org(await me()), AuditFilter(), None, 10)[0] == []
