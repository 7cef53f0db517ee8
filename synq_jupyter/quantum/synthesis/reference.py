"""Reference states and matrices computed from their definitions, independent of Qiskit."""

from __future__ import annotations

import numpy as np


def qft_matrix(num_qubits: int, *, swaps: bool = True, inverse: bool = False) -> np.ndarray:
    """The QFT from its definition, ``F[j, k] = exp(2πi jk / N) / √N``.

    Without swaps the outputs come in bit-reversed order, ``R·F``; the inverse is the
    conjugate transpose of the forward operation.
    """
    size = 2**num_qubits
    index = np.arange(size)
    matrix = np.exp(2j * np.pi * np.outer(index, index) / size) / np.sqrt(size)
    if not swaps:
        matrix = matrix[_bit_reversal(num_qubits)]
    return matrix.conj().T if inverse else matrix


def permutation_matrix(pattern: tuple[int, ...] | list[int]) -> np.ndarray:
    """The operation that puts the state of qubit ``pattern[k]`` on qubit ``k``."""
    num_qubits = len(pattern)
    size = 2**num_qubits
    matrix = np.zeros((size, size))
    for source in range(size):
        target = sum(((source >> pattern[k]) & 1) << k for k in range(num_qubits))
        matrix[target, source] = 1.0
    return matrix


def ghz_vector(num_qubits: int) -> np.ndarray:
    """(|00…0⟩ + |11…1⟩) / √2."""
    vector = np.zeros(2**num_qubits, dtype=complex)
    vector[0] = vector[-1] = 1 / np.sqrt(2)
    return vector


def w_vector(num_qubits: int) -> np.ndarray:
    """The equal superposition of the ``num_qubits`` states with exactly one qubit set."""
    vector = np.zeros(2**num_qubits, dtype=complex)
    vector[[1 << k for k in range(num_qubits)]] = 1 / np.sqrt(num_qubits)
    return vector


def _bit_reversal(num_qubits: int) -> list[int]:
    return [int(format(i, f"0{num_qubits}b")[::-1], 2) for i in range(2**num_qubits)]
