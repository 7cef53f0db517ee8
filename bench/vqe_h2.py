"""SynQ's VQE on H2 against a plain SciPy loop over Qiskit statevectors, and against PennyLane.

H2 at 0.735 Å in STO-3G (4 qubits), UCCSD from the Hartree–Fock state, exact
(statevector) energies. For each optimiser, alternating ``--runs`` times between

* SynQ's ``run_vqe`` (what a worker or a kernel calls: adjoint gradients on a NumPy
  statevector, callbacks, exact diagonalisation for the error), and
* ``scipy.optimize.minimize`` with the same method, options and start on
  ``Statevector(ansatz.assign_parameters(θ)).expectation_value(H)`` (finite-difference
  gradients for L-BFGS-B),

it prints the energy evaluations each needs to reach chemical accuracy (1.6 mHa) and the
median wall-time ratio (target <= 1.20). A SynQ evaluation of L-BFGS-B is an energy with
its adjoint gradient (about three state preparations); the baseline's are single energies.

It then recomputes the energy at SynQ's optimal parameters with PennyLane's
``default.qubit``, from PennyLane's own Hamiltonian and Jordan–Wigner mapping of the same
excitations (|ΔE| must be < 1e-8). Exits 1 when a check fails.

    python bench/vqe_h2.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp, Statevector
from scipy.optimize import minimize
from scipy.sparse import SparseEfficiencyWarning

from synq_jupyter.algorithms.ansatz import uccsd
from synq_jupyter.algorithms.chem_excitations import excitations
from synq_jupyter.algorithms.chem_molecule import Molecule
from synq_jupyter.algorithms.hamiltonian import PauliSum
from synq_jupyter.algorithms.vqe import run_vqe
from synq_jupyter.algorithms.vqe_spec import VQESpec

SEED = 1234
BOND = 0.735  # Å
CHEMICAL_ACCURACY = 1.6e-3  # Ha
MAX_ITERATIONS = 200
TIME_TARGET = 1.20
ENERGY_TOLERANCE = 1e-8
# The options SynQ passes to SciPy, given to the baseline too so both stop alike.
SCIPY_OPTIONS = {
    "l-bfgs-b": {"maxiter": MAX_ITERATIONS, "ftol": 1e-12, "gtol": 1e-8},
    "cobyla": {"maxiter": 10 * MAX_ITERATIONS + 100, "tol": 1e-8},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    # Qiskit's matrix of a Pauli evolution goes through SciPy's sparse expm, which warns.
    warnings.simplefilter("ignore", SparseEfficiencyWarning)

    h2 = Molecule(symbols=("H", "H"), geometry=((0.0, 0.0, 0.0), (0.0, 0.0, BOND))).build()
    problem = PauliSum(*zip(*((p, c.real) for p, c in h2.operator.to_list()), strict=True))
    exact = h2.exact_ground_energy(in_reference_sector=True)
    assert exact is not None
    circuit = uccsd(2, 4)
    print(f"H2 at {BOND} Å, STO-3G, UCCSD ({circuit.num_parameters} parameters), statevector")
    print(f"  exact ground energy {exact:.8f} Ha, seed {SEED}, {args.runs} runs each")
    print(f"  {'optimizer':<10} {'evals to 1.6 mHa':>18} {'median time':>24} {'ratio':>6}")

    failures = []
    best_parameters = None
    for method in ("l-bfgs-b", "cobyla"):

        def ours(method: str = method) -> tuple[float, np.ndarray]:
            spec = VQESpec(
                hamiltonian=problem,
                num_electrons=2,
                ansatz="uccsd",
                optimizer=method,
                seed=SEED,
                max_iterations=MAX_ITERATIONS,
            )
            result = run_vqe(spec)
            return result.energy, np.array(result.optimal_parameters)

        def baseline(method: str = method) -> tuple[float, np.ndarray]:
            return _baseline(circuit, h2.operator, method)[0], np.array([])

        ours()  # warm imports and caches
        baseline()
        times: dict[str, list[float]] = {"ours": [], "baseline": []}
        for _ in range(args.runs):
            for name, run in (("baseline", baseline), ("ours", ours)):
                start = time.perf_counter()
                energy, parameters = run()
                times[name].append(time.perf_counter() - start)
                if name == "ours":
                    best_parameters = parameters
                if abs(energy - exact) > CHEMICAL_ACCURACY:
                    failures.append(f"{name} {method} ended {energy - exact:.2e} Ha from exact")
        ratio = statistics.median(times["ours"]) / statistics.median(times["baseline"])
        reach_ours = _our_evaluations_to_accuracy(problem, method, exact)
        reach_base = _first_within(_baseline(circuit, h2.operator, method)[1], exact)
        print(
            f"  {method:<10} {f'{reach_ours} vs {reach_base}':>18} "
            f"{_ms(times['ours'])} vs {_ms(times['baseline'])} {ratio:>6.2f}"
        )
        if ratio > TIME_TARGET:
            failures.append(f"{method}: time ratio {ratio:.2f} > {TIME_TARGET}")

    assert best_parameters is not None
    # At the optimum and at a random point, where a wrong sign or ordering would show.
    points = {"SynQ's optimum": best_parameters}
    points["random θ"] = np.random.default_rng(SEED).uniform(-np.pi, np.pi, circuit.num_parameters)
    for name, theta in points.items():
        ours_energy = _qiskit_energy(circuit, h2.operator, theta)
        pennylane_energy = _pennylane_energy(theta)
        delta = abs(ours_energy - pennylane_energy)
        print(
            f"  E at {name:<15} SynQ {ours_energy:.10f}  PennyLane default.qubit "
            f"{pennylane_energy:.10f}  |ΔE| = {delta:.1e} Ha (target < {ENERGY_TOLERANCE:.0e})"
        )
        if delta >= ENERGY_TOLERANCE:
            failures.append(f"PennyLane disagrees by {delta:.1e} Ha at {name}")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _baseline(
    circuit: QuantumCircuit, operator: SparsePauliOp, method: str
) -> tuple[float, list[float]]:
    """A plain SciPy loop over Qiskit statevectors: its minimum and every energy it tried."""
    energies: list[float] = []

    def energy(theta: np.ndarray) -> float:
        value = float(
            Statevector(circuit.assign_parameters(theta)).expectation_value(operator).real
        )
        energies.append(value)
        return value

    result = minimize(
        energy,
        np.zeros(circuit.num_parameters),
        method=method.upper(),
        options=SCIPY_OPTIONS[method],
    )
    return float(result.fun), energies


def _our_evaluations_to_accuracy(problem: PauliSum, method: str, exact: float) -> int:
    """Evaluations of the shortest run (in iterations) that ends within chemical accuracy."""
    for iterations in range(1, MAX_ITERATIONS + 1):
        spec = VQESpec(
            hamiltonian=problem,
            num_electrons=2,
            optimizer=method,
            seed=SEED,
            max_iterations=iterations,
        )
        result = run_vqe(spec)
        if abs(result.energy - exact) < CHEMICAL_ACCURACY:
            return result.evaluations
    return -1


def _first_within(energies: list[float], exact: float) -> int:
    hits = [i + 1 for i, e in enumerate(energies) if abs(e - exact) < CHEMICAL_ACCURACY]
    return hits[0] if hits else -1


def _qiskit_energy(circuit: QuantumCircuit, operator: SparsePauliOp, theta: np.ndarray) -> float:
    return float(Statevector(circuit.assign_parameters(theta)).expectation_value(operator).real)


def _pennylane_energy(theta: np.ndarray) -> float:
    """The UCCSD energy at ``theta`` built from PennyLane's own chemistry and simulator."""
    import pennylane as qml
    from scipy.linalg import expm

    symbols = ["H", "H"]
    geometry = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, BOND]])
    hamiltonian, wires = qml.qchem.molecular_hamiltonian(symbols, geometry, unit="angstrom")
    unitaries = []
    for value, (holes, particles) in zip(theta, excitations(2, wires), strict=True):
        generator = _fermi_generator(qml, holes, particles)
        matrix = qml.matrix(qml.jordan_wigner(generator), wire_order=range(wires))
        unitaries.append(expm(value * matrix))
    device = qml.device("default.qubit", wires=wires)

    @qml.qnode(device)
    def energy() -> Callable[[], float]:
        qml.BasisState(np.array([1, 1, 0, 0]), wires=range(wires))
        for unitary in unitaries:
            qml.QubitUnitary(unitary, wires=range(wires))
        return qml.expval(hamiltonian)

    return float(energy())


def _fermi_generator(qml: Any, holes: tuple[int, ...], particles: tuple[int, ...]) -> Any:
    """τ - τ† for τ = a†_a (a†_b) (a_j) a_i, in PennyLane's fermionic algebra."""
    up = {(k, q): "+" for k, q in enumerate(particles)}
    down = {(len(particles) + k, q): "-" for k, q in enumerate(reversed(holes))}
    tau = qml.FermiWord(up | down)
    up_back = {(k, q): "+" for k, q in enumerate(holes)}
    down_back = {(len(holes) + k, q): "-" for k, q in enumerate(reversed(particles))}
    return tau - qml.FermiWord(up_back | down_back)


def _ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):>8.1f} ms (min {1000 * min(values):.1f})"


if __name__ == "__main__":
    sys.exit(main())
