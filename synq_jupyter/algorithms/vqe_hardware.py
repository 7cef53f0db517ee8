"""Energies and parameter-shift gradients estimated on a quantum device, one job per batch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp

from synq_jupyter.algorithms.vqe_program import RotationProgram
from synq_jupyter.algorithms.vqe_shift_rule import ShiftRuleEstimator
from synq_jupyter.quantum.targets import SynqTarget

# An EstimatorV2 PUB as a device takes it: an ISA circuit, its observable on the device's
# qubits, and one row of parameter values per point.
Pub = tuple[QuantumCircuit, SparsePauliOp, np.ndarray]
# Runs PUBs at a precision on the device and returns one PubResult (``data.evs`` and
# ``data.stds``) per PUB, for example
# ``lambda pubs, precision: EstimatorV2(mode=session).run(pubs, precision=precision).result()``.
RunPubs = Callable[[list[Pub], float], Sequence[Any]]


class HardwareEstimator(ShiftRuleEstimator):
    """⟨ψ(θ)|H|ψ(θ)⟩ measured on the device ``target`` names, with its standard error.

    The ansatz is transpiled once for the catalogue ``target`` (parameters left free) and
    ``H`` is laid out on the physical qubits the transpiler chose; each batch of points
    (an energy, SPSA's pair, a parameter-shift gradient) is then one call of ``run``, so
    one job on the device. Gradients come from the parameter-shift rule (see
    ``ShiftRuleEstimator``).

    Args:
        program: The ansatz as rotations.
        operator: The Hamiltonian.
        shots: Samples per estimate (the precision asked of the device is 1/√shots).
        target: The catalogue device the circuits run on.
        run: Sends PUBs to that device and returns their results.
        seed: Seeds the transpiler.
        on_shots: Called with the shots each device job spent.

    Raises:
        TargetError: ``target`` cannot run the ansatz.
    """

    def __init__(
        self,
        program: RotationProgram,
        operator: SparsePauliOp,
        *,
        shots: int,
        target: SynqTarget,
        run: RunPubs,
        seed: int,
        on_shots: Callable[[int], None] | None = None,
    ) -> None:
        from synq_jupyter.quantum import transpile_circuit

        super().__init__(program, on_shots)
        self.shots = shots
        self._send = run
        circuit = program.circuit()
        self._circuit = transpile_circuit(circuit, target, seed=seed).circuit
        self._observable = operator.apply_layout(self._circuit.layout)
        # Columns of φ in the order the transpiled circuit lists its parameters.
        names = [p.name for p in circuit.parameters]
        self._columns = [names.index(p.name) for p in self._circuit.parameters]

    def _run(self, angles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pub = (self._circuit, self._observable, angles[:, self._columns])
        (result,) = self._send([pub], 1 / self.shots**0.5)
        self._spent([result], self.shots)
        return np.atleast_1d(result.data.evs), np.atleast_1d(result.data.stds)
