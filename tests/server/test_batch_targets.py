"""A batch is simulated as its target would run it: with the device's noise, not on the
ideal simulator under the device's name; and a circuit too wide to simulate is refused."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

from synq_jupyter.quantum import load_circuit, run_local


def ghz(n: int) -> str:
    gates = "".join(f"cx q[{i}],q[{i + 1}];\n" for i in range(n - 1))
    return (
        f'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[{n}];\ncreg c[{n}];\n'
        f"h q[0];\n{gates}measure q -> c;\n"
    )


async def run_batch(api, wait_for, body: dict) -> dict:
    response = await api("jobs", "batch", method="POST", body=body)
    job = json.loads(response.body)
    done = await wait_for(job["id"], timeout=120)
    assert done["status"] == "succeeded", done
    return json.loads((await api("jobs", job["id"], "result")).body)


async def test_a_batch_on_a_noisy_target_is_each_circuit_as_a_sample_job_runs_it(api, wait_for):
    sources = [ghz(3), ghz(2)]
    body = {"sources": sources, "target": "aer_noisy_torino", "shots": 400, "seed": 5}
    result = await run_batch(api, wait_for, body)
    assert "torino" in result["noise"].lower()
    for index, source in enumerate(sources):
        alone = run_local(
            load_circuit(source), target="aer_noisy_torino", shots=400, seed=5 + index
        )
        assert result["counts"][index] == alone.counts
    assert len(result["counts"][0]) > 2  # the noise shows: not only 000 and 111


async def test_a_batch_on_the_ideal_simulator_says_it_has_no_noise(api, wait_for):
    body = {"sources": [ghz(3)], "target": "aer_simulator", "shots": 100, "seed": 1}
    result = await run_batch(api, wait_for, body)
    assert result["noise"] == "none"
    assert set(result["counts"][0]) <= {"000", "111"}


async def test_a_circuit_too_wide_to_simulate_refuses_the_batch(api, problem):
    body = {"sources": [ghz(2), ghz(31)], "target": "ibm_torino", "shots": 10}
    with pytest.raises(HTTPClientError) as refused:
        await api("jobs", "batch", method="POST", body=body)
    assert refused.value.code == 422
    assert problem(refused.value)["errors"][0]["field"] == "sources[1]"
    assert json.loads((await api("jobs")).body)["jobs"] == []


def test_a_slice_of_a_noisy_batch_gets_the_seeds_its_circuits_have_in_the_whole():
    """Dask runs a large batch in slices: each slice's circuits must be seeded as they are
    in the whole batch, so that the executor does not change what a seed gives."""
    from synq_jupyter_server.jobs.runner import run_job

    sources = [ghz(2), ghz(3), ghz(2)]
    payload = {"sources": sources, "target": "aer_noisy_torino", "shots": 200, "seed": 9}
    whole = run_job("sample_batch", payload, lambda *_: None)
    part = run_job("sample_batch", {**payload, "sources": sources[1:], "first": 1}, lambda *_: None)
    assert part["counts"] == whole["counts"][1:]
    assert whole["counts"][0] != whole["counts"][2]  # the same circuit, its own noise
