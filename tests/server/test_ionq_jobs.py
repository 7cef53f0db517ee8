"""Jobs for IonQ targets with stored credentials go through the IonQ cloud API."""

from __future__ import annotations

import json

from tests.fixtures.ionq_api import serve_ionq_api

BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"


async def store_ionq_credentials(api, ionq) -> None:
    body = {"token": ionq.token, "url": ionq.url}
    await api("providers", "ionq", "credentials", method="PUT", body=body)


async def test_ionq_job_runs_on_the_cloud_with_the_stored_token(api, wait_for):
    with serve_ionq_api() as ionq:
        await store_ionq_credentials(api, ionq)
        body = {"kind": "sample", "source": BELL, "target": "ionq_aria_1", "shots": 500, "seed": 4}
        job = json.loads((await api("jobs", method="POST", body=body)).body)
        done = await wait_for(job["id"], timeout=120)
        assert done["status"] == "succeeded", done
        assert done["provider_job_id"] in ionq.jobs
        result = json.loads((await api("jobs", job["id"], "result")).body)
        assert result["noise"].startswith("IonQ cloud")
        assert sum(result["counts"].values()) == 500
        assert ionq.posted_jobs() == 1
        assert "token" not in json.dumps(done)


async def test_without_credentials_ionq_jobs_run_on_the_local_model(api, wait_for):
    with serve_ionq_api() as ionq:
        body = {"kind": "sample", "source": BELL, "target": "ionq_aria_1", "shots": 300, "seed": 4}
        job = json.loads((await api("jobs", method="POST", body=body)).body)
        assert (await wait_for(job["id"]))["status"] == "succeeded"
        result = json.loads((await api("jobs", job["id"], "result")).body)
        assert "IonQ cloud" not in result["noise"]
        assert ionq.posted_jobs() == 0


async def test_cancelling_a_running_ionq_job_cancels_it_remotely(api, wait_for):
    with serve_ionq_api() as ionq:
        ionq.delay_seconds = 60
        await store_ionq_credentials(api, ionq)
        body = {"kind": "sample", "source": BELL, "target": "ionq_aria_1", "shots": 100}
        job = json.loads((await api("jobs", method="POST", body=body)).body)
        running = await wait_for(job["id"], lambda j: bool(j["provider_job_id"]), timeout=120)
        await api("jobs", job["id"], "cancel", method="POST", body="")
        done = await wait_for(job["id"], timeout=10)
        assert done["status"] == "cancelled"
        assert ionq.jobs[running["provider_job_id"]].status == "canceled"
