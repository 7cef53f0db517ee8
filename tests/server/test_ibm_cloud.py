"""Sampling on IBM devices through qiskit-ibm-runtime, against a local IBM Quantum Platform."""

from __future__ import annotations

import os
from typing import Any

import pytest
from qiskit import QuantumCircuit

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum import get_target
from synq_jupyter_server.jobs.providers.ibm_cloud import (
    GATEWAY_VARIABLES,
    cancel_on_ibm,
    sample_on_ibm,
)
from synq_jupyter_server.jobs.scheduler import TransientJobError
from tests.fixtures.ibm_api import RUNTIME, IbmApi, ibm_api_alone
from tests.fixtures.mock_http import Reports, WorkerDied
from tests.fixtures.server_process import free_port


@pytest.fixture
def ibm_api(monkeypatch: pytest.MonkeyPatch):
    with ibm_api_alone(monkeypatch, delay_seconds=0.4) as api:
        yield api


def credentials(api: IbmApi, **changes: Any) -> dict[str, Any]:
    return {"token": api.token, "url": api.url, **changes}


def bell() -> QuantumCircuit:
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    return circuit


def sample(
    api: IbmApi, circuit: QuantumCircuit, target: str = "ibm_torino", **payload: Any
) -> tuple[dict[str, Any], Reports]:
    reports = payload.pop("reports", None) or Reports()
    secret = payload.pop("credentials", None) or credentials(api)
    payload = {"shots": 200, "seed": 11, "optimization_level": 1, **payload}
    return sample_on_ibm(circuit, get_target(target), payload, secret, reports), reports


def test_bell_on_torino_goes_through_the_ibm_api(ibm_api: IbmApi) -> None:
    status_at_report: list[str] = []
    reports = Reports(lambda job_id: status_at_report.append(ibm_api.jobs[job_id].status))

    result, _ = sample(ibm_api, bell(), reports=reports)

    (job,) = ibm_api.jobs.values()
    assert job.body["backend"] == "ibm_torino"
    assert job.body["program_id"] == "sampler"
    ((sent, _, shots),) = job.body["params"]["pubs"]
    assert shots == 200
    assert sent.num_qubits == 133  # an ISA circuit on Torino's physical qubits
    assert {inst.operation.name for inst in sent.data} <= {
        "cz",
        "rz",
        "sx",
        "x",
        "measure",
        "barrier",
    }
    assert result["counts"] == job.counts[0]
    assert set(result["counts"]) == {"00", "11"}
    assert sum(result["counts"].values()) == 200
    assert result["provider_job_id"] == job.id
    assert result["measured_all"] is True
    assert result["noise"] == f"IBM Quantum ({ibm_api.url.split('/')[2]})"
    assert result["report"]["target"] == "ibm_torino"
    # The id was reported while IBM still held the job, before any result existed.
    assert status_at_report == ["Queued"]
    assert any("IBM" in message for message in reports.messages())
    assert not set(GATEWAY_VARIABLES) & set(os.environ)


def test_brisbane_gets_ecr_circuits_and_only_measured_bits_count(ibm_api: IbmApi) -> None:
    circuit = QuantumCircuit(3, 1)
    circuit.x(1)
    circuit.cx(1, 2)
    circuit.measure(2, 0)

    result, _ = sample(ibm_api, circuit, target="ibm_brisbane", shots=50)

    (job,) = ibm_api.jobs.values()
    ((sent, *_),) = job.body["params"]["pubs"]
    assert job.body["backend"] == "ibm_brisbane"
    assert "ecr" in {inst.operation.name for inst in sent.data}
    assert result["counts"] == {"1": 50}
    assert result["measured_all"] is False


def test_runtime_requests_carry_the_iam_token_and_the_instance(ibm_api: IbmApi) -> None:
    sample(ibm_api, bell(), credentials=credentials(ibm_api, instance=ibm_api.crn), shots=20)

    # The mock answers 401 without IAM's bearer token and 403 without the instance's CRN.
    assert ("POST", "/iam/identity/token") in ibm_api.requests
    assert ibm_api.posted_jobs() == 1


def test_reattach_waits_for_the_submitted_job_without_resubmitting(ibm_api: IbmApi) -> None:
    def die(job_id: str) -> None:
        raise WorkerDied(job_id)

    with pytest.raises(WorkerDied) as died:
        sample(ibm_api, bell(), reports=Reports(die))
    job_id = str(died.value)
    assert ibm_api.jobs[job_id].status != "Completed"

    result, reports = sample(ibm_api, bell(), provider_job_id=job_id)

    assert ibm_api.posted_jobs() == 1
    assert ("GET", f"{RUNTIME}/jobs/{job_id}") in ibm_api.requests
    assert result["provider_job_id"] == job_id
    assert ("provider_job_id", job_id) in reports.events
    assert result["counts"] == ibm_api.jobs[job_id].counts[0]


def test_reattaching_to_an_unknown_job_fails_without_submitting(ibm_api: IbmApi) -> None:
    with pytest.raises(SynqInputError, match="no such job"):
        sample(ibm_api, bell(), provider_job_id="d0000000000000000000")

    assert ibm_api.posted_jobs() == 0


def test_wrong_key_is_refused_as_a_credentials_error(ibm_api: IbmApi) -> None:
    with pytest.raises(SynqInputError) as refused:
        sample(ibm_api, bell(), credentials=credentials(ibm_api, token="wrong"))

    assert refused.value.field == "credentials"
    assert "refused the API key" in str(refused.value)
    assert ibm_api.posted_jobs() == 0


def test_an_instance_the_key_cannot_use_is_a_credentials_error(ibm_api: IbmApi) -> None:
    other = ibm_api.crn.replace("0ddba11", "5ca1ab1e")
    with pytest.raises(SynqInputError) as refused:
        sample(ibm_api, bell(), credentials=credentials(ibm_api, instance=other))

    assert refused.value.field == "credentials"
    assert ibm_api.posted_jobs() == 0


def test_unreachable_ibm_is_a_transient_error(ibm_api: IbmApi) -> None:
    closed = {"token": ibm_api.token, "url": f"http://127.0.0.1:{free_port()}"}

    with pytest.raises(TransientJobError, match="unreachable"):
        sample(ibm_api, bell(), credentials=closed)


def test_ibm_answering_503_is_a_transient_error(ibm_api: IbmApi) -> None:
    ibm_api.fail_next = [503]

    with pytest.raises(TransientJobError):
        sample(ibm_api, bell())

    assert ibm_api.posted_jobs() == 0


def test_cancel_on_ibm_cancels_the_remote_job(ibm_api: IbmApi) -> None:
    ibm_api.delay_seconds = 30
    reports = Reports(lambda job_id: cancel_on_ibm(job_id, credentials(ibm_api)))

    with pytest.raises(RuntimeError, match="cancelled remotely"):
        sample(ibm_api, bell(), reports=reports)

    (job,) = ibm_api.jobs.values()
    assert job.status == "Cancelled"
    assert ("POST", f"{RUNTIME}/jobs/{job.id}/cancel") in ibm_api.requests


def test_cancelling_a_finished_job_leaves_it_alone(ibm_api: IbmApi) -> None:
    result, _ = sample(ibm_api, bell(), shots=10)

    cancel_on_ibm(result["provider_job_id"], credentials(ibm_api))

    assert ibm_api.jobs[result["provider_job_id"]].status == "Completed"


def test_failed_remote_job_is_reported_with_ibms_reason(ibm_api: IbmApi) -> None:
    ibm_api.job_failure = "qubit 12 lost its calibration"

    with pytest.raises(SynqInputError, match="qubit 12 lost its calibration"):
        sample(ibm_api, bell())
