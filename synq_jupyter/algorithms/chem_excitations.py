"""Spin-conserving fermionic excitations and their Jordan–Wigner generators."""

from __future__ import annotations

from functools import cache
from itertools import combinations

import numpy as np
from qiskit.quantum_info import SparsePauliOp

Excitation = tuple[tuple[int, ...], tuple[int, ...]]


def excitations(num_electrons: int, num_qubits: int) -> list[Excitation]:
    """Singles then doubles out of the reference that fills qubits ``0 .. num_electrons - 1``.

    Qubits are spin orbitals, α on even and β on odd qubits; an excitation moves electrons
    from occupied to virtual orbitals without changing the number of α or β electrons.

    Returns:
        ``((occupied ...), (virtual ...))`` pairs, ordered singles first.
    """
    occupied, virtual = range(num_electrons), range(num_electrons, num_qubits)
    found: list[Excitation] = []
    for rank in (1, 2):
        for holes in combinations(occupied, rank):
            for particles in combinations(virtual, rank):
                if sum(q % 2 for q in holes) == sum(q % 2 for q in particles):
                    found.append((holes, particles))
    return found


def excitation_generator(excitation: Excitation, num_qubits: int) -> SparsePauliOp:
    """The Hermitian ``G`` with ``exp(-iθG) = exp(θ(τ - τ†))`` for the excitation ``τ``.

    For holes ``(i, j)`` and particles ``(a, b)``, ``τ = a†_a a†_b a_j a_i``; for a single,
    ``τ = a†_a a_i``. Its Pauli terms commute, each with weight ±1/2 (single) or ±1/8
    (double), so ``exp(-iθG)`` is exactly a product of Pauli rotations.
    """
    holes, particles = excitation
    tau = SparsePauliOp(["I" * num_qubits])
    for q in particles:
        tau = tau.dot(_creator(q, num_qubits))
    for q in reversed(holes):
        tau = tau.dot(_creator(q, num_qubits).adjoint())
    generator = (1j * (tau - tau.adjoint())).simplify(atol=1e-12)
    if np.any(np.abs(generator.coeffs.imag) > 1e-12):
        raise AssertionError("an excitation generator must be Hermitian")
    return SparsePauliOp(generator.paulis, generator.coeffs.real)


@cache
def _creator(qubit: int, num_qubits: int) -> SparsePauliOp:
    """a†_q = Z_0 … Z_{q-1} (X_q - iY_q) / 2."""
    string = list(range(qubit))
    return SparsePauliOp.from_sparse_list(
        [("X" + "Z" * qubit, [qubit, *string], 0.5), ("Y" + "Z" * qubit, [qubit, *string], -0.5j)],
        num_qubits=num_qubits,
    )
