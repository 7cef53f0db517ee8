"""Qubit Hamiltonians for VQE: Pauli sums from a request, and their exact ground energies."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from numbers import Real
from typing import Any

import numpy as np
from qiskit.quantum_info import SparsePauliOp

from synq_jupyter.errors import SynqInputError

MAX_EXACT_QUBITS = 14


@dataclass(frozen=True)
class PauliSum:
    """A Hamiltonian given as a sum of weighted Pauli strings.

    Labels follow Qiskit: the rightmost letter acts on qubit 0.

    Attributes:
        paulis: Labels of equal length made of I, X, Y and Z.
        coeffs: One real weight per label.

    Raises:
        SynqInputError: An empty sum, a malformed label, lists of unequal length, or a
            complex (non-Hermitian) weight.
    """

    paulis: tuple[str, ...]
    coeffs: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.paulis:
            raise SynqInputError(
                "the Hamiltonian needs at least one Pauli term", field="hamiltonian.paulis"
            )
        if len(self.paulis) != len(self.coeffs):
            raise SynqInputError(
                f"{len(self.paulis)} paulis but {len(self.coeffs)} coeffs: give one coefficient "
                "per Pauli string",
                field="hamiltonian.coeffs",
            )
        width = len(self.paulis[0])
        for label in self.paulis:
            if not isinstance(label, str) or not label or set(label) - set("IXYZ"):
                raise SynqInputError(
                    f"{label!r} is not a Pauli string: use the letters I, X, Y and Z",
                    field="hamiltonian.paulis",
                )
            if len(label) != width:
                raise SynqInputError(
                    f"{label!r} has {len(label)} letters but {self.paulis[0]!r} has {width}: "
                    "every string must act on the same qubits",
                    field="hamiltonian.paulis",
                )

    @classmethod
    def from_dict(cls, spec: dict[str, Any]) -> PauliSum:
        """Reads ``{"paulis": ["ZZ", "XI"], "coeffs": [0.5, -0.2]}``.

        A coefficient may be a number, or ``[re, im]`` with ``im`` zero.
        """
        paulis, coeffs = spec.get("paulis"), spec.get("coeffs")
        if not isinstance(paulis, list | tuple):
            raise SynqInputError("paulis must be a list of strings", field="hamiltonian.paulis")
        if not isinstance(coeffs, list | tuple):
            raise SynqInputError("coeffs must be a list of numbers", field="hamiltonian.coeffs")
        return cls(tuple(paulis), tuple(_real_coefficient(c) for c in coeffs))

    @property
    def num_qubits(self) -> int:
        return len(self.paulis[0])

    def build(self, num_electrons: int | None = None) -> Hamiltonian:
        """The operator, with a Hartree–Fock-like reference when ``num_electrons`` is given.

        Qubits are read as spin orbitals, alternating α (even) and β (odd), lowest energy
        first, so the reference fills qubits ``0 .. num_electrons - 1``.
        """
        operator = SparsePauliOp(list(self.paulis), np.asarray(self.coeffs)).simplify(atol=0)
        return Hamiltonian(operator=operator, num_electrons=num_electrons)


@dataclass(frozen=True)
class Hamiltonian:
    """A qubit Hamiltonian ready for VQE.

    Attributes:
        operator: The Hermitian operator, with real coefficients.
        num_electrons: Electrons of the reference state (qubits ``0 .. n - 1`` occupied),
            or ``None`` when the problem has no fermionic reading.
        is_molecular: Whether the energies are in hartree, from a molecule.
    """

    operator: SparsePauliOp
    num_electrons: int | None = None
    is_molecular: bool = False

    @property
    def num_qubits(self) -> int:
        return int(self.operator.num_qubits)

    @property
    def reference_bitstring(self) -> str | None:
        """The reference determinant as a Qiskit bitstring (qubit 0 rightmost)."""
        if self.num_electrons is None:
            return None
        return "0" * (self.num_qubits - self.num_electrons) + "1" * self.num_electrons

    @property
    def reference_energy(self) -> float | None:
        """⟨ref|H|ref⟩: the Hartree–Fock energy for a molecule."""
        if self.num_electrons is None:
            return None
        occupied = (1 << self.num_electrons) - 1
        paulis = self.operator.paulis
        diagonal = ~paulis.x.any(axis=1)
        weights = 1 << np.arange(self.num_qubits)
        zmasks = paulis.z[diagonal].astype(np.int64) @ weights
        signs = 1 - 2 * (np.bitwise_count(zmasks & occupied) & 1).astype(np.int64)
        return float(np.sum(self.operator.coeffs[diagonal].real * signs))

    @cached_property
    def sparse_matrix(self) -> Any:
        """The operator as a SciPy CSR matrix."""
        return self.operator.to_matrix(sparse=True)

    def exact_ground_energy(self, *, in_reference_sector: bool) -> float | None:
        """The lowest eigenvalue, by sparse diagonalisation; ``None`` above 14 qubits.

        Args:
            in_reference_sector: Restrict to states with the reference's numbers of α
                (even qubits) and β (odd qubits) electrons, the states a particle- and
                spin-conserving ansatz such as UCCSD can reach.
        """
        if self.num_qubits > MAX_EXACT_QUBITS:
            return None
        matrix = self.sparse_matrix
        if in_reference_sector and self.num_electrons is not None:
            index = _sector(self.num_qubits, self.num_electrons)
            matrix = matrix[index][:, index]
        return _lowest_eigenvalue(matrix)


def _sector(num_qubits: int, num_electrons: int) -> np.ndarray:
    states = np.arange(1 << num_qubits)
    even = sum(1 << q for q in range(0, num_qubits, 2))
    odd = sum(1 << q for q in range(1, num_qubits, 2))
    alpha, beta = (num_electrons + 1) // 2, num_electrons // 2
    keep = (np.bitwise_count(states & even) == alpha) & (np.bitwise_count(states & odd) == beta)
    return states[keep]


def _lowest_eigenvalue(matrix: Any) -> float:
    from scipy.sparse.linalg import eigsh

    if matrix.shape[0] <= 256:
        return float(np.linalg.eigvalsh(matrix.toarray())[0])
    value = eigsh(matrix, k=1, which="SA", return_eigenvectors=False, tol=1e-12)
    return float(value[0].real)


def _real_coefficient(value: Any) -> float:
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
        real, imag = value
        value = complex(_number(real), _number(imag))
    if isinstance(value, complex):
        if value.imag != 0:
            raise SynqInputError(
                f"coefficient {value} is complex: the Hamiltonian must be Hermitian, so every "
                "coefficient of a Pauli string must be real",
                field="hamiltonian.coeffs",
            )
        value = value.real
    return _number(value)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise SynqInputError(f"{value!r} is not a finite real number", field="hamiltonian.coeffs")
    return float(value)
