"""A long circuit request never holds up a job submission: submissions are checked on a
worker of their own."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.fixtures.blocking_task import hold_until

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def jp_server_config(jp_server_config):
    jp_server_config["SynqApp"]["check_workers"] = 2
    return jp_server_config


JOB = {
    "kind": "sample",
    "source": "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n",
    "target": "aer_simulator",
    "shots": 10,
}


async def test_a_job_is_accepted_while_the_request_worker_is_busy(api, jp_serverapp, tmp_path):
    services = jp_serverapp.web_app.settings["synq_services"]
    assert (services.requests.max_workers, services.checks.max_workers) == (1, 2)
    started, release = tmp_path / "started", tmp_path / "release"
    # The server's one request worker (executor_workers=1) is taken, as by a long transpile.
    busy = asyncio.ensure_future(services.requests.run(hold_until, str(started), str(release)))
    try:
        for _ in range(1200):
            if started.exists() or busy.done():
                break
            await asyncio.sleep(0.05)
        assert started.exists()

        response = await asyncio.wait_for(api("jobs", method="POST", body=JOB), timeout=60)
        assert response.code == 201
        assert json.loads(response.body)["id"]
        targets = await asyncio.wait_for(api("targets"), timeout=60)
        assert "aer_simulator" in [t["name"] for t in json.loads(targets.body)["targets"]]
        assert not busy.done()  # the request worker was held the whole time
    finally:
        release.touch()
        await busy
