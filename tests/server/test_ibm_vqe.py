"""VQE with the hardware estimator: every energy measured on an IBM device through its API."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from tornado.httpclient import HTTPClientError

from synq_jupyter.algorithms.ansatz import build_ansatz
from synq_jupyter.algorithms.hamiltonian import PauliSum
from synq_jupyter.algorithms.vqe_program import compile_rotations
from synq_jupyter.algorithms.vqe_statevector import StatevectorEstimator
from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.jobs.algorithm_jobs import vqe_job
from tests.fixtures.ibm_api import IbmApi, ibm_api_alone, serve_ibm_api
from tests.fixtures.mock_http import Reports, WorkerDied

# H2 reduced to two qubits by symmetry; ground energy -1.857275.
TWO_QUBITS = {
    "paulis": ["II", "IZ", "ZI", "ZZ", "XX"],
    "coeffs": [-1.052373, 0.397937, -0.397937, -0.011280, 0.180931],
}
GROUND = -1.857275
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def hardware_vqe(**changes: Any) -> dict[str, Any]:
    return {
        "hamiltonian": TWO_QUBITS,
        "ansatz": "real_amplitudes",
        "reps": 1,
        "estimator": "hardware",
        "target": "ibm_torino",
        "shots": 4096,
        "optimizer": "spsa",
        "max_iterations": 60,
        "seed": 21,
        **changes,
    }


def exact_energy(parameters: list[float]) -> float:
    """The energy at ``parameters``, computed here on a statevector."""
    problem = PauliSum.from_dict(TWO_QUBITS).build()
    program = compile_rotations(build_ansatz("real_amplitudes", problem, reps=1).circuit)
    return StatevectorEstimator(program, problem.sparse_matrix).energy(np.array(parameters))


@sqlite_only
async def test_hardware_vqe_estimates_every_energy_on_the_ibm_device(api, wait_for):
    with serve_ibm_api() as ibm:
        ibm.delay_seconds = 0
        secret = {"token": ibm.token, "url": ibm.url}
        await api("providers", "ibm", "credentials", method="PUT", body=secret)
        job = json.loads((await api("qml", "vqe", method="POST", body=hardware_vqe())).body)
        done = await wait_for(job["id"], timeout=120)
        result = json.loads((await api("jobs", job["id"], "result")).body)
        events = json.loads((await api("jobs", job["id"], "events")).body)["events"]

    assert done["status"] == "succeeded", done
    assert result["estimator"] == "hardware"
    assert result["target"] == "ibm_torino"
    sent = ibm.jobs_of("estimator")
    # SPSA's calibration, one job per iteration, and the final energy: all on the device.
    assert len(sent) == 60 + 2
    assert ibm.jobs_of("sampler") == []
    assert result["provider_job_ids"] == [remote.id for remote in sent]
    assert done["provider_job_id"] == sent[-1].id
    ((circuit, _, _, precision),) = sent[-1].body["params"]["pubs"]
    assert circuit.num_qubits == 133  # an ISA circuit on Torino's physical qubits
    assert precision == pytest.approx(1 / 64)
    # The device's energy is that of the parameters found, within its standard error, and
    # the run went from far above the ground energy to within a few standard errors of it.
    at_optimum = exact_energy(result["optimal_parameters"])
    assert 0 < result["std_error"] < 0.02
    assert abs(result["energy"] - at_optimum) < 4 * result["std_error"]
    assert result["history"][0] > GROUND + 0.5
    assert abs(result["exact_energy"] - GROUND) < 1e-6
    assert abs(result["error"]) < 4 * result["std_error"]
    progress = [e["data"] for e in events if e["type"] == "progress"]
    plotted = [p for data in progress for p in data.get("points", [])]
    assert [p[1] for p in plotted] == pytest.approx(result["history"])


async def test_hardware_vqe_without_an_ibm_key_is_refused_naming_credentials(api, problem):
    with pytest.raises(HTTPClientError) as refused:
        await api("qml", "vqe", method="POST", body=hardware_vqe())

    assert refused.value.code == 422
    assert [e["field"] for e in problem(refused.value)["errors"]] == ["credentials"]
    assert json.loads((await api("jobs")).body)["jobs"] == []


@pytest.fixture
def ibm_api(monkeypatch: pytest.MonkeyPatch):
    with ibm_api_alone(monkeypatch, delay_seconds=0) as api:
        yield api


def test_a_restarted_hardware_vqe_cancels_its_last_job_and_starts_over(ibm_api: IbmApi):
    def die(job_id: str) -> None:
        raise WorkerDied(job_id)

    ibm_api.delay_seconds = 600
    secret = {"token": ibm_api.token, "url": ibm_api.url, "provider": "ibm"}
    payload = {"spec": hardware_vqe(max_iterations=2), "credentials": secret}
    with pytest.raises(WorkerDied) as died:
        vqe_job({**payload, "provider_job_id": None}, Reports(die))
    stale = str(died.value)
    ibm_api.delay_seconds = 0
    reports = Reports()

    result = vqe_job({**payload, "provider_job_id": stale}, reports)

    assert ibm_api.jobs[stale].status == "Cancelled"
    sent = [job.id for job in ibm_api.jobs_of("estimator") if job.id != stale]
    assert len(sent) == 2 + 2
    assert result["provider_job_ids"] == sent
    assert [data for name, data in reports.events if name == "provider_job_id"] == sent


def test_waiting_for_ibm_reports_the_runs_progress(ibm_api: IbmApi):
    ibm_api.delay_seconds = 0.3  # SynQ sees each job queued before it completes
    secret = {"token": ibm_api.token, "url": ibm_api.url}
    reports = Reports()

    vqe_job({"spec": hardware_vqe(max_iterations=3), "credentials": secret}, reports)

    progress = [data for name, data in reports.events if name == "progress"]
    waits = [message for _, message in progress if "queued at IBM" in message]
    assert waits
    fractions = [fraction for fraction, _ in progress]
    assert fractions == sorted(fractions)
    assert progress[-1][0] == 1.0


def test_a_hardware_vqe_job_without_credentials_fails_naming_them():
    payload = {"spec": hardware_vqe(), "provider_job_id": None}

    with pytest.raises(SynqInputError) as failed:
        vqe_job(payload, Reports())

    assert failed.value.field == "credentials"
