"""Exact energies and adjoint gradients of a rotation program on a NumPy statevector."""

from __future__ import annotations

from typing import Any

import numpy as np
from qiskit.quantum_info import Operator

from synq_jupyter.algorithms.vqe_program import FixedGate, PauliRotation, RotationProgram

# Cache each rotation's permutation and phases while they take at most this many entries.
CACHE_ENTRIES = 1 << 22


class StatevectorEstimator:
    """⟨ψ(θ)|H|ψ(θ)⟩ without sampling noise, and its exact gradient.

    The state is evolved step by step: a Pauli rotation is ``cos(φ/2)ψ - i sin(φ/2)Pψ``,
    with ``Pψ`` a permutation and a sign, and ``H`` is a sparse matrix. The gradient
    comes from one backward (adjoint) sweep, at about twice the cost of the energy.

    Args:
        program: The ansatz as rotations.
        hamiltonian: ``H`` as a SciPy sparse matrix.

    Attributes:
        evaluations: States prepared so far (an energy, or an energy with its gradient).
        shots_used: Always 0: nothing is sampled.
    """

    std_error = None
    shots_used = 0

    def __init__(self, program: RotationProgram, hamiltonian: Any) -> None:
        self.program = program
        self.hamiltonian = hamiltonian
        self.evaluations = 0
        dimension = 1 << program.num_qubits
        basis = np.arange(dimension)
        cache = dimension * max(program.num_rotations, 1) <= CACHE_ENTRIES
        self._steps: list[_PauliAction | _GateAction] = [
            _PauliAction(step, basis, cache)
            if isinstance(step, PauliRotation)
            else _GateAction(step, program.num_qubits)
            for step in program.steps
        ]

    def energy(self, theta: np.ndarray) -> float:
        """The energy at circuit parameters ``theta``."""
        self.evaluations += 1
        state = self._prepare(self.program.angles(theta))
        return float(np.vdot(state, self.hamiltonian @ state).real)

    def energies(self, points: np.ndarray) -> np.ndarray:
        """The energy at each row of ``points``."""
        return np.array([self.energy(theta) for theta in points])

    def estimate(self, theta: np.ndarray) -> tuple[float, float | None]:
        """The energy and its standard error (``None``: it is exact)."""
        return self.energy(theta), None

    def energy_and_gradient(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """The energy and ∂E/∂θ at ``theta``, by adjoint differentiation."""
        self.evaluations += 1
        angles = self.program.angles(theta)
        state = self._prepare(angles)
        costate = self.hamiltonian @ state
        energy = float(np.vdot(state, costate).real)
        slopes = np.zeros(self.program.num_rotations)
        for step in reversed(self._steps):
            if isinstance(step, _GateAction):
                state, costate = step.undo(state), step.undo(costate)
                continue
            flipped = step.apply(state)
            # dE/dφ = 2 Re⟨λ|(-i/2)P|ψ⟩, with λ = Hψ carried back to this step.
            slopes[step.index] = np.vdot(costate, flipped).imag
            cos, sin = np.cos(angles[step.index] / 2), np.sin(angles[step.index] / 2)
            state = cos * state + 1j * sin * flipped
            costate = cos * costate + 1j * sin * step.apply(costate)
        return energy, self.program.weights.T @ slopes

    def _prepare(self, angles: np.ndarray) -> np.ndarray:
        state = np.zeros(1 << self.program.num_qubits, dtype=complex)
        state[0] = 1.0
        for step in self._steps:
            if isinstance(step, _GateAction):
                state = step.do(state)
            else:
                half = angles[step.index] / 2
                state = np.cos(half) * state - 1j * np.sin(half) * step.apply(state)
        return state


class _PauliAction:
    """``P ψ`` as ``phase[b] · ψ[b ^ flip]``; Qiskit's ``P = (-i)^{#Y} Z^z X^x``."""

    def __init__(self, rotation: PauliRotation, basis: np.ndarray, cache: bool) -> None:
        pauli = rotation.pauli
        self.index = rotation.index
        weights = 1 << np.arange(pauli.num_qubits)
        self.flip = int(pauli.x.astype(np.int64) @ weights)
        self.signs = int(pauli.z.astype(np.int64) @ weights)
        self.phase = (-1j) ** int(np.count_nonzero(pauli.x & pauli.z))
        self._basis = basis
        self._cached: tuple[np.ndarray | None, np.ndarray] | None = None
        if cache:
            self._cached = self._tables()

    def apply(self, state: np.ndarray) -> np.ndarray:
        order, factor = self._cached or self._tables()
        return factor * (state if order is None else state[order])

    def _tables(self) -> tuple[np.ndarray | None, np.ndarray]:
        order = self._basis ^ self.flip if self.flip else None
        parity = (np.bitwise_count(self._basis & self.signs) & 1).astype(np.int64)
        return order, self.phase * (1 - 2 * parity).astype(complex)


class _GateAction:
    """A fixed gate's matrix, applied by contracting it with the state's qubit axes."""

    def __init__(self, gate: FixedGate, num_qubits: int) -> None:
        self.matrix = Operator(gate.operation).data
        self.inverse = self.matrix.conj().T
        self.qubits = list(gate.qubits)
        self.num_qubits = num_qubits

    def do(self, state: np.ndarray) -> np.ndarray:
        return _apply(self.matrix, self.qubits, state, self.num_qubits)

    def undo(self, state: np.ndarray) -> np.ndarray:
        return _apply(self.inverse, self.qubits, state, self.num_qubits)


def _apply(matrix: np.ndarray, qubits: list[int], state: np.ndarray, n: int) -> np.ndarray:
    """``matrix`` (Qiskit order: ``qubits[0]`` least significant) applied to ``state``."""
    k = len(qubits)
    axes = [n - 1 - q for q in reversed(qubits)]
    tensor = np.tensordot(
        matrix.reshape((2,) * (2 * k)), state.reshape((2,) * n), axes=(range(k, 2 * k), axes)
    )
    return np.moveaxis(tensor, range(k), axes).reshape(-1)
