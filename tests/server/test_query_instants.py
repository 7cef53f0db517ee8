"""Query instants (``since``, ``until``) at the edges of the calendar: one that has no UTC
equivalent (year 1 east of UTC, year 9999 west of it) is a 422 naming the parameter."""

from __future__ import annotations

import json

import pytest

from tests.fixtures.refusals import refused

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

BEFORE_YEAR_1 = "0001-01-01T00:00:00+14:00"
AFTER_YEAR_9999 = "9999-12-31T23:59:59-14:00"
ROUTES = [
    (("security", "audit"), "since"),
    (("security", "audit"), "until"),
    (("security", "events"), "since"),
    (("jobs",), "since"),
]


@sqlite_only
@pytest.mark.parametrize("value", [BEFORE_YEAR_1, AFTER_YEAR_9999])
@pytest.mark.parametrize(("route", "name"), ROUTES)
async def test_an_instant_outside_utc_is_422_naming_it(api, problem, route, name, value):
    error = await refused(api(*route, params={name: value}))
    assert error.code == 422
    decoded = problem(error)  # asserts application/problem+json
    assert [e["field"] for e in decoded["errors"]] == [name]
    assert "UTC" in decoded["errors"][0]["message"]


@sqlite_only
@pytest.mark.parametrize("value", ["1", "1795813000", "-5", "1.5"])
@pytest.mark.parametrize(("route", "name"), ROUTES)
async def test_a_bare_number_is_not_read_as_a_unix_time(api, problem, route, name, value):
    error = await refused(api(*route, params={name: value}))
    assert error.code == 422
    decoded = problem(error)
    assert [e["field"] for e in decoded["errors"]] == [name]
    assert "ISO 8601" in decoded["errors"][0]["message"]


@sqlite_only
@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00-14:00",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59+14:00",
        "9999-12-31T23:59:59",
    ],
)
@pytest.mark.parametrize(("route", "name"), ROUTES)
async def test_the_calendar_edges_themselves_are_fine(api, route, name, value):
    response = await api(*route, params={name: value})
    assert response.code == 200
    json.loads(response.body)
