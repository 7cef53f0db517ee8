"""Checks that a transpiled circuit still does what its input did."""

from __future__ import annotations

from qiskit import QuantumCircuit
from qiskit.quantum_info import Statevector

_SKIP = {"measure", "barrier", "delay"}


def logical_statevector(transpiled: QuantumCircuit, num_virtual: int) -> Statevector:
    """The final state of ``transpiled`` read in the input circuit's qubit order.

    Virtual qubit ``i`` ends on physical qubit ``final_layout[i]``; every other qubit the
    circuit touches is an ancilla and must end in |0>, so the state is returned over the
    virtual qubits first (indices 0..n-1) and the ancillas after them.
    """
    if transpiled.layout is not None:
        final = transpiled.layout.final_index_layout(filter_ancillas=True)
    else:
        final = list(range(num_virtual))
    used = {
        transpiled.find_bit(q).index
        for inst in transpiled.data
        if inst.operation.name not in _SKIP
        for q in inst.qubits
    }
    order = list(final) + sorted(used - set(final))
    position = {physical: i for i, physical in enumerate(order)}
    compact = QuantumCircuit(len(order))
    for inst in transpiled.data:
        if inst.operation.name in _SKIP:
            continue
        compact.append(
            inst.operation, [position[transpiled.find_bit(q).index] for q in inst.qubits]
        )
    return Statevector(compact)


def equivalent_up_to_layout(original: QuantumCircuit, transpiled: QuantumCircuit) -> bool:
    """True when ``transpiled`` prepares the same state as ``original`` from |0...0>."""
    without_measure = original.remove_final_measurements(inplace=False)
    expected = Statevector(without_measure)
    actual = logical_statevector(transpiled, original.num_qubits)
    ancillas = actual.num_qubits - original.num_qubits
    if ancillas:
        expected = Statevector.from_label("0" * ancillas).tensor(expected)
    return actual.equiv(expected)
