"""Algorithm jobs' shots are counted as they run, and stop the job when the month's run out.

A VQE's shots depend on its optimiser, so they cannot be reserved when it is submitted as
a sample job's are: the job reports every estimate's shots and the scheduler counts them.
"""

from __future__ import annotations

import asyncio
import json
import time
from functools import partial

import pytest

from tests.fixtures.tenants import Tenants
from tests.server.test_orgs import body, field_of, set_plan

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
ISING = {"paulis": ["ZZ", "XI", "IX"], "coeffs": [1.0, 0.7, 0.7]}
SAMPLED_VQE = {
    "hamiltonian": ISING,
    "estimator": "shots",
    "shots": 1000,
    "optimizer": "cobyla",
    "max_iterations": 200,
    "seed": 3,
}


async def finished(as_key, key: str, job_id: str, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = body(await as_key(key, "jobs", job_id))
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        assert time.monotonic() < deadline, job
        await asyncio.sleep(0.2)


async def test_a_sampled_vqe_is_stopped_when_the_months_shots_run_out(tenants: Tenants, as_key):
    org_a, member = tenants.orgs["A"], tenants.keys["member"]
    plan = partial(set_plan, as_key, tenants)

    async def used() -> int:
        return body(await as_key(member, "orgs", org_a, "plan"))["usage"]["shots_this_month"]

    await plan(shots_per_month=5000)
    submitted = await as_key(member, "qml", "vqe", method="POST", body=SAMPLED_VQE)
    assert submitted.code == 201, body(submitted)
    job = await finished(as_key, member, body(submitted)["id"])
    assert job["status"] == "failed", job
    assert "5000 shots (shots_per_month) are used" in job["error"]
    # Counted as spent: past the limit by the estimates in flight when it stopped (each
    # of 1,001 shots, as the estimator counts them; here it stops at the fifth).
    assert 5000 <= await used() < 5000 + 10 * 1001

    # With the month used up, the next one is refused at once, naming the limit, and so
    # is a retry of the stopped one.
    again = await as_key(member, "qml", "vqe", method="POST", body=SAMPLED_VQE)
    assert (again.code, field_of(again)) == (429, "shots_per_month")
    assert "starts again on" in body(again)["detail"]
    assert int(again.headers["Retry-After"]) > 0
    retried = await as_key(member, "jobs", job["id"], "retry", method="POST")
    assert (retried.code, field_of(retried)) == (429, "shots_per_month")

    # An exact (statevector) VQE samples nothing: it runs, and counts nothing.
    before = await used()
    exact = {**SAMPLED_VQE, "estimator": "statevector", "max_iterations": 20}
    del exact["shots"]
    submitted = await as_key(member, "qml", "vqe", method="POST", body=exact)
    assert submitted.code == 201, body(submitted)
    assert (await finished(as_key, member, body(submitted)["id"]))["status"] == "succeeded"
    assert await used() == before


@sqlite_only
async def test_a_sampled_vqe_within_the_plan_reports_and_counts_the_shots_it_spent(
    tenants: Tenants, as_key
):
    org_a, member = tenants.orgs["A"], tenants.keys["member"]
    await set_plan(as_key, tenants, shots_per_month=10**7)
    short = {**SAMPLED_VQE, "max_iterations": 5}
    submitted = await as_key(member, "qml", "vqe", method="POST", body=short)
    job = await finished(as_key, member, body(submitted)["id"])
    assert job["status"] == "succeeded", job
    result = json.loads((await as_key(member, "jobs", job["id"], "result")).body)
    assert result["shots_used"] >= 1000 * result["evaluations"]
    usage = body(await as_key(member, "orgs", org_a, "plan"))["usage"]
    assert usage["shots_this_month"] == result["shots_used"]
