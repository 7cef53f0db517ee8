"""A transpiled circuit made ready for Aer with its device's noise, on the qubits it uses."""

from __future__ import annotations

import contextlib
import functools
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum.noise import noise_model_for

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import SparsePauliOp

    from synq_jupyter.quantum.targets import SynqTarget


@dataclass(frozen=True)
class DeviceSimulation:
    """What to hand to Aer (or to a primitive in local mode) to mimic the device.

    Attributes:
        circuit: The transpiled circuit on only the qubits it uses, renumbered in order,
            with natives Aer lacks as labelled unitaries.
        qubits: The physical qubit each of ``circuit``'s qubits stands for.
        simulator: An ``AerSimulator`` with the device's noise on those qubits.
    """

    circuit: QuantumCircuit
    qubits: list[int]
    simulator: Any

    def observable(self, operator: SparsePauliOp) -> SparsePauliOp:
        """``operator`` on the device's physical qubits, moved onto ``circuit``'s qubits."""
        from qiskit.quantum_info import SparsePauliOp

        position = {q: i for i, q in enumerate(self.qubits)}
        terms = [
            (paulis, [position[q] for q in indices], coeff)
            for paulis, indices, coeff in operator.to_sparse_list()
        ]
        return SparsePauliOp.from_sparse_list(terms, num_qubits=len(self.qubits))


def device_simulation(
    transpiled: QuantumCircuit, target: SynqTarget, keep: list[int] | None = None
) -> DeviceSimulation:
    """Prepares ``transpiled`` (already mapped to ``target``) for a noisy Aer run.

    Args:
        transpiled: A circuit transpiled for ``target``.
        target: The device whose calibration gives the noise.
        keep: Physical qubits to keep even if no gate touches them (e.g. observables').
    """
    from qiskit_aer import AerSimulator

    circuit, qubits = _compact(_natives_as_unitaries(transpiled), keep or [])
    check_simulable(len(qubits), target.name)
    # Aer picks a density matrix for noisy runs with many shots, whatever its size: at 2n
    # qubits' worth of memory it runs out where the statevector (one trajectory per shot)
    # fits.
    fits_density = 2 * len(qubits) <= max_simulated_qubits()
    return DeviceSimulation(
        circuit,
        qubits,
        AerSimulator(
            method="automatic" if fits_density else "statevector",
            noise_model=noise_model_for(target, qubits),
        ),
    )


@functools.cache
def max_simulated_qubits() -> int:
    """The most qubits a noisy simulation holds here: a statevector of 16-byte amplitudes
    in half the memory this process may use (Aer's own cap), the machine's or its
    container's, whichever is less. Read once: every validation and noisy run asks."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    with contextlib.suppress(OSError, ValueError):  # no cgroup v2 limit, or "max"
        memory = min(memory, int(Path("/sys/fs/cgroup/memory.max").read_text()))
    return int(math.log2(memory / 2 / 16))


def check_simulable(qubits: int, target: str) -> None:
    """Refuses, before Aer runs out of memory, a simulation this machine cannot hold.

    Raises:
        SynqInputError: ``qubits`` is more than ``max_simulated_qubits()``.
    """
    limit = max_simulated_qubits()
    if qubits > limit:
        raise SynqInputError(
            f"the circuit acts on {qubits} qubits; simulating it for {target} on this "
            f"machine holds at most {limit} (2^n amplitudes in memory): use fewer qubits, "
            "or run on the device",
            field="source",
        )


def _natives_as_unitaries(circuit: QuantumCircuit) -> QuantumCircuit:
    """Replaces gates Aer does not simulate by unitaries labelled with the gate's name.

    Only gates: a barrier or a measurement has no unitary (a barrier over 100 qubits would
    ask for a 2^100-square matrix)."""
    from qiskit.circuit import Gate
    from qiskit.circuit.library import UnitaryGate
    from qiskit.quantum_info import Operator
    from qiskit_aer import AerSimulator

    known = set(AerSimulator().target.operation_names)
    if all(inst.operation.name in known for inst in circuit.data):
        return circuit
    out = circuit.copy_empty_like()
    for inst in circuit.data:
        op = inst.operation
        if op.name not in known and isinstance(op, Gate):
            op = UnitaryGate(Operator(op), label=op.name)
        out.append(op, inst.qubits, inst.clbits)
    return out


def active_qubits(circuit: QuantumCircuit) -> set[int]:
    """The indices of the qubits some instruction of ``circuit`` acts on."""
    return {circuit.find_bit(q).index for inst in circuit.data for q in inst.qubits}


def _compact(circuit: QuantumCircuit, keep: list[int]) -> tuple[QuantumCircuit, list[int]]:
    """Keeps only the qubits ``circuit`` acts on (and ``keep``), renumbered in order."""
    from qiskit import QuantumCircuit

    used = sorted(active_qubits(circuit) | set(keep))
    index = {q: i for i, q in enumerate(used)}
    out = QuantumCircuit(len(used), name=circuit.name)
    for creg in circuit.cregs:
        out.add_register(creg)
    loose = [c for c in circuit.clbits if not circuit.find_bit(c).registers]
    if loose:
        out.add_bits(loose)
    for inst in circuit.data:
        out.append(
            inst.operation,
            [out.qubits[index[circuit.find_bit(q).index]] for q in inst.qubits],
            inst.clbits,
        )
    return out, used
