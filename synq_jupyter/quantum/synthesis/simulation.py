"""Exact, noiseless simulation on Qiskit Aer for the checks: final states and unitaries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from qiskit import QuantumCircuit


def final_statevector(circuit: QuantumCircuit) -> np.ndarray:
    """The state ``circuit`` prepares from |0…0⟩ (qubit 0 is the lowest bit of the index)."""
    return final_statevectors([circuit])[0]


def final_statevectors(circuits: Sequence[QuantumCircuit]) -> list[np.ndarray]:
    """The final states of several circuits, simulated in one batch."""
    from qiskit_aer import AerSimulator
    from qiskit_aer.library import SaveStatevector

    runs = []
    for circuit in circuits:
        run = circuit.copy()
        run.append(SaveStatevector(circuit.num_qubits), run.qubits)
        runs.append(run)
    result = AerSimulator(method="statevector").run(runs).result()
    return [np.asarray(result.get_statevector(i)) for i in range(len(runs))]


def circuit_unitary(circuit: QuantumCircuit) -> np.ndarray:
    """The matrix of ``circuit``, global phase included."""
    from qiskit_aer import AerSimulator
    from qiskit_aer.library import SaveUnitary

    run = circuit.copy()
    run.append(SaveUnitary(circuit.num_qubits), run.qubits)
    result = AerSimulator(method="unitary").run(run).result()
    return np.asarray(result.get_unitary(0))


def basis_outputs(circuit: QuantumCircuit, inputs: Sequence[int]) -> list[tuple[int, float]]:
    """Runs ``circuit`` on each basis state of ``inputs``.

    Returns:
        For each input, the most likely output basis state and its probability (1 for a
        classical reversible circuit).
    """
    # Batches hold at most about 2**20 amplitudes (16 MB), however wide the circuit.
    batch = max(1, 2**20 >> circuit.num_qubits)
    outputs = []
    for start in range(0, len(inputs), batch):
        prepared = [_on_basis_state(circuit, value) for value in inputs[start : start + batch]]
        for state in final_statevectors(prepared):
            probabilities = np.abs(state) ** 2
            best = int(np.argmax(probabilities))
            outputs.append((best, float(probabilities[best])))
    return outputs


def _on_basis_state(circuit: QuantumCircuit, value: int) -> QuantumCircuit:
    """``circuit`` preceded by X gates that prepare basis state ``value`` from |0…0⟩."""
    run = circuit.copy_empty_like()
    for qubit in range(circuit.num_qubits):
        if value >> qubit & 1:
            run.x(qubit)
    run.compose(circuit, inplace=True)
    return run
