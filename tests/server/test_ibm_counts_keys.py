"""IBM jobs read like every other sample job: counts keyed as Aer keys them (registers
separated by spaces, the last leftmost), and a final progress of "done"."""

from __future__ import annotations

from typing import Any

import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister

from synq_jupyter.quantum import get_target, run_local
from synq_jupyter_server.jobs.providers.ibm_cloud import sample_on_ibm
from synq_jupyter_server.jobs.providers.ibm_runtime import sample_on_device_model
from tests.fixtures.ibm_api import IbmApi, ibm_api_alone
from tests.fixtures.mock_http import Reports


@pytest.fixture
def ibm_api(monkeypatch: pytest.MonkeyPatch):
    with ibm_api_alone(monkeypatch, delay_seconds=0.2) as api:
        yield api


def bell_into_a_and_c() -> QuantumCircuit:
    """A Bell pair measured into two one-bit registers, ``a`` then ``c``."""
    circuit = QuantumCircuit(QuantumRegister(2, "q"), ClassicalRegister(1, "a"))
    circuit.add_register(ClassicalRegister(1, "c"))
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.measure(0, circuit.cregs[0][0])
    circuit.measure(1, circuit.cregs[1][0])
    return circuit


def ones_into_a_and_c() -> QuantumCircuit:
    """Always reads a = 01 (bit 0 set) and c = 1: registers of different widths, so a
    key in the wrong order or cut in the wrong place cannot match."""
    a, c = ClassicalRegister(2, "a"), ClassicalRegister(1, "c")
    circuit = QuantumCircuit(QuantumRegister(3, "q"), a, c)
    circuit.x(0)
    circuit.x(2)
    circuit.measure(0, a[0])
    circuit.measure(1, a[1])
    circuit.measure(2, c[0])
    return circuit


def local_mode(circuit: QuantumCircuit, reports: Reports | None = None) -> dict[str, Any]:
    payload = {"shots": 777, "seed": 2, "optimization_level": 2}
    return sample_on_device_model(circuit, get_target("ibm_torino"), payload, reports or Reports())


def on_the_platform(
    api: IbmApi, circuit: QuantumCircuit, reports: Reports | None = None
) -> dict[str, Any]:
    payload = {"shots": 100, "seed": 11, "optimization_level": 1}
    secret = {"token": api.token, "url": api.url}
    return sample_on_ibm(circuit, get_target("ibm_torino"), payload, secret, reports or Reports())


def test_local_mode_counts_match_the_aer_model_of_the_same_device() -> None:
    circuit = bell_into_a_and_c()
    aer = run_local(circuit, target="aer_noisy_torino", shots=777, seed=2).counts

    counts = local_mode(circuit)["counts"]

    assert counts == aer
    assert set(counts) <= {"0 0", "0 1", "1 0", "1 1"}
    assert counts["0 0"] > 300


def test_local_mode_puts_the_last_register_leftmost() -> None:
    circuit = ones_into_a_and_c()
    aer = run_local(circuit, shots=50, seed=2).counts

    counts = local_mode(circuit)["counts"]

    assert aer == {"1 01": 50}
    assert max(counts, key=counts.__getitem__) == "1 01"
    assert all(len(key) == 4 and key[1] == " " for key in counts)


def test_platform_counts_are_keyed_like_aer(ibm_api: IbmApi) -> None:
    counts = on_the_platform(ibm_api, ones_into_a_and_c())["counts"]

    assert counts == {"1 01": 100}


def test_local_mode_ends_with_done() -> None:
    reports = Reports()

    local_mode(bell_into_a_and_c(), reports)

    assert reports.events[-1] == ("progress", (1.0, "done"))


def test_a_platform_job_ends_with_done(ibm_api: IbmApi) -> None:
    reports = Reports()

    on_the_platform(ibm_api, bell_into_a_and_c(), reports)

    assert reports.events[-1] == ("progress", (1.0, "done"))
