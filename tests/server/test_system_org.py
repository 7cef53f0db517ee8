"""The ``system`` organisation: what callers nobody authenticated did, for platform admins.

Refused anonymous requests are audited (and their threats recorded) under ``system``; a
platform admin reads them with ``X-Synq-Org: system`` on the security routes, and nothing
else can be done there.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fixtures.refusals import refused

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def system() -> dict[str, str]:
    """The header acting in ``system`` (a new dict each time: jp_fetch adds its token)."""
    return {"X-Synq-Org": "system"}


@pytest.fixture
def superadmin(request: pytest.FixtureRequest) -> bool:
    """Whether the server's owner (the test's token) is a platform superadmin."""
    return bool(getattr(request, "param", True))


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any], superadmin: bool) -> dict[str, Any]:
    synq = {**jp_server_config["SynqApp"], "owner_is_superadmin": superadmin}
    return {**jp_server_config, "SynqApp": synq}


async def test_a_platform_admin_reads_what_anonymous_callers_did(api):
    anonymous = {"Authorization": "", "User-Agent": "scanner/0.1"}
    assert (await refused(api("jobs", method="POST", body="{}", headers=anonymous))).code == 403
    page = json.loads((await api("security", "audit", headers=system())).body)
    [entry] = page["entries"]
    assert (entry["actor"], entry["action"], entry["outcome"]) == (
        "anonymous",
        "POST /synq/api/jobs",
        "403",
    )
    assert entry["user_agent"] == "scanner/0.1"
    verified = json.loads((await api("security", "audit", "verify", headers=system())).body)
    assert verified["ok"]
    assert (await api("security", "events", headers=system())).code == 200


async def test_nothing_but_security_records_is_done_in_system(api, problem):
    for call in (
        api("jobs", headers=system()),
        api("jobs", method="POST", body={}, headers=system()),
    ):
        error = await refused(call)
        assert error.code == 403
        assert problem(error)["errors"][0] == {
            "field": "X-Synq-Org",
            "message": "system holds only security records",
        }


@pytest.mark.parametrize("superadmin", [False], indirect=True)
async def test_other_users_cannot_read_system(api, problem):
    error = await refused(api("security", "audit", headers=system()))
    assert error.code == 403
    assert problem(error)["errors"][0]["field"] == "X-Synq-Org"
    assert "platform admin" in problem(error)["detail"]
