"""GET /synq/api/health."""

from __future__ import annotations

import gc
import json

import pytest
from tornado.httpclient import HTTPClientError

from synq_jupyter import __version__


async def test_health_reports_version_database_and_executor(api, db_url):
    response = await api("health")
    body = json.loads(response.body)
    assert response.code == 200
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert body["database"]["status"] == "ok"
    assert body["database"]["backend"] == db_url.split(":")[0].split("+")[0]
    assert body["database"]["revision"] == body["database"]["head"] == "0012"
    assert body["executor"]["status"] == "ok"
    assert body["executor"]["kind"] == "local"
    assert body["executor"]["worker_pid"] > 0


async def test_head_answers_by_status_alone_for_monitors(api, jp_serverapp, monkeypatch):
    response = await api("health", method="HEAD")
    assert (response.code, response.body) == (200, b"")
    health = jp_serverapp.web_app.settings["synq_services"].health
    report = health._check_database()
    down = {**report, "status": "error", "detail": "OperationalError: unable to open database"}
    monkeypatch.setattr(health, "_check_database", lambda: down)
    with pytest.raises(HTTPClientError) as info:
        await api("health", method="HEAD")
    assert info.value.code == 503
    assert json.loads((await api("health")).body)["database"] == down  # GET says why


async def test_health_needs_authentication(api, problem):
    with pytest.raises(HTTPClientError) as info:
        await api("health", headers={"Authorization": ""})
    assert info.value.code == 403
    assert problem(info.value)["status"] == 403


async def test_objects_made_at_startup_are_out_of_the_collectors_reach(api):
    # A full collection under load walked every module and route: a 150 ms pause.
    await api("health")
    assert gc.get_freeze_count() > 10_000
