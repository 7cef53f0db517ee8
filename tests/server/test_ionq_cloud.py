"""Sampling on IonQ devices through qiskit-ionq, against a local IonQ cloud API."""

from __future__ import annotations

import math
import os
from typing import Any

import pytest
from qiskit import ClassicalRegister, QuantumCircuit
from qiskit_ionq.helpers import decompress_metadata_string

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum import get_target
from synq_jupyter_server.jobs.providers.ionq_cloud import (
    URL_VARIABLE,
    cancel_on_ionq,
    counts_from_probabilities,
    sample_on_ionq,
)
from synq_jupyter_server.jobs.scheduler import TransientJobError
from tests.fixtures.ionq_api import IonQApi, serve_ionq_api
from tests.fixtures.mock_http import Reports, WorkerDied


@pytest.fixture
def ionq_api(monkeypatch: pytest.MonkeyPatch):
    """The local IonQ API, with no IonQ settings inherited from the environment."""
    for name in (URL_VARIABLE, "IONQ_API_URL", "IONQ_API_KEY", "QISKIT_IONQ_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with serve_ionq_api() as api:
        api.delay_seconds = 0.4
        yield api


def credentials(api: IonQApi, token: str | None = None) -> dict[str, Any]:
    return {"token": token or api.token, "url": api.url}


def ghz(n: int) -> QuantumCircuit:
    circuit = QuantumCircuit(n)
    circuit.h(0)
    for i in range(n - 1):
        circuit.cx(i, i + 1)
    return circuit


def sample(
    api: IonQApi, circuit: QuantumCircuit, target: str = "ionq_aria_1", **payload: Any
) -> tuple[dict[str, Any], Reports]:
    reports = payload.pop("reports", None) or Reports()
    payload = {"shots": 200, "seed": 11, "optimization_level": 2, **payload}
    result = sample_on_ionq(circuit, get_target(target), payload, credentials(api), reports)
    return result, reports


def test_bell_on_aria_goes_through_the_ionq_api(ionq_api: IonQApi) -> None:
    status_at_report: list[str] = []
    reports = Reports(lambda job_id: status_at_report.append(ionq_api.jobs[job_id].status))

    result, _ = sample(ionq_api, ghz(2), reports=reports)

    (job,) = ionq_api.jobs.values()
    names = {gate["gate"] for gate in job.gates}
    assert names <= {"gpi", "gpi2", "ms"}
    assert "ms" in names
    assert job.body["backend"] == "qpu.aria-1"
    assert job.body["shots"] == 200
    assert sum(result["counts"].values()) == 200
    assert set(result["counts"]) == {"00", "11"}
    assert result["counts"]["00"] == job.counts[0]
    # The circuit measured nothing, so SynQ measured both qubits before sending it.
    header = decompress_metadata_string(job.body["metadata"]["qiskit_header"])
    assert isinstance(header, dict)
    assert len(header["meas_mapped"]) == 2
    assert result["provider_job_id"] == job.id
    assert result["measured_all"] is True
    assert result["noise"] == f"IonQ cloud ({ionq_api.url.split('/')[2]})"
    assert result["report"]["target"] == "ionq_aria_1"
    # The id was reported while IonQ still held the job, before any result existed.
    assert status_at_report == ["submitted"]
    assert ("provider_job_id", job.id) in reports.events
    assert any("IonQ" in message for message in reports.messages()[2:])


def test_registers_are_keyed_as_aer_keys_them_and_the_job_ends_done(ionq_api: IonQApi) -> None:
    circuit = QuantumCircuit(3)
    circuit.add_register(ClassicalRegister(2, "a"), ClassicalRegister(1, "c"))
    circuit.x([0, 2])
    circuit.measure([0, 1, 2], [0, 1, 2])

    result, reports = sample(ionq_api, circuit, shots=20)

    assert result["counts"] == {"1 01": 20}
    assert reports.events[-1] == ("progress", (1.0, "done"))


def test_only_the_measured_qubits_are_counted(ionq_api: IonQApi) -> None:
    circuit = QuantumCircuit(3, 1)
    circuit.x(1)
    circuit.h(2)
    circuit.measure(1, 0)

    result, _ = sample(ionq_api, circuit, shots=50)

    assert result["counts"] == {"1": 50}
    assert result["measured_all"] is False


def test_counts_follow_the_circuits_distribution(ionq_api: IonQApi) -> None:
    circuit = QuantumCircuit(3)
    circuit.ry(2 * math.pi / 3, 0)  # |1> with probability 3/4
    circuit.cx(0, 1)
    circuit.x(2)

    result, _ = sample(ionq_api, circuit, shots=2000)

    assert set(result["counts"]) == {"100", "111"}
    assert abs(result["counts"]["111"] - 1500) < 100  # 5 standard deviations


def test_twenty_qubit_ghz_keeps_its_width(ionq_api: IonQApi) -> None:
    result, _ = sample(ionq_api, ghz(20), shots=100)

    (job,) = ionq_api.jobs.values()
    assert job.body["input"]["qubits"] >= 20
    assert set(result["counts"]) <= {"0" * 20, "1" * 20}
    assert sum(result["counts"].values()) == 100
    assert len(result["counts"]) == 2


def test_backend_width_is_asked_of_the_configured_api(ionq_api: IonQApi) -> None:
    sample(ionq_api, ghz(2), shots=10)

    assert ("GET", "/v0.4/backends/qpu.aria-1") in ionq_api.requests
    assert URL_VARIABLE not in os.environ


def test_forte_sends_zz_gates(ionq_api: IonQApi) -> None:
    result, _ = sample(ionq_api, ghz(3), target="ionq_forte_1")

    (job,) = ionq_api.jobs.values()
    names = {gate["gate"] for gate in job.gates}
    assert job.body["backend"] == "qpu.forte-1"
    assert names <= {"gpi", "gpi2", "zz"}
    assert "zz" in names
    assert set(result["counts"]) == {"000", "111"}


def test_reattach_waits_for_the_submitted_job_without_resubmitting(ionq_api: IonQApi) -> None:
    def die(job_id: str) -> None:
        raise WorkerDied(job_id)

    with pytest.raises(WorkerDied) as died:
        sample(ionq_api, ghz(2), reports=Reports(die))
    job_id = str(died.value)
    assert ionq_api.jobs[job_id].status != "completed"

    result, reports = sample(ionq_api, ghz(2), provider_job_id=job_id)

    assert ionq_api.posted_jobs() == 1
    assert result["provider_job_id"] == job_id
    assert ("provider_job_id", job_id) in reports.events
    server_counts = ionq_api.jobs[job_id].counts
    assert result["counts"] == {"00": server_counts[0], "11": 200 - server_counts[0]}


def test_wrong_token_is_refused_as_a_credentials_error(ionq_api: IonQApi) -> None:
    payload = {"shots": 10, "seed": 1}
    with pytest.raises(SynqInputError) as refused:
        sample_on_ionq(
            ghz(2), get_target("ionq_aria_1"), payload, credentials(ionq_api, "wrong"), Reports()
        )

    assert refused.value.field == "credentials"
    assert "IonQ refused the token" in str(refused.value)
    assert ionq_api.jobs == {}


def test_unavailable_api_is_a_transient_error(ionq_api: IonQApi) -> None:
    ionq_api.fail_next = [503] * 5

    with pytest.raises(TransientJobError, match="IonQ"):
        sample(ionq_api, ghz(2))

    assert ionq_api.posted_jobs() >= 1
    assert ionq_api.jobs == {}


def test_outage_while_waiting_is_transient_not_endless(ionq_api: IonQApi) -> None:
    ionq_api.delay_seconds = 30
    reports = Reports(lambda job_id: ionq_api.fail_next.extend([503] * 50))

    with pytest.raises(TransientJobError):
        sample(ionq_api, ghz(2), reports=reports)

    # qiskit-ionq alone would retry these status reads forever.
    assert 50 - len(ionq_api.fail_next) < 10


def test_cancel_on_ionq_cancels_the_remote_job(ionq_api: IonQApi) -> None:
    ionq_api.delay_seconds = 30
    reports = Reports(lambda job_id: cancel_on_ionq(job_id, credentials(ionq_api)))

    with pytest.raises(RuntimeError, match="cancelled remotely"):
        sample(ionq_api, ghz(2), reports=reports)

    (job,) = ionq_api.jobs.values()
    assert job.status == "canceled"
    assert ("PUT", f"/v0.4/jobs/{job.id}/status/cancel") in ionq_api.requests


def test_failed_remote_job_is_reported_with_ionqs_message(ionq_api: IonQApi) -> None:
    ionq_api.job_failure = "ion 7 was lost from the trap"

    with pytest.raises(SynqInputError, match="ion 7 was lost from the trap"):
        sample(ionq_api, ghz(2))


def test_probabilities_alone_become_counts_that_sum_to_shots(ionq_api: IonQApi) -> None:
    ionq_api.serve_shots = False

    result, _ = sample(ionq_api, ghz(2), shots=300)

    (job,) = ionq_api.jobs.values()
    assert result["counts"] == {"00": job.counts[0], "11": 300 - job.counts[0]}
    assert not any(path.endswith("/results/shots") for _, path in ionq_api.requests)


def test_probabilities_are_rounded_by_largest_remainder() -> None:
    thirds = {"11": 1 / 3, "00": 1 / 3, "01": 1 / 3}

    assert counts_from_probabilities(thirds, 100) == {"00": 34, "01": 33, "11": 33}
    assert counts_from_probabilities({"0": 0.996, "1": 0.004}, 100) == {"0": 100}
