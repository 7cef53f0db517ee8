"""Molecules in a request, and their qubit Hamiltonians from PennyLane's Hartree–Fock."""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
from qiskit.quantum_info import SparsePauliOp

from synq_jupyter.algorithms.hamiltonian import Hamiltonian
from synq_jupyter.errors import SynqInputError

# PennyLane ships basis-set data for hydrogen to neon; more would need a download.
ELEMENTS = ("H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne")
# Spatial orbitals per atom (H and He, then Li to Ne) in each basis PennyLane ships.
BASIS_ORBITALS = {
    "sto-3g": (1, 5),
    "6-31g": (2, 9),
    "6-311g": (3, 13),
    "cc-pvdz": (5, 15),
}
MIN_DISTANCE = 0.1  # Å; closer nuclei are almost surely a typo (e.g. bohr given as Å).
FIELD = "hamiltonian"


@dataclass(frozen=True)
class Molecule:
    """A closed-shell molecule and an optional active space.

    Attributes:
        symbols: Element symbols, one per atom (``"H"`` to ``"Ne"``).
        geometry: Cartesian coordinates in ångström, one ``(x, y, z)`` per atom.
        charge: Net charge.
        multiplicity: Spin multiplicity; only singlets (1) are supported.
        basis: Gaussian basis set: sto-3g, 6-31g, 6-311g or cc-pvdz.
        active_electrons: Electrons in the active space; all when ``None``.
        active_orbitals: Spatial orbitals in the active space; all when ``None``.

    Raises:
        SynqInputError: Unknown elements, a geometry that is not one point per atom,
            coinciding atoms, a charge or multiplicity no state of the molecule has,
            an open shell, or an active space that does not fit.
    """

    symbols: tuple[str, ...]
    geometry: tuple[tuple[float, float, float], ...]
    charge: int = 0
    multiplicity: int = 1
    basis: str = "sto-3g"
    active_electrons: int | None = None
    active_orbitals: int | None = None

    def __post_init__(self) -> None:
        self._check_atoms()
        self._check_electrons()
        self._check_active_space()

    @classmethod
    def from_dict(cls, spec: dict[str, Any]) -> Molecule:
        """Reads ``{"symbols": ["H", "H"], "geometry": [[0, 0, 0], [0, 0, 0.735]], ...}``."""
        known = {"symbols", "geometry", "charge", "multiplicity", "basis"}
        known |= {"active_electrons", "active_orbitals"}
        for key in spec:
            if key not in known:
                raise SynqInputError(f"unknown molecule field {key!r}", field=f"{FIELD}.{key}")
        symbols, geometry = spec.get("symbols"), spec.get("geometry")
        if not isinstance(symbols, list | tuple) or not symbols:
            raise SynqInputError(
                "symbols must be a non-empty list of element symbols", field=f"{FIELD}.symbols"
            )
        if not isinstance(geometry, list | tuple):
            raise SynqInputError(
                "geometry must be a list of [x, y, z] in ångström", field=f"{FIELD}.geometry"
            )
        basis = spec.get("basis", "sto-3g")
        return cls(
            symbols=tuple(symbols),
            geometry=tuple(_point(p) for p in geometry),
            charge=_integer(spec, "charge", 0),
            multiplicity=_integer(spec, "multiplicity", 1),
            basis=basis.lower() if isinstance(basis, str) else basis,
            active_electrons=_integer(spec, "active_electrons", None),
            active_orbitals=_integer(spec, "active_orbitals", None),
        )

    @property
    def num_electrons(self) -> int:
        """Electrons of the whole molecule."""
        return sum(ELEMENTS.index(s) + 1 for s in self.symbols) - self.charge

    @property
    def num_orbitals(self) -> int:
        """Spatial orbitals of the whole molecule in ``basis``."""
        light, heavy = BASIS_ORBITALS[self.basis]
        return sum(light if s in ("H", "He") else heavy for s in self.symbols)

    @property
    def active(self) -> tuple[int, int]:
        """(electrons, spatial orbitals) of the active space."""
        electrons = self.num_electrons if self.active_electrons is None else self.active_electrons
        core = (self.num_electrons - electrons) // 2
        orbitals = (
            self.num_orbitals - core if self.active_orbitals is None else self.active_orbitals
        )
        return electrons, orbitals

    @property
    def num_qubits(self) -> int:
        """Qubits of the Jordan–Wigner Hamiltonian: one per active spin orbital."""
        return 2 * self.active[1]

    def build(self) -> Hamiltonian:
        """The Jordan–Wigner qubit Hamiltonian of the active space, in hartree.

        PennyLane's wire ``i`` (spin orbital ``i``, α even and β odd) becomes Qiskit's
        qubit ``i``, so the Hartree–Fock state fills the lowest qubits.
        """
        import pennylane as qml

        electrons, orbitals = self.active
        try:
            operator, num_qubits = qml.qchem.molecular_hamiltonian(
                list(self.symbols),
                np.array(self.geometry, dtype=float),
                unit="angstrom",
                charge=self.charge,
                mult=self.multiplicity,
                basis=self.basis,
                method="dhf",
                active_electrons=electrons,
                active_orbitals=orbitals,
            )
        except ValueError as exc:
            raise SynqInputError(f"cannot build the Hamiltonian: {exc}", field=FIELD) from None
        terms = [
            ("".join(word.values()), list(word.keys()), float(coeff))
            for word, coeff in qml.pauli.pauli_sentence(operator).items()
        ]
        qubit_operator = SparsePauliOp.from_sparse_list(terms, num_qubits=num_qubits)
        return Hamiltonian(
            operator=qubit_operator.simplify(atol=1e-12),
            num_electrons=electrons,
            is_molecular=True,
        )

    def _check_atoms(self) -> None:
        for symbol in self.symbols:
            if symbol not in ELEMENTS:
                raise SynqInputError(
                    f"{symbol!r} is not an element SynQ can model; use one of "
                    f"{', '.join(ELEMENTS)}",
                    field=f"{FIELD}.symbols",
                )
        if len(self.geometry) != len(self.symbols):
            raise SynqInputError(
                f"{len(self.symbols)} atoms but {len(self.geometry)} positions: give one "
                "[x, y, z] per symbol",
                field=f"{FIELD}.geometry",
            )
        points = np.array(self.geometry, dtype=float)
        for i in range(len(points)):
            for j in range(i):
                if np.linalg.norm(points[i] - points[j]) < MIN_DISTANCE:
                    raise SynqInputError(
                        f"atoms {j} and {i} are closer than {MIN_DISTANCE} Å; positions are in "
                        "ångström",
                        field=f"{FIELD}.geometry",
                    )
        if self.basis not in BASIS_ORBITALS:
            raise SynqInputError(
                f"unknown basis {self.basis!r}; use one of {', '.join(BASIS_ORBITALS)}",
                field=f"{FIELD}.basis",
            )

    def _check_electrons(self) -> None:
        electrons = self.num_electrons
        if electrons <= 0:
            raise SynqInputError(
                f"a charge of {self.charge} leaves {electrons} electrons", field=f"{FIELD}.charge"
            )
        if self.multiplicity < 1 or self.multiplicity > electrons + 1:
            raise SynqInputError(
                f"multiplicity must be 1 to {electrons + 1} for {electrons} electrons",
                field=f"{FIELD}.multiplicity",
            )
        if (electrons + self.multiplicity) % 2 == 0:
            raise SynqInputError(
                f"{electrons} electrons cannot have multiplicity {self.multiplicity}: an "
                f"{'even' if electrons % 2 == 0 else 'odd'} count needs an "
                f"{'odd' if electrons % 2 == 0 else 'even'} multiplicity",
                field=f"{FIELD}.multiplicity",
            )
        if self.multiplicity != 1:
            raise SynqInputError(
                "only closed-shell molecules (multiplicity 1) are supported",
                field=f"{FIELD}.multiplicity",
            )

    def _check_active_space(self) -> None:
        electrons, orbitals = self.num_electrons, self.num_orbitals
        field = f"{FIELD}.active_electrons"
        active = self.active_electrons
        if active is not None and not (0 < active <= electrons and (electrons - active) % 2 == 0):
            raise SynqInputError(
                f"active_electrons must be even and from 2 to {electrons}: the inactive "
                "electrons fill whole core orbitals",
                field=field,
            )
        active_electrons, active_orbitals = self.active
        core = (electrons - active_electrons) // 2
        if active_orbitals < 1 or core + active_orbitals > orbitals:
            raise SynqInputError(
                f"active_orbitals must be from 1 to {orbitals - core} ({orbitals} orbitals, "
                f"{core} in the core)",
                field=f"{FIELD}.active_orbitals",
            )
        if active_electrons > 2 * active_orbitals:
            raise SynqInputError(
                f"{active_electrons} electrons do not fit in {active_orbitals} orbitals",
                field=field if active is not None else f"{FIELD}.charge",
            )


def _point(value: Any) -> tuple[float, float, float]:
    if (
        not isinstance(value, list | tuple)
        or len(value) != 3
        or not all(_is_real(c) and math.isfinite(c) for c in value)
    ):
        raise SynqInputError(
            f"{value!r} is not a position [x, y, z] in ångström", field=f"{FIELD}.geometry"
        )
    return (float(value[0]), float(value[1]), float(value[2]))


def _integer(spec: dict[str, Any], key: str, default: int | None) -> Any:
    value = spec.get(key, default)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise SynqInputError(f"{key} must be an integer", field=f"{FIELD}.{key}")
    return value


def _is_real(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)
