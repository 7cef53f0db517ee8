"""Jobs for IBM targets with stored credentials go through the IBM Quantum Platform."""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import psutil
import pytest
from tornado.httpclient import HTTPClientError

from tests.fixtures.ibm_api import IbmApi, serve_ibm_api
from tests.fixtures.server_process import ServerProcess

BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"
FINAL = ("succeeded", "failed", "cancelled")


def ibm_secret(ibm: IbmApi) -> dict[str, Any]:
    return {"token": ibm.token, "url": ibm.url}


def bell_job(shots: int) -> dict[str, Any]:
    return {
        "kind": "sample",
        "source": BELL,
        "target": "ibm_torino",
        "shots": shots,
        "seed": 4,
        "optimization_level": 1,
    }


async def test_the_stored_key_moves_ibm_jobs_from_local_mode_to_the_platform(api, wait_for):
    with serve_ibm_api() as ibm:
        local = json.loads((await api("jobs", method="POST", body=bell_job(300))).body)
        local_done = await wait_for(local["id"], timeout=120)
        local_result = json.loads((await api("jobs", local["id"], "result")).body)
        assert ibm.requests == []

        await api("providers", "ibm", "credentials", method="PUT", body=ibm_secret(ibm))
        job = json.loads((await api("jobs", method="POST", body=bell_job(500))).body)
        done = await wait_for(job["id"], timeout=120)
        result = (await api("jobs", job["id"], "result")).body.decode()

    assert local_done["status"] == "succeeded", local_done
    assert local_result["noise"].endswith("(IBM Runtime local mode)")
    assert done["status"] == "succeeded", done
    assert done["provider_job_id"] in ibm.jobs
    assert ibm.posted_jobs() == 1
    counts = json.loads(result)["counts"]
    assert counts == ibm.jobs[done["provider_job_id"]].counts[0]
    assert sum(counts.values()) == 500
    assert json.loads(result)["noise"].startswith("IBM Quantum (127.0.0.1:")
    for reply in (json.dumps(done), result):
        assert ibm.token not in reply


async def test_cancelling_a_running_ibm_job_cancels_it_remotely(api, wait_for):
    with serve_ibm_api() as ibm:
        ibm.delay_seconds = 60
        await api("providers", "ibm", "credentials", method="PUT", body=ibm_secret(ibm))
        job = json.loads((await api("jobs", method="POST", body=bell_job(100))).body)
        running = await wait_for(job["id"], lambda j: bool(j["provider_job_id"]), timeout=120)
        await api("jobs", job["id"], "cancel", method="POST", body="")
        done = await wait_for(job["id"], timeout=30)

    assert done["status"] == "cancelled"
    assert ibm.jobs[running["provider_job_id"]].status == "Cancelled"


async def test_local_mode_refuses_at_submission_what_this_machine_cannot_simulate(
    api, problem, wait_for
):
    """Without a key an IBM job is simulated here: too wide for memory is a 422, not a job
    that fails; with one the same circuit goes to the device (its 133 qubits bound it)."""
    from synq_jupyter.quantum.device_simulation import max_simulated_qubits

    width = max_simulated_qubits() + 2
    ghz = f"qubit q[{width}]\nquantum h q[0]\n" + "".join(
        f"quantum cx q[0], q[{i}]\n" for i in range(1, width)
    )
    sample = {**bell_job(100), "source": ghz}
    estimate = {**sample, "kind": "estimate", "observables": ["Z" * width]}
    for body in (sample, estimate):
        with pytest.raises(HTTPClientError) as info:
            await api("jobs", method="POST", body=body)
        refused = problem(info.value)
        assert (info.value.code, refused["errors"][0]["field"]) == (422, "source")
        assert f"acts on {width} qubits" in refused["detail"]
    assert json.loads((await api("jobs")).body)["jobs"] == []

    with serve_ibm_api() as ibm:
        ibm.delay_seconds = 60
        await api("providers", "ibm", "credentials", method="PUT", body=ibm_secret(ibm))
        job = json.loads((await api("jobs", method="POST", body=sample)).body)
        # An estimate still runs here, key or not.
        with pytest.raises(HTTPClientError) as info:
            await api("jobs", method="POST", body=estimate)
        await api("jobs", job["id"], "cancel", method="POST", body="")
        done = await wait_for(job["id"], timeout=30)

    assert info.value.code == 422
    assert done["status"] == "cancelled"


def test_after_a_restart_the_running_ibm_job_is_reattached_not_resubmitted(tmp_path):
    """Runs on SQLite only: reattaching reads the remote id from the job's row, and lease
    expiry and requeueing on both databases are test_crash_recovery's business."""
    db_url = f"sqlite:///{tmp_path / 'synq.sqlite'}"
    args = [
        "--SynqApp.auto_migrate=True",
        "--SynqApp.lease_seconds=2",
        "--SynqApp.executor_workers=1",
        f"--SynqApp.keyring_file={tmp_path / 'keyring.json'}",
    ]
    with serve_ibm_api() as ibm:
        ibm.delay_seconds = 600
        first = ServerProcess(tmp_path / "first", db_url, args).start()
        try:
            first.request("PUT", "synq/api/providers/ibm/credentials", ibm_secret(ibm))
            job = first.request("POST", "synq/api/jobs", bell_job(200))[1]
            running = poll(first, job["id"], lambda j: bool(j["provider_job_id"]))
        finally:
            crash(first)
        remote = ibm.jobs[running["provider_job_id"]]
        remote.delay = 0  # IBM finishes the job while SynQ is down

        second = ServerProcess(tmp_path / "second", db_url, args).start()
        try:
            done = poll(second, job["id"], lambda j: j["status"] in FINAL)
            result = second.request("GET", f"synq/api/jobs/{job['id']}/result")[1]
        finally:
            second.stop()

    assert done["status"] == "succeeded", done
    assert done["provider_job_id"] == remote.id
    assert done["attempts"] == 2
    assert ibm.posted_jobs() == 1
    assert result["counts"] == remote.counts[0]


def poll(server: ServerProcess, job_id: str, done, timeout: float = 120) -> dict[str, Any]:
    """Reads the job from ``server`` until ``done(job)`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        status, job = server.request("GET", f"synq/api/jobs/{job_id}")
        if status == 200 and done(job):
            return dict(job)
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} stuck: {job}")
        time.sleep(0.2)


def crash(server: ServerProcess) -> None:
    """SIGKILLs the server and its worker processes, as a crash of the machine would.

    Killed alone, the server would leave its spawned workers behind, still running.
    """
    assert server.process is not None
    workers = psutil.Process(server.process.pid).children(recursive=True)
    server.kill()
    for worker in workers:
        with contextlib.suppress(psutil.NoSuchProcess):
            worker.kill()
