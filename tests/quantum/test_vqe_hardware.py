"""VQE's hardware estimator: ISA circuits for the device, energies and gradients, bad input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from qiskit.primitives import StatevectorEstimator as ExactPrimitive
from qiskit.primitives.containers.observables_array import ObservablesArray

from synq_jupyter.algorithms.ansatz import build_ansatz
from synq_jupyter.algorithms.hamiltonian import PauliSum
from synq_jupyter.algorithms.vqe import run_vqe
from synq_jupyter.algorithms.vqe_hardware import HardwareEstimator
from synq_jupyter.algorithms.vqe_program import compile_rotations
from synq_jupyter.algorithms.vqe_spec import VQESpec
from synq_jupyter.algorithms.vqe_statevector import StatevectorEstimator
from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum import get_target
from tests.fixtures.ibm_api import on_used_qubits

# H2 reduced to two qubits by symmetry; ground energy -1.857275.
TWO_QUBITS = {
    "paulis": ["II", "IZ", "ZI", "ZZ", "XX"],
    "coeffs": [-1.052373, 0.397937, -0.397937, -0.011280, 0.180931],
}


class ExactDevice:
    """Stands for a device without noise: exact expectation values of the PUBs it is sent."""

    def __init__(self) -> None:
        self.pubs: list[Any] = []
        self.precisions: list[float] = []

    def __call__(self, pubs: list[Any], precision: float) -> Any:
        self.pubs.extend(pubs)
        self.precisions.append(precision)
        narrowed = []
        for circuit, observable, values in pubs:
            small, terms = on_used_qubits(circuit, ObservablesArray.coerce(observable).tolist())
            narrowed.append((small, terms, values))
        return ExactPrimitive().run(narrowed).result()


def hardware_estimator(target: str, device: ExactDevice, shots: int = 1024):
    problem = PauliSum.from_dict(TWO_QUBITS).build()
    program = compile_rotations(build_ansatz("efficient_su2", problem, reps=1).circuit)
    exact = StatevectorEstimator(program, problem.sparse_matrix)
    estimator = HardwareEstimator(
        program, problem.operator, shots=shots, target=get_target(target), run=device, seed=3
    )
    return estimator, exact, program.weights.shape[1]


@pytest.mark.parametrize(("target", "entangler"), [("ibm_torino", "cz"), ("ibm_brisbane", "ecr")])
def test_energies_come_from_isa_circuits_on_the_device(target, entangler):
    device = ExactDevice()
    estimator, exact, width = hardware_estimator(target, device)
    points = np.random.default_rng(2).uniform(-np.pi, np.pi, (3, width))

    energies = estimator.energies(points)

    np.testing.assert_allclose(energies, exact.energies(points), atol=1e-9)
    ((circuit, observable, values),) = device.pubs
    assert circuit.num_qubits == get_target(target).num_qubits
    assert entangler in {inst.operation.name for inst in circuit.data}
    assert observable.num_qubits == circuit.num_qubits
    assert values.shape == (3, width)
    assert device.precisions == [pytest.approx(1 / 32)]
    assert estimator.evaluations == 3


def test_the_gradient_is_one_job_of_shifted_points():
    device = ExactDevice()
    estimator, exact, width = hardware_estimator("ibm_torino", device)
    theta = np.random.default_rng(4).uniform(-1, 1, width)

    energy, gradient = estimator.energy_and_gradient(theta)

    expected_energy, expected_gradient = exact.energy_and_gradient(theta)
    assert energy == pytest.approx(expected_energy, abs=1e-9)
    np.testing.assert_allclose(gradient, expected_gradient, atol=1e-9)
    assert len(device.precisions) == 1


def test_a_hardware_run_sends_every_energy_to_the_device():
    device = ExactDevice()
    spec = VQESpec.from_dict(
        {
            "hamiltonian": TWO_QUBITS,
            "ansatz": "real_amplitudes",
            "reps": 1,
            "estimator": "hardware",
            "target": "ibm_torino",
            "shots": 4096,
            "optimizer": "cobyla",
            "max_iterations": 40,
            "seed": 5,
        }
    )

    spent: list[int] = []
    result = run_vqe(spec, hardware=device, on_shots=spent.append)

    assert result.estimator == "hardware"
    assert result.target == "ibm_torino"
    assert len(device.precisions) == result.evaluations
    assert abs(result.error) < 1e-3
    # Every energy's shots are reported as it is sent, and add up to the run's total.
    assert spent == [4096] * result.evaluations
    assert result.shots_used == 4096 * result.evaluations


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target": "aer_noisy_torino"}, "target"),
        ({"target": "ionq_aria_1"}, "target"),
        ({"target": None}, "target"),
        ({"shots": None}, "shots"),
        ({"hamiltonian": {"paulis": ["Z" * 134], "coeffs": [1.0]}}, "hamiltonian"),
    ],
)
def test_the_hardware_estimator_needs_an_ibm_device_and_shots(changes, field):
    request = {
        "hamiltonian": TWO_QUBITS,
        "estimator": "hardware",
        "target": "ibm_torino",
        "shots": 1000,
    }
    with pytest.raises(SynqInputError) as refused:
        VQESpec.from_dict({**request, **changes})

    assert refused.value.field == field


def test_a_hardware_run_without_a_device_connection_is_refused():
    spec = VQESpec.from_dict(
        {"hamiltonian": TWO_QUBITS, "estimator": "hardware", "target": "ibm_torino", "shots": 10}
    )

    with pytest.raises(SynqInputError) as refused:
        run_vqe(spec)

    assert refused.value.field == "estimator"
