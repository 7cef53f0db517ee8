"""VQE: chemistry targets, every optimiser and estimator, bad input, callbacks, seeds."""

from __future__ import annotations

import json

import numpy as np
import pytest

from synq_jupyter.algorithms.ansatz import build_ansatz
from synq_jupyter.algorithms.chem_molecule import Molecule
from synq_jupyter.algorithms.hamiltonian import PauliSum
from synq_jupyter.algorithms.vqe import run_vqe
from synq_jupyter.algorithms.vqe_program import compile_rotations
from synq_jupyter.algorithms.vqe_sampled import SampledEstimator
from synq_jupyter.algorithms.vqe_spec import VQESpec
from synq_jupyter.algorithms.vqe_statevector import StatevectorEstimator
from synq_jupyter.errors import SynqInputError

H2 = {"symbols": ["H", "H"], "geometry": [[0.0, 0.0, 0.0], [0.0, 0.0, 0.735]]}
LIH = {
    "symbols": ["Li", "H"],
    "geometry": [[0.0, 0.0, 0.0], [0.0, 0.0, 1.6]],
    "active_electrons": 2,
    "active_orbitals": 5,
}
# H2 reduced to two qubits by symmetry (a common textbook form); ground energy -1.857275.
TWO_QUBITS = {
    "paulis": ["II", "IZ", "ZI", "ZZ", "XX"],
    "coeffs": [-1.052373, 0.397937, -0.397937, -0.011280, 0.180931],
}
CHEMICAL_ACCURACY = 1.6e-3


def vqe(**request):
    return run_vqe(VQESpec.from_dict(request))


def test_h2_uccsd_reaches_the_exact_ground_energy():
    result = vqe(hamiltonian=H2, ansatz="uccsd", optimizer="l-bfgs-b", seed=7)

    assert result.exact_energy == pytest.approx(-1.137306, abs=1e-6)
    assert abs(result.energy - result.exact_energy) < 1e-6
    assert result.hf_energy == pytest.approx(-1.116999, abs=1e-6)
    assert result.num_qubits == 4
    assert result.std_error is None
    assert json.loads(json.dumps(result.to_dict())) == result.to_dict()


@pytest.mark.slow
def test_lih_active_space_reaches_chemical_accuracy():
    result = vqe(hamiltonian=LIH, seed=7)

    assert result.ansatz == "uccsd"
    assert result.num_qubits == 10
    # Hartree–Fock misses the target by far, so reaching it takes the correlation.
    assert result.hf_energy - result.exact_energy > 10 * CHEMICAL_ACCURACY
    assert abs(result.error) < CHEMICAL_ACCURACY


@pytest.mark.parametrize("optimizer", ["cobyla", "l-bfgs-b", "spsa", "adam"])
def test_each_optimizer_finds_the_ground_energy(optimizer):
    result = vqe(
        hamiltonian=TWO_QUBITS, ansatz="real_amplitudes", reps=1, optimizer=optimizer, seed=3
    )

    assert result.exact_energy == pytest.approx(-1.857275, abs=1e-6)
    assert abs(result.error) < 1e-4
    assert result.optimizer == optimizer


def test_uccsd_gradient_matches_finite_differences():
    # Each UCCSD parameter drives several Pauli rotations, so a plain shift rule is wrong.
    problem = Molecule.from_dict(H2).build()
    ansatz = build_ansatz("uccsd", problem, reps=2)
    estimator = StatevectorEstimator(compile_rotations(ansatz.circuit), problem.sparse_matrix)
    theta = np.array([0.3, -0.8, 0.1, -0.2, 0.5, 0.05])

    _, gradient = estimator.energy_and_gradient(theta)

    step = 1e-6 * np.eye(len(theta))
    expected = [(estimator.energy(theta + s) - estimator.energy(theta - s)) / 2e-6 for s in step]
    np.testing.assert_allclose(gradient, expected, atol=1e-7)


@pytest.mark.slow
def test_sampled_parameter_shift_gradient_matches_the_exact_one():
    problem = PauliSum.from_dict(TWO_QUBITS).build()
    program = compile_rotations(build_ansatz("efficient_su2", problem, reps=1).circuit)
    theta = np.random.default_rng(1).uniform(-1, 1, program.weights.shape[1])
    exact = StatevectorEstimator(program, problem.sparse_matrix).energy_and_gradient(theta)[1]

    sampled = SampledEstimator(program, problem.operator, shots=20_000, seed=5)
    _, gradient = sampled.energy_and_gradient(theta)

    # Each component's standard error is about 0.003; the slopes are up to 0.5.
    np.testing.assert_allclose(gradient, exact, atol=0.015)


@pytest.mark.slow
def test_shot_based_run_reports_its_standard_error():
    result = vqe(
        hamiltonian=TWO_QUBITS,
        ansatz="real_amplitudes",
        reps=1,
        estimator="shots",
        shots=4096,
        max_iterations=60,
        seed=1,
    )

    assert result.optimizer == "spsa"
    assert result.shots == 4096
    assert 0 < result.std_error < 0.02
    assert abs(result.error) < 4 * result.std_error


@pytest.mark.slow
def test_noisy_run_simulates_the_target_device():
    result = vqe(
        hamiltonian=TWO_QUBITS,
        ansatz="real_amplitudes",
        reps=1,
        estimator="noisy",
        target="ibm_torino",
        max_iterations=20,
        seed=1,
    )

    assert result.target == "ibm_torino"
    assert result.std_error > 0
    # Noise can only raise the energy; the optimiser still beats the mixed state (Tr H / 4).
    assert result.energy > result.exact_energy - 4 * result.std_error
    assert result.energy < -1.052373 - 0.5


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        ({"hamiltonian": {"paulis": ["ZZ", "XX"], "coeffs": [1.0, 0.5j]}}, "hamiltonian.coeffs"),
        (
            {"hamiltonian": {"paulis": ["ZZ", "XY"], "coeffs": [1.0, [0.5, 0.2]]}},
            "hamiltonian.coeffs",
        ),
        ({"hamiltonian": {"paulis": ["ZQ"], "coeffs": [1.0]}}, "hamiltonian.paulis"),
        ({"hamiltonian": {"paulis": ["ZZ", "Z"], "coeffs": [1.0, 1.0]}}, "hamiltonian.paulis"),
        ({"hamiltonian": {"paulis": ["ZZ"], "coeffs": [1.0, 2.0]}}, "hamiltonian.coeffs"),
        ({"hamiltonian": {"paulis": [], "coeffs": []}}, "hamiltonian.paulis"),
        ({"hamiltonian": {**H2, "symbols": ["H", "Xx"]}}, "hamiltonian.symbols"),
        ({"hamiltonian": TWO_QUBITS, "reps": -1}, "reps"),
        ({"hamiltonian": TWO_QUBITS, "optimizer": "newton"}, "optimizer"),
        ({"hamiltonian": TWO_QUBITS, "ansatz": "qaoa"}, "ansatz"),
        ({"hamiltonian": TWO_QUBITS, "estimator": "exact"}, "estimator"),
        ({"hamiltonian": TWO_QUBITS, "ansatz": "uccsd"}, "num_electrons"),
        ({"hamiltonian": TWO_QUBITS, "num_electrons": 3}, "num_electrons"),
        ({"hamiltonian": H2, "num_electrons": 2}, "num_electrons"),
        ({"hamiltonian": TWO_QUBITS, "estimator": "noisy"}, "target"),
        ({"hamiltonian": TWO_QUBITS, "estimator": "noisy", "target": "ibm_nowhere"}, "target"),
        ({"hamiltonian": TWO_QUBITS, "estimator": "shots", "shots": 0}, "shots"),
        ({"hamiltonian": TWO_QUBITS, "max_iterations": 0}, "max_iterations"),
        ({"hamiltonian": TWO_QUBITS, "seed": -5}, "seed"),
        ({"hamiltonian": TWO_QUBITS, "initial_parameters": [0.1, "x"]}, "initial_parameters"),
        ({"hamiltonian": TWO_QUBITS, "maxiter": 10}, "maxiter"),
        ({"hamiltonian": {"paulis": ["Z" * 25], "coeffs": [1.0]}}, "hamiltonian"),
    ],
)
def test_bad_input_is_refused_naming_the_field(request_, field):
    with pytest.raises(SynqInputError) as error:
        VQESpec.from_dict(request_)
    assert error.value.field == field


def test_initial_parameters_must_fit_the_ansatz():
    spec = VQESpec.from_dict({"hamiltonian": H2, "initial_parameters": [0.0, 0.0]})
    with pytest.raises(SynqInputError) as error:
        run_vqe(spec)
    assert error.value.field == "initial_parameters"
    assert "3 parameters" in str(error.value)


def test_callbacks_run_once_per_iteration():
    progress, iterations = [], []
    spec = VQESpec.from_dict({"hamiltonian": TWO_QUBITS, "optimizer": "spsa", "max_iterations": 8})

    result = run_vqe(
        spec,
        progress=lambda fraction, message: progress.append((fraction, message)),
        on_iteration=lambda i, energy: iterations.append((i, energy)),
    )

    assert result.iterations == 8
    assert [i for i, _ in iterations] == list(range(1, 9))
    assert [e for _, e in iterations] == list(result.history)
    assert [f for f, _ in progress] == [i / 8 for i in range(1, 9)]
    assert progress[2][1] == f"iteration 3: E = {result.history[2]:.6f}"


def test_should_stop_ends_the_run_with_what_it_has():
    polls = []

    def should_stop():
        polls.append(1)
        return len(polls) == 4

    spec = VQESpec.from_dict({"hamiltonian": H2, "optimizer": "cobyla", "seed": 2})
    result = run_vqe(spec, should_stop=should_stop)

    assert result.stopped
    assert result.iterations == 4
    assert len(result.history) == 4


@pytest.mark.parametrize("estimator", ["statevector", "shots"])
def test_the_same_seed_gives_the_same_result(estimator):
    request = {"hamiltonian": TWO_QUBITS, "estimator": estimator, "max_iterations": 5}
    first = vqe(**request, seed=11).to_dict()
    again = vqe(**request, seed=11).to_dict()
    other = vqe(**request, seed=12).to_dict()

    assert first == again
    assert first["history"] != other["history"]


def test_a_run_without_seed_reports_one_that_reproduces_it():
    request = {"hamiltonian": TWO_QUBITS, "optimizer": "adam", "max_iterations": 5}
    result = vqe(**request)

    assert vqe(**request, seed=result.seed).history == result.history
