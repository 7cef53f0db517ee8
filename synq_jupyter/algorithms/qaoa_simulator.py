"""Exact QAOA statevectors, expectations and gradients from the diagonal cost."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from synq_jupyter.algorithms.problems import Problem
from synq_jupyter.errors import SynqInputError

Floats = Sequence[float] | np.ndarray

# 2^24 amplitudes are 256 MiB; a few such vectors are alive while the gradient is taken.
MAX_QUBITS = 24


class QAOASimulator:
    """Simulates the QAOA state ``prod_k exp(-i b_k B) exp(-i g_k C) |+>^n`` exactly.

    C is the problem's objective, applied as a phase from its precomputed diagonal, and
    ``B = sum_i X_i`` is the mixer. The mixer is ``RX(2 b)`` on every qubit, applied a few
    qubits at a time: the lowest ``GROUP`` qubits are contracted with their
    ``RX^(x GROUP)`` matrix in one matrix product whose output moves them to the top, so after
    all groups the qubits are back in place and every step is a single BLAS call.

    Amplitudes are in Qiskit order (bit i of the index is qubit i), so states compare
    directly with ``qiskit.quantum_info.Statevector``.

    Args:
        problem: The problem; at most ``MAX_QUBITS`` variables.

    Raises:
        SynqInputError: The problem has too many variables to simulate.
    """

    GROUP = 4

    def __init__(self, problem: Problem) -> None:
        n = problem.num_variables
        if n > MAX_QUBITS:
            raise SynqInputError(
                f"exact simulation handles at most {MAX_QUBITS} variables; this problem has {n}",
                field="problem",
            )
        self.num_qubits = n
        self.cost = problem.cost_vector()
        self.evaluations = 0
        self._groups = [min(self.GROUP, n - q) for q in range(0, n, self.GROUP)]
        values, inverse = np.unique(self.cost, return_inverse=True)
        # Integer-weighted problems take few distinct values: exponentiate those, then gather.
        self._levels: tuple[np.ndarray, np.ndarray] | None = None
        if len(values) <= self.cost.size // 8:
            self._levels = (values, inverse.astype(np.min_scalar_type(len(values))))

    def state(self, gammas: Floats, betas: Floats) -> np.ndarray:
        """The QAOA statevector for the given angles (one gamma and one beta per layer)."""
        psi = np.full(self.cost.size, 1 / np.sqrt(self.cost.size), dtype=complex)
        for gamma, beta in zip(gammas, betas, strict=True):
            psi *= self._phase(gamma)
            psi = self._mix(psi, beta)
        return psi

    def expectation(self, gammas: Floats, betas: Floats) -> float:
        """<C> in the QAOA state."""
        self.evaluations += 1
        return float(np.dot(self.cost, np.abs(self.state(gammas, betas)) ** 2))

    def expectation_and_gradient(self, gammas: Floats, betas: Floats) -> tuple[float, np.ndarray]:
        """<C> and its gradient, ordered as (d/dgamma_1 .. d/dgamma_p, d/dbeta_1 .. d/dbeta_p).

        Uses the adjoint method: one forward pass, then the state and ``lambda = C |psi>``
        are run backwards together, reading off each layer's derivative as
        ``2 Im <lambda| G |psi>`` for that layer's generator G (C or B).
        """
        self.evaluations += 1
        psi = self.state(gammas, betas)
        value = float(np.dot(self.cost, np.abs(psi) ** 2))
        adjoint = self.cost * psi
        p = len(gammas)
        grad = np.empty(2 * p)
        for k in reversed(range(p)):
            psi, adjoint, overlap = self._unmix_both(psi, adjoint, betas[k])
            grad[p + k] = 2 * overlap.imag
            grad[k] = 2 * np.vdot(adjoint, self.cost * psi).imag
            undo = np.conj(self._phase(gammas[k]))
            psi *= undo
            adjoint *= undo
        return value, grad

    def _phase(self, gamma: float) -> np.ndarray:
        if self._levels is None:
            return np.exp(-1j * gamma * self.cost)
        values, inverse = self._levels
        return np.exp(-1j * gamma * values)[inverse]

    def _mix(self, psi: np.ndarray, beta: float) -> np.ndarray:
        """``exp(-i beta B) |psi>``."""
        for size in self._groups:
            rotation = _rx_power(beta, size)
            psi = (rotation @ psi.reshape(-1, 1 << size).T).reshape(-1)
        return psi

    def _unmix_both(
        self, psi: np.ndarray, adjoint: np.ndarray, beta: float
    ) -> tuple[np.ndarray, np.ndarray, complex]:
        """Undoes ``exp(-i beta B)`` on both vectors, and returns ``<adjoint| B |psi>``.

        Each ``X_i`` commutes with every RX, so its overlap is the same at any point of the
        undoing; it is read for each group just before that group is undone.
        """
        overlap = 0j
        for size in self._groups:
            x = psi.reshape(-1, 1 << size)
            a = adjoint.reshape(-1, 1 << size)
            overlap += np.vdot(a, x @ _x_sum(size))
            rotation = _rx_power(-beta, size)
            psi = (rotation @ x.T).reshape(-1)
            adjoint = (rotation @ a.T).reshape(-1)
        return psi, adjoint, complex(overlap)


def _rx_power(beta: float, size: int) -> np.ndarray:
    """``exp(-i beta X)`` on each of ``size`` qubits, as one 2^size x 2^size matrix.

    Entry (a, b) is ``cos(beta)^(size - d) (-i sin(beta))^d`` with d the number of bits in
    which a and b differ.
    """
    distance = _hamming(size)
    return np.cos(beta) ** (size - distance) * (-1j * np.sin(beta)) ** distance


def _x_sum(size: int) -> np.ndarray:
    """``sum_i X_i`` on ``size`` qubits: 1 where two indices differ in exactly one bit."""
    return (_hamming(size) == 1).astype(complex)


@cache
def _hamming(size: int) -> np.ndarray:
    index = np.arange(1 << size)
    differ = index[:, None] ^ index[None, :]
    return np.array([[bin(d).count("1") for d in row] for row in differ])
