"""WS /synq/api/jobs/stream and the 10,000-circuit batch."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy.exc import OperationalError
from tornado.httpclient import HTTPClientError

from synq_jupyter_server.jobs.queue import NewJob
from synq_jupyter_server.principal import local_owner

# The whole job suite runs on the local worker pool and on a Dask LocalCluster.
pytestmark = pytest.mark.parametrize("job_executor", ["local", "dask"], indirect=True)


async def next_events(ws, job_id: str, until: str, timeout: float = 120) -> list[dict]:
    events = []
    while True:
        message = await asyncio.wait_for(ws.read_message(), timeout)
        assert message is not None, "the stream closed"
        event = json.loads(message)
        if event["job_id"] != job_id:
            continue
        events.append(event)
        if event["type"] == "status" and event["data"]["status"] == until:
            return events


async def test_stream_pushes_one_jobs_events_in_order(api, jp_ws_fetch, jp_serverapp):
    # after=0: the stream starts from the owner's first event, so none is missed however
    # the connection races with the submit below.
    ws = await jp_ws_fetch("synq", "api", "jobs", "stream", params={"after": "0"})
    services = jp_serverapp.web_app.settings["synq_services"]
    job, _ = services.jobs.queue.submit(
        local_owner(), NewJob(kind="noop", target="aer_simulator", payload={"seconds": 2.5})
    )
    services.scheduler.wake()
    events = await next_events(ws, job.id, "succeeded")
    ws.close()
    sequence = [e["data"]["status"] if e["type"] == "status" else e["type"] for e in events]
    assert sequence[:2] == ["queued", "running"]
    assert sequence[-1] == "succeeded"
    progress = [e["data"]["progress"] for e in events if e["type"] == "progress"]
    assert len(progress) >= 2
    assert progress == sorted(progress)
    assert all("message" in e["data"] for e in events if e["type"] == "progress")
    ids = [e["id"] for e in events]
    assert ids == sorted(ids)


async def test_stream_replays_after_a_given_event(api, jp_ws_fetch, wait_for):
    response = await api(
        "jobs",
        method="POST",
        body={"kind": "sample", "source": "qubit q[1]\nquantum x\n", "target": "aer_simulator"},
    )
    job = json.loads(response.body)
    await wait_for(job["id"])
    ws = await jp_ws_fetch("synq", "api", "jobs", "stream", params={"after": "0"})
    events = await next_events(ws, job["id"], "succeeded", timeout=30)
    ws.close()
    assert [e["data"].get("status") for e in events if e["type"] == "status"] == [
        "queued",
        "running",
        "succeeded",
    ]


async def test_stream_says_when_a_job_is_deleted(api, jp_ws_fetch, wait_for):
    # Another tab's jobs panel follows the same stream: the job must leave it too.
    response = await api(
        "jobs",
        method="POST",
        body={
            "kind": "sample",
            "source": "qubit q[1]\nquantum x q[0]\n",
            "target": "aer_simulator",
        },
    )
    job = json.loads(response.body)
    await wait_for(job["id"])
    ws = await jp_ws_fetch("synq", "api", "jobs", "stream", params={"after": "0"})
    await next_events(ws, job["id"], "succeeded", timeout=30)
    await api("jobs", job["id"], method="DELETE")
    deleted = json.loads(await asyncio.wait_for(ws.read_message(), 30))
    ws.close()
    assert (deleted["job_id"], deleted["type"], deleted["data"]) == (job["id"], "deleted", {})
    assert deleted["created_at"].endswith("Z")  # as the REST API writes times
    with pytest.raises(HTTPClientError) as info:
        await api("jobs", job["id"], "events")
    assert info.value.code == 404


@pytest.mark.parametrize(
    "after",
    [
        [("after", "-1")],
        [("after", "soon")],
        [("after", "1")] * 2,
        # What int() would take but an event id is not: spaces, underscores, other digits.
        [("after", " 1")],
        [("after", "1_0")],
        [("after", "\u0663")],
        [("after", str(2**31))],  # beyond what the database holds
    ],
)
async def test_stream_refuses_an_after_that_is_not_an_event_id(jp_ws_fetch, started, after):
    ws = await jp_ws_fetch("synq", "api", "jobs", "stream", params=after)
    assert await asyncio.wait_for(ws.read_message(), 10) is None
    assert ws.close_code == 4400
    assert "at least 0" in str(ws.close_reason)


async def test_stream_needs_authentication(jp_ws_fetch, started):
    with pytest.raises(HTTPClientError) as info:
        await jp_ws_fetch("synq", "api", "jobs", "stream", headers={"Authorization": ""})
    assert info.value.code == 403


async def test_a_stream_that_cannot_read_its_events_closes_for_the_client_to_reconnect(
    jp_ws_fetch, started, monkeypatch
):
    # Left open, a stream whose reads fail looks live to the jobs panel and sends nothing:
    # a cancelled job would stay "running" there. Closed, the panel reconnects and replays.
    jobs = started.web_app.settings["synq_services"].jobs

    async def locked(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    ws = await jp_ws_fetch("synq", "api", "jobs", "stream", params={"after": "0"})
    await asyncio.sleep(0)
    monkeypatch.setattr(jobs, "events", locked)
    jobs.bus.notify()
    assert await asyncio.wait_for(ws.read_message(), 10) is None
    assert ws.close_code == 1011
    assert "reconnect after=" in str(ws.close_reason)


def bell_qasm2(i: int) -> str:
    flip = "x q[1];\n" if i % 2 else ""
    return (
        'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'
        f"{flip}h q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"
    )


async def test_ten_thousand_circuit_batch_is_one_job(api, wait_for):
    sources = [bell_qasm2(i) for i in range(10_000)]
    response = await api(
        "jobs",
        "batch",
        method="POST",
        body={"sources": sources, "target": "aer_simulator", "shots": 20, "seed": 5},
        request_timeout=300,
    )
    job = json.loads(response.body)
    assert response.code == 201
    assert job["kind"] == "sample_batch"
    assert job["num_circuits"] == 10_000
    done = await wait_for(job["id"], timeout=300)
    assert done["status"] == "succeeded", done
    result = json.loads((await api("jobs", job["id"], "result", request_timeout=60)).body)
    assert len(result["counts"]) == 10_000
    assert set(result["counts"][0]) <= {"00", "11"}
    assert set(result["counts"][1]) <= {"01", "10"}
    assert all(sum(c.values()) == 20 for c in result["counts"])
