"""Threat rules with a clock the tests move, and their durable side (events, incidents)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.migrate import upgrade
from synq_jupyter_server.page_cursor import encode_cursor
from synq_jupyter_server.security.threat_detector import Observation, ThreatDetector, ThreatSettings
from synq_jupyter_server.security.threat_locations import Location, LocationTable
from synq_jupyter_server.security.threat_rules import (
    Baseline,
    BruteForce,
    Exfiltration,
    Finding,
    Travel,
    escalation,
    unusual_access,
)
from synq_jupyter_server.security.threat_store import EventFilter, IncidentNotFound, ThreatStore

T0 = 1_800_000_000.0
SYDNEY = ["Sydney", -33.87, 151.21]
LONDON = ["London", 51.51, -0.13]
PLACES = {
    "198.51.100.0/24": SYDNEY,
    "203.0.113.0/24": LONDON,
    "203.0.113.128/25": {"name": "Reading", "lat": 51.45, "lon": -0.97},
    "2001:db8::/32": ["Paris", 48.86, 2.35],
}


# Brute force


def test_the_sixth_failure_within_the_window_locks_out_for_the_base_time():
    rule = BruteForce(failures=5, window=900, lockout=60, lockout_max=3600)
    assert [rule.fail("ip:a", T0 + n) for n in range(5)] == [None] * 5
    lockout = rule.fail("ip:a", T0 + 100)
    assert lockout is not None
    assert (lockout.seconds, lockout.strike, lockout.failures) == (60, 1, 6)
    assert rule.locked("ip:a", T0 + 159) == lockout
    assert lockout.retry_after(T0 + 158.2) == 2
    assert rule.locked("ip:a", T0 + 160) is None
    assert rule.locked("ip:b", T0 + 100) is None


def test_failures_spread_wider_than_the_window_never_lock():
    rule = BruteForce(failures=5, window=900)
    assert all(rule.fail("ip:a", T0 + n * 181) is None for n in range(20))
    assert not rule.any_locked


def test_each_further_lockout_doubles_up_to_the_cap():
    rule = BruteForce(failures=5, window=900, lockout=60, lockout_max=200)
    for n in range(6):
        rule.fail("user:eve", T0 + n)
    seconds = []
    now = T0 + 5
    for _ in range(3):
        now += 200  # past the lockout, the earlier failures still in the window
        lockout = rule.fail("user:eve", now)
        assert lockout is not None
        seconds.append(lockout.seconds)
    assert seconds == [120, 200, 200]


def test_a_failure_during_a_lockout_does_not_extend_it():
    rule = BruteForce(failures=5, window=900, lockout=60)
    for n in range(6):
        rule.fail("ip:a", T0 + n)
    assert rule.fail("ip:a", T0 + 10) is None
    locked = rule.locked("ip:a", T0 + 10)
    assert locked is not None
    assert locked.until == T0 + 5 + 60


def test_a_quiet_window_resets_the_back_off():
    rule = BruteForce(failures=5, window=900, lockout=60)
    for n in range(6):
        rule.fail("ip:a", T0 + n)
    later = T0 + 2000
    results = [rule.fail("ip:a", later + n) for n in range(6)]
    assert results[:5] == [None] * 5
    assert results[5] is not None
    assert results[5].seconds == 60


def test_a_sweep_forgets_quiet_subjects_but_not_locked_ones():
    rule = BruteForce(failures=1, window=10, lockout=100, lockout_max=100)
    rule.fail("ip:quiet", T0)
    rule.fail("ip:locked", T0)
    rule.fail("ip:locked", T0 + 1)
    rule.sweep(T0 + 50)
    assert rule.locked("ip:locked", T0 + 50) is not None
    assert rule.fail("ip:quiet", T0 + 50) is None  # starts afresh: one failure is allowed


def test_bad_brute_force_settings_are_refused():
    with pytest.raises(ValueError, match="brute force"):
        BruteForce(failures=0)
    with pytest.raises(ValueError, match="brute force"):
        BruteForce(lockout=100, lockout_max=50)


# Exfiltration


def test_crossing_the_byte_limit_within_the_window_is_found_once():
    rule = Exfiltration(limit=1000, window=3600)
    assert rule.sent("alice", 600, T0) is None
    assert rule.sent("bob", 600, T0) is None
    assert rule.sent("alice", 401, T0 + 1800) == 1001
    # The crossing empties the window: the next finding needs another 1000 bytes.
    assert rule.sent("alice", 900, T0 + 1801) is None
    assert rule.sent("alice", 200, T0 + 1802) == 1100


def test_bytes_older_than_the_window_no_longer_count():
    rule = Exfiltration(limit=1000, window=3600)
    assert rule.sent("alice", 900, T0) is None
    assert rule.sent("alice", 900, T0 + 3600 + 61) is None  # a bucket (60 s) past the window
    assert rule.sent("alice", 101, T0 + 3600 + 62) == 1001


# Locations and impossible travel


def test_the_most_specific_range_names_the_place():
    table = LocationTable(PLACES)
    assert table.locate("203.0.113.5") == Location("London", 51.51, -0.13)
    assert table.locate("203.0.113.200") == Location("Reading", 51.45, -0.97)
    assert table.locate("2001:db8::7") == Location("Paris", 48.86, 2.35)
    assert table.locate("192.0.2.1") is None
    assert table.locate("not-an-address") is None


def test_the_distance_is_the_great_circle():
    sydney, london = Location(*SYDNEY), Location(*LONDON)
    assert sydney.km_to(london) == pytest.approx(16_990, rel=0.01)
    assert london.km_to(london) == 0


def test_a_location_table_loads_from_a_json_file(tmp_path):
    path = tmp_path / "places.json"
    path.write_text(json.dumps(PLACES), encoding="utf-8")
    table = LocationTable.from_setting(str(path))
    assert len(table) == 4
    assert table.locate("198.51.100.9") == Location(*SYDNEY)
    assert len(LocationTable.from_setting("")) == 0


@pytest.mark.parametrize(
    "ranges",
    [{"nonsense": SYDNEY}, {"10.0.0.0/8": ["Nowhere", 91, 0]}, {"10.0.0.0/8": ["Half"]}],
)
def test_a_bad_location_table_is_refused(ranges):
    with pytest.raises(ValueError):  # noqa: PT011  each names the range
        LocationTable(ranges)


def test_sydney_to_london_within_an_hour_is_impossible_travel():
    travel = Travel(LocationTable(PLACES), max_kmh=900)
    assert travel.seen("alice", "198.51.100.1", T0) is None
    journey = travel.seen("alice", "203.0.113.1", T0 + 3600)
    assert journey is not None
    assert (journey["from"]["place"], journey["to"]["place"]) == ("Sydney", "London")
    assert journey["kmh"] == pytest.approx(16_990, rel=0.01)
    assert journey["seconds"] == 3600


def test_a_journey_slower_than_the_limit_is_not_travel():
    travel = Travel(LocationTable(PLACES), max_kmh=900)
    travel.seen("alice", "198.51.100.1", T0)
    assert travel.seen("alice", "203.0.113.1", T0 + 20 * 3600) is None


def test_neighbouring_places_and_unknown_addresses_are_not_travel():
    travel = Travel(LocationTable(PLACES), max_kmh=900)
    travel.seen("alice", "203.0.113.1", T0)
    assert travel.seen("alice", "203.0.113.200", T0 + 1) is None  # London to Reading: 58 km
    assert travel.seen("alice", "192.0.2.1", T0 + 2) is None  # not in the table
    assert travel.seen("bob", "198.51.100.1", T0 + 3) is None  # another principal
    assert travel.seen("alice", "198.51.100.1", T0 + 4) is not None  # Reading to Sydney


def test_travel_is_measured_from_the_last_request_at_the_previous_place():
    travel = Travel(LocationTable(PLACES), max_kmh=900)
    travel.seen("alice", "198.51.100.1", T0)
    travel.seen("alice", "198.51.100.1", T0 + 20 * 3600)  # still in Sydney a day later
    journey = travel.seen("alice", "203.0.113.1", T0 + 21 * 3600)
    assert journey is not None
    assert journey["seconds"] == 3600


# Unusual access and escalation


def test_a_newcomer_and_its_learning_period_are_never_unusual():
    assert unusual_access(Baseline(None), "10.0.0.1", "curl", T0, learning=0) == []
    young = Baseline(T0, frozenset({"10.0.0.1"}), frozenset({"curl"}))
    assert unusual_access(young, "10.0.0.2", "wget", T0 + 59, learning=60) == []


def test_a_new_address_and_user_agent_after_learning_are_unusual():
    baseline = Baseline(T0, frozenset({"10.0.0.1"}), frozenset({"curl"}))
    assert unusual_access(baseline, "10.0.0.1", "curl", T0 + 60, learning=60) == []
    assert unusual_access(baseline, "10.0.0.2", "wget", T0 + 60, learning=60) == [
        ("new_ip", "medium", "10.0.0.2"),
        ("new_user_agent", "low", "wget"),
    ]


@pytest.mark.parametrize(
    ("status", "refusal", "resource", "severity"),
    [
        (403, "own_role", "synq:org-members", "high"),
        (403, "admin", "synq:org-plan", "high"),
        (403, "scope", "synq:jobs", "medium"),
        (403, "role", "synq:jobs", "medium"),
        (403, None, "synq:security", "medium"),
        (403, "quota", "synq:jobs", None),
        (403, None, "synq:jobs", None),
        (404, "scope", "synq:security", None),
    ],
)
def test_escalation_attempts_are_403s_beyond_the_callers_rights(
    status, refusal, resource, severity
):
    assert escalation(status, refusal, resource) == severity


# The detector: observations in, findings out


def seen(n: float, **fields: Any) -> Observation:
    values: dict[str, Any] = {
        "at": T0 + n,
        "ip": "192.0.2.7",
        "user_agent": "curl/8",
        "method": "GET",
        "path": "/synq/api/jobs",
        "status": 401,
        "signed_in": False,
        "failed_auth": True,
    }
    return Observation(**{**values, **fields})


def test_the_detector_counts_failures_per_address_and_principal():
    detector = ThreatDetector(ThreatSettings())
    for n in range(5):
        assert detector.observe(seen(n, ip=f"192.0.2.{n}", principal="alice")) == []
    [found] = detector.observe(seen(5, ip="192.0.2.99", principal="alice"))
    assert (found.kind, found.subject, found.severity) == ("brute_force", "user:alice", "high")
    assert found.details["failures"] == 6
    assert detector.locked(["ip:192.0.2.99", "user:alice"], T0 + 6) is not None
    assert detector.locked(["ip:192.0.2.99"], T0 + 6) is None


def test_a_wrong_code_of_a_signed_in_key_counts_for_both():
    detector = ThreatDetector(ThreatSettings(brute_force_failures=1))
    wrong_totp = seen(0, signed_in=True, principal="alice", method="POST")
    assert detector.observe(wrong_totp) == []
    found = detector.observe(wrong_totp)
    assert sorted(f.subject for f in found) == ["ip:192.0.2.7", "user:alice"]


def test_signed_in_requests_feed_escalation_exfiltration_and_travel():
    settings = ThreatSettings(exfiltration_bytes=100, locations=LocationTable(PLACES))
    detector = ThreatDetector(settings)
    ok = {"signed_in": True, "principal": "alice", "failed_auth": False, "status": 200}
    assert detector.observe(seen(0, ip="198.51.100.1", sent=60, **ok)) == []
    found = detector.observe(seen(1, ip="203.0.113.1", sent=60, **ok))
    assert sorted(f.kind for f in found) == ["exfiltration", "impossible_travel"]
    refused = {**ok, "status": 403, "refusal": "scope", "resource": "synq:security"}
    [attempt] = detector.observe(seen(2, ip="203.0.113.1", **refused))
    assert (attempt.kind, attempt.severity) == ("privilege_escalation", "medium")
    assert detector.observe(seen(3, ip="203.0.113.1", method="POST", sent=500, **ok)) == []


# The store


@pytest.fixture
def store(db_url: str) -> Iterator[ThreatStore]:
    database = Database(db_url)
    upgrade(database)
    yield ThreatStore(database)
    database.dispose()


def finding(n: float, kind: Any = "privilege_escalation", **fields: Any) -> Finding:
    values: dict[str, Any] = {
        "severity": "medium",
        "subject": "user:alice",
        "summary": f"attempt {n}",
        "principal": "alice",
        "ip": "192.0.2.7",
        "details": {"n": n},
    }
    return Finding(kind=kind, at=T0 + n, **{**values, **fields})


ORG = "personal:alice"
NOW = datetime.fromtimestamp(T0, timezone.utc)


def test_one_incident_per_rule_and_subject_collects_the_evidence(store):
    first = store.record(finding(1), ORG)
    second = store.record(finding(2, severity="high"), ORG)
    other = store.record(finding(3, subject="user:bob", principal="bob"), ORG)
    assert first.incident_id == second.incident_id != other.incident_id
    incident, events = store.incident(ORG, first.incident_id)
    assert (incident.event_count, incident.severity, incident.status) == (2, "high", "open")
    assert incident.summary == "attempt 1"
    assert [e.id for e in events] == [second.id, first.id]
    assert events[0].created_at == datetime.fromtimestamp(T0 + 2, timezone.utc)


def test_events_that_open_no_incident_stand_alone(store):
    event = store.record(finding(1, kind="new_ip", severity="medium"), ORG)
    assert event.incident_id is None
    assert store.incidents(ORG, None, None, 10) == ([], None)


def test_a_resolved_incident_stays_resolved_and_the_next_finding_opens_another(store):
    first = store.record(finding(1), ORG)
    now = datetime.fromtimestamp(T0 + 5, timezone.utc)
    acked = store.update_incident(ORG, first.incident_id, "acknowledged", "looking", "root", now)
    assert (acked.status, acked.note, acked.changed_by) == ("acknowledged", "looking", "root")
    assert store.record(finding(2), ORG).incident_id == first.incident_id  # still open
    resolved = store.update_incident(ORG, first.incident_id, "resolved", None, "root", now)
    assert (resolved.status, resolved.resolved_at, resolved.note) == ("resolved", now, "looking")
    with pytest.raises(SynqInputError) as info:
        store.update_incident(ORG, first.incident_id, "acknowledged", None, "root", now)
    assert info.value.field == "status"
    again = store.record(finding(3), ORG)
    assert again.incident_id != first.incident_id
    assert [i.status for i in store.incidents(ORG, None, None, 10)[0]] == ["open", "resolved"]


def test_incidents_and_events_belong_to_their_organisation(store):
    mine = store.record(finding(1), ORG)
    store.record(finding(2, subject="ip:192.0.2.7", principal=None), "system")
    with pytest.raises(IncidentNotFound):
        store.incident("personal:bob", mine.incident_id)
    with pytest.raises(IncidentNotFound):
        store.update_incident("personal:bob", mine.incident_id, "resolved", None, "bob", NOW)
    events, _ = store.events(ORG, EventFilter(), None, 10)
    assert [e.id for e in events] == [mine.id]
    assert store.incidents("personal:bob", None, None, 10) == ([], None)


def test_events_filter_and_page_newest_first(store):
    for n in range(5):
        store.record(finding(n, principal="alice" if n % 2 else "bob"), ORG)
    store.record(finding(9, kind="new_user_agent", severity="low"), ORG)
    seen_ids, cursor = [], None
    while True:
        page, cursor = store.events(ORG, EventFilter(kind="privilege_escalation"), cursor, 2)
        seen_ids += [e.details["n"] for e in page]
        if cursor is None:
            break
    assert seen_ids == [4, 3, 2, 1, 0]
    bobs, _ = store.events(ORG, EventFilter(principal="bob"), None, 10)
    assert [e.details["n"] for e in bobs] == [4, 2, 0]
    since = datetime.fromtimestamp(T0 + 3, timezone.utc)
    recent, _ = store.events(ORG, EventFilter(since=since), None, 10)
    assert [e.details["n"] for e in recent] == [9, 4, 3]


def test_incidents_page_newest_first(store):
    for n in range(3):
        store.record(finding(n, subject=f"user:u{n}", principal=f"u{n}"), ORG)
    first, cursor = store.incidents(ORG, None, None, 2)
    assert [i.subject for i in first] == ["user:u2", "user:u1"]
    rest, cursor = store.incidents(ORG, None, cursor, 2)
    assert ([i.subject for i in rest], cursor) == (["user:u0"], None)
    assert store.incidents(ORG, "resolved", None, 10) == ([], None)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "WyJ4Il0",  # ["x"]
        "WzFd",  # [1]
        encode_cursor("incidents", "2026-11-29T06:45:45", ["x"]),
        encode_cursor("incidents", "2026-11-29T06:45:45", None),
        encode_cursor("incidents", "yesterday", "abc"),
    ],
)
def test_a_cursor_not_from_the_api_is_refused(store, cursor):
    """Malformed incident cursors gave an empty page as if the list had ended."""
    with pytest.raises(SynqInputError) as info:
        store.incidents(ORG, None, cursor, 2)
    assert info.value.field == "cursor"


@pytest.mark.parametrize(
    "cursor",
    [encode_cursor("events", 10**30), encode_cursor("events", True), encode_cursor("audit", 5)],
    ids=["an id past 64 bits", "true for an id", "the audit log's"],
)
def test_an_event_cursor_not_from_the_api_is_refused(store, cursor):
    """An id past 64 bits was a database error (500); ``true`` an empty page."""
    store.record(finding(1), ORG)
    with pytest.raises(SynqInputError) as info:
        store.events(ORG, EventFilter(), cursor, 2)
    assert info.value.field == "cursor"


def test_a_baseline_learns_each_value_once(store):
    assert store.baseline("alice") == Baseline(None)
    assert store.learn("alice", {"ip": "10.0.0.1", "user_agent": "curl"}, T0) == {
        "ip",
        "user_agent",
    }
    assert store.learn("alice", {"ip": "10.0.0.1", "user_agent": "wget"}, T0 + 5) == {"user_agent"}
    baseline = store.baseline("alice")
    assert baseline == Baseline(T0, frozenset({"10.0.0.1"}), frozenset({"curl", "wget"}))
    assert store.baseline("bob") == Baseline(None)
