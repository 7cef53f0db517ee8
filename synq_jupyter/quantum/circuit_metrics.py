"""Counts, depths and error-weighted estimates over a circuit's instructions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.circuit import CircuitInstruction
    from qiskit.transpiler import Target

_NOT_OPERATIONS = {"barrier", "delay"}


def flat_instructions(
    circuit: QuantumCircuit,
) -> Iterator[tuple[CircuitInstruction, list[int], list[int]]]:
    """Yields every instruction with the circuit's qubit and clbit indices it acts on.

    The bodies of control-flow blocks are included as if their branch were taken, which is
    the conservative choice for error and time estimates.
    """
    for instruction in circuit.data:
        operation = instruction.operation
        qubits = [circuit.find_bit(q).index for q in instruction.qubits]
        clbits = [circuit.find_bit(c).index for c in instruction.clbits]
        blocks = getattr(operation, "blocks", ())
        if blocks:
            for block in blocks:
                for inner, inner_qubits, inner_clbits in flat_instructions(block):
                    yield (
                        inner,
                        [qubits[i] for i in inner_qubits],
                        [clbits[i] for i in inner_clbits],
                    )
            continue
        yield instruction, qubits, clbits


def op_counts(circuit: QuantumCircuit) -> dict[str, int]:
    """Number of each operation by name, largest first."""
    return {str(name): int(n) for name, n in circuit.count_ops().items()}


def two_qubit_count(circuit: QuantumCircuit) -> int:
    """Number of operations acting on exactly two qubits (inside control flow too)."""
    return sum(
        1
        for inst, qubits, _ in flat_instructions(circuit)
        if len(qubits) == 2 and inst.operation.name not in _NOT_OPERATIONS
    )


def two_qubit_depth(circuit: QuantumCircuit) -> int:
    """Depth counting only two-qubit operations."""
    return int(
        circuit.depth(
            filter_function=lambda inst: (
                inst.operation.num_qubits == 2 and inst.operation.name not in _NOT_OPERATIONS
            )
        )
    )


def estimated_success_probability(circuit: QuantumCircuit, target: Target) -> float:
    """Product of (1 - error) over the operations, from the target's calibrated errors.

    Gates and measurements count; idle decoherence does not (it is a lower-order term for the
    short circuits this is used on, and it is what IBM's own estimator leaves out too).
    """
    probability = 1.0
    for inst, qubits, _ in flat_instructions(circuit):
        name = inst.operation.name
        if name in _NOT_OPERATIONS or name not in target.operation_names:
            continue
        props = target[name].get(tuple(qubits)) if target[name] else None
        if props is not None and props.error is not None:
            probability *= 1.0 - props.error
    return probability


def estimated_duration(circuit: QuantumCircuit, target: Target) -> float | None:
    """Length in seconds of an as-soon-as-possible schedule using the target's durations.

    Returns ``None`` when the target knows no duration for any operation (a simulator).
    """
    finish: dict[int, float] = {}
    clbit_finish: dict[int, float] = {}
    known = False
    for inst, qubits, clbits in flat_instructions(circuit):
        name = inst.operation.name
        duration = 0.0
        if name in target.operation_names and target[name]:
            props = target[name].get(tuple(qubits))
            if props is not None and props.duration is not None:
                duration = float(props.duration)
                known = True
        start = max(
            [finish.get(q, 0.0) for q in qubits] + [clbit_finish.get(c, 0.0) for c in clbits],
            default=0.0,
        )
        for q in qubits:
            finish[q] = start + duration
        for c in clbits:
            clbit_finish[c] = start + duration
    if not known:
        return None
    return max(finish.values(), default=0.0)
