"""Parametrised trial circuits for VQE: UCCSD and hardware-efficient ansätze."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from qiskit import QuantumCircuit
from qiskit.circuit import ParameterVector
from qiskit.circuit.library import PauliEvolutionGate, efficient_su2, real_amplitudes

from synq_jupyter.algorithms.chem_excitations import excitation_generator, excitations
from synq_jupyter.algorithms.hamiltonian import Hamiltonian
from synq_jupyter.errors import SynqInputError

ANSATZE = ("uccsd", "efficient_su2", "real_amplitudes")


@dataclass(frozen=True)
class Ansatz:
    """A trial circuit and where its optimisation starts.

    Attributes:
        name: One of ``ANSATZE``.
        circuit: The circuit; its parameters, in ``circuit.parameters`` order, are the ones
            the optimiser varies.
        conserves_particles: Whether every state it prepares has the reference's numbers of
            α and β electrons (UCCSD), so only that sector of the Hamiltonian matters.
    """

    name: str
    circuit: QuantumCircuit
    conserves_particles: bool

    @property
    def num_parameters(self) -> int:
        return int(self.circuit.num_parameters)

    def initial_point(self, rng: np.random.Generator) -> np.ndarray:
        """Zeros for UCCSD (the Hartree–Fock state); small random angles otherwise.

        Random angles break the symmetry that makes the all-zero point of a
        hardware-efficient circuit a saddle of the energy for many Hamiltonians.
        """
        if self.name == "uccsd":
            return np.zeros(self.num_parameters)
        return rng.uniform(-np.pi / 2, np.pi / 2, self.num_parameters)


def build_ansatz(name: str, hamiltonian: Hamiltonian, reps: int) -> Ansatz:
    """Builds the ansatz ``name`` for ``hamiltonian``.

    Args:
        name: ``"uccsd"``, ``"efficient_su2"`` or ``"real_amplitudes"``.
        hamiltonian: The problem; UCCSD needs its ``num_electrons``.
        reps: Layers: repetitions of the excitation sequence for UCCSD, of rotations and
            entanglers for the hardware-efficient circuits.

    Raises:
        SynqInputError: UCCSD without a number of electrons, or an unknown name.
    """
    num_qubits = hamiltonian.num_qubits
    if name == "uccsd":
        if hamiltonian.num_electrons is None:
            raise SynqInputError(
                "UCCSD starts from a Hartree–Fock state: give num_electrons for a Pauli-sum "
                "Hamiltonian",
                field="num_electrons",
            )
        return Ansatz(name, uccsd(hamiltonian.num_electrons, num_qubits, reps), True)
    if name == "efficient_su2":
        return Ansatz(name, efficient_su2(num_qubits, reps=reps), False)
    if name == "real_amplitudes":
        return Ansatz(name, real_amplitudes(num_qubits, reps=reps), False)
    raise SynqInputError(
        f"unknown ansatz {name!r}; use one of {', '.join(ANSATZE)}", field="ansatz"
    )


def uccsd(num_electrons: int, num_qubits: int, reps: int = 1) -> QuantumCircuit:
    """Unitary coupled cluster with singles and doubles, Jordan–Wigner mapped.

    The circuit prepares the reference (qubits ``0 .. num_electrons - 1`` set), then
    applies ``exp(θ_k (τ_k - τ_k†))`` for each spin-conserving excitation ``τ_k``, singles
    first, ``reps`` times with fresh parameters. Each factor is a ``PauliEvolutionGate`` of
    commuting Pauli terms, so the circuit is exact, not a Trotter approximation of it.
    """
    if not 0 <= num_electrons <= num_qubits:
        raise SynqInputError(
            f"num_electrons must be from 0 to {num_qubits}, the number of spin orbitals",
            field="num_electrons",
        )
    generators = [
        excitation_generator(e, num_qubits) for e in excitations(num_electrons, num_qubits)
    ]
    theta = ParameterVector("θ", reps * len(generators))
    circuit = QuantumCircuit(num_qubits, name="uccsd")
    for qubit in range(num_electrons):
        circuit.x(qubit)
    for index in range(len(theta)):
        generator = generators[index % len(generators)]
        circuit.append(PauliEvolutionGate(generator, time=theta[index]), range(num_qubits))
    return circuit
