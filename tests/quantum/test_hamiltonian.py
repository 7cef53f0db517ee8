"""Hamiltonians for VQE: Pauli sums, molecules from PennyLane, exact ground energies."""

from __future__ import annotations

import pytest
from qiskit.quantum_info import Statevector

from synq_jupyter.algorithms.chem_molecule import Molecule
from synq_jupyter.algorithms.hamiltonian import PauliSum
from synq_jupyter.errors import SynqInputError

H2 = {"symbols": ["H", "H"], "geometry": [[0.0, 0.0, 0.0], [0.0, 0.0, 0.735]]}


@pytest.fixture(scope="module")
def h2():
    return Molecule.from_dict(H2).build()


def test_h2_energies_match_full_configuration_interaction(h2):
    assert h2.num_qubits == 4
    assert h2.exact_ground_energy(in_reference_sector=True) == pytest.approx(-1.137306, abs=1e-6)
    assert h2.reference_energy == pytest.approx(-1.116999, abs=1e-6)


def test_pennylane_wire_i_becomes_qiskit_qubit_i(h2):
    coeffs = dict(h2.operator.to_list())
    # PennyLane's H2 Hamiltonian has 0.1722 Z(0) and -0.2258 Z(2); qubit 0 is rightmost.
    assert coeffs["IIIZ"].real == pytest.approx(0.172184, abs=1e-5)
    assert coeffs["IZII"].real == pytest.approx(-0.225753, abs=1e-5)
    # The Hartree–Fock state fills spin orbitals 0 and 1: Qiskit's bitstring 0011.
    assert h2.reference_bitstring == "0011"
    hf = Statevector.from_label(h2.reference_bitstring)
    assert hf.expectation_value(h2.operator).real == pytest.approx(h2.reference_energy)


def test_pauli_labels_read_rightmost_letter_as_qubit_zero():
    one_electron = {"paulis": ["IZ"], "coeffs": [1.0]}
    assert PauliSum.from_dict(one_electron).build(num_electrons=1).reference_energy == -1.0
    other_qubit = {"paulis": ["ZI"], "coeffs": [1.0]}
    assert PauliSum.from_dict(other_qubit).build(num_electrons=1).reference_energy == 1.0


def test_repeated_labels_are_summed():
    problem = PauliSum.from_dict({"paulis": ["ZZ", "ZZ", "XI"], "coeffs": [0.25, 0.25, 1]})
    assert dict(problem.build().operator.to_list()) == {"ZZ": 0.5, "XI": 1.0}


def test_exact_energy_in_the_reference_sector_keeps_the_electron_count():
    # Σ Z_i is lowest with every qubit set; with 1 α and 1 β electron it is 0.
    problem = PauliSum(("IIIZ", "IIZI", "IZII", "ZIII"), (1.0, 1.0, 1.0, 1.0)).build(2)
    assert problem.exact_ground_energy(in_reference_sector=False) == pytest.approx(-4.0)
    assert problem.exact_ground_energy(in_reference_sector=True) == pytest.approx(0.0)


def test_exact_energy_is_skipped_above_fourteen_qubits():
    problem = PauliSum(("Z" * 15,), (1.0,)).build()
    assert problem.exact_ground_energy(in_reference_sector=False) is None


def test_coefficients_given_as_real_imaginary_pairs_must_be_real():
    problem = PauliSum.from_dict({"paulis": ["Z"], "coeffs": [[0.5, 0.0]]})
    assert problem.coeffs == (0.5,)
    with pytest.raises(SynqInputError) as error:
        PauliSum.from_dict({"paulis": ["Z"], "coeffs": [[0.5, 0.1]]})
    assert error.value.field == "hamiltonian.coeffs"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"symbols": ["H", "Xx"]}, "hamiltonian.symbols"),
        ({"symbols": ["Na", "H"]}, "hamiltonian.symbols"),
        ({"geometry": [[0, 0, 0]]}, "hamiltonian.geometry"),
        ({"geometry": [[0, 0], [0, 0, 1]]}, "hamiltonian.geometry"),
        ({"geometry": [[0, 0, 0], [0, 0, 0.01]]}, "hamiltonian.geometry"),
        ({"charge": 2}, "hamiltonian.charge"),
        ({"charge": -4}, "hamiltonian.charge"),
        ({"charge": 1}, "hamiltonian.multiplicity"),
        ({"multiplicity": 2}, "hamiltonian.multiplicity"),
        ({"multiplicity": 3}, "hamiltonian.multiplicity"),
        ({"basis": "def2-tzvp"}, "hamiltonian.basis"),
        ({"active_electrons": 4}, "hamiltonian.active_electrons"),
        ({"active_orbitals": 3}, "hamiltonian.active_orbitals"),
        ({"charge": "0"}, "hamiltonian.charge"),
        ({"units": "bohr"}, "hamiltonian.units"),
    ],
)
def test_impossible_molecules_are_refused_naming_the_field(change, field):
    with pytest.raises(SynqInputError) as error:
        Molecule.from_dict({**H2, **change})
    assert error.value.field == field


def test_active_space_sets_the_qubit_count():
    lih = {"symbols": ["Li", "H"], "geometry": [[0, 0, 0], [0, 0, 1.6]]}
    assert Molecule.from_dict(lih).num_qubits == 12
    small = Molecule.from_dict({**lih, "active_electrons": 2, "active_orbitals": 3})
    assert small.num_qubits == 6
    assert Molecule.from_dict({**lih, "active_electrons": 2}).num_qubits == 10
