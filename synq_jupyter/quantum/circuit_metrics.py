"""Counts, depths and error-weighted estimates over a circuit's instructions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.circuit import CircuitInstruction
    from qiskit.transpiler import Target

NOT_OPERATIONS = frozenset({"barrier", "delay"})
Calibration = dict[tuple[str, tuple[int, ...]], tuple[float | None, float | None]]


def flat_instructions(
    circuit: QuantumCircuit,
) -> Iterator[tuple[CircuitInstruction, list[int], list[int]]]:
    """Yields every instruction with the circuit's qubit and clbit indices it acts on.

    The bodies of control-flow blocks are included as if their branch were taken, which is
    the conservative choice for error and time estimates.
    """
    qubit_index = {q: i for i, q in enumerate(circuit.qubits)}
    clbit_index = {c: i for i, c in enumerate(circuit.clbits)}
    for instruction in circuit.data:
        qubits = [qubit_index[q] for q in instruction.qubits]
        clbits = [clbit_index[c] for c in instruction.clbits]
        blocks = getattr(instruction.operation, "blocks", ())
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
        if len(qubits) == 2 and inst.operation.name not in NOT_OPERATIONS
    )


def calibration_table(target: Target) -> Calibration:
    """``(name, qubits) -> (error, duration)`` for every calibrated instruction of ``target``."""
    table: Calibration = {}
    for name in target.operation_names:
        entries = target[name]
        if not entries:
            continue
        for qargs, props in entries.items():
            if qargs is not None and props is not None:
                table[(name, tuple(qargs))] = (props.error, props.duration)
    return table


@dataclass(frozen=True)
class ExecutionMetrics:
    """What one pass over a transpiled circuit measures against a target's calibration.

    ``estimated_success_probability`` is the product of (1 - error) over the gates and
    measurements; idle decoherence is left out, as in IBM's own estimator.
    ``estimated_duration_s`` is the length of an as-soon-as-possible schedule with the
    target's durations, or ``None`` when the target knows none (a simulator).
    ``two_qubit_depth`` follows Qiskit's ``depth(filter_function=...)`` rule: only
    two-qubit operations add a layer.
    """

    two_qubit_count: int
    two_qubit_depth: int
    estimated_success_probability: float
    estimated_duration_s: float | None
    fingerprint: str


def execution_metrics(circuit: QuantumCircuit, calibration: Calibration) -> ExecutionMetrics:
    """Measures ``circuit`` in one pass (see ``ExecutionMetrics``).

    The fingerprint is a SHA-256 over every instruction's name, parameters and bits, so it
    changes whenever the circuit does and never with anything else.
    """
    walk = _Walk(calibration, circuit.num_qubits)
    walk.run(circuit, list(range(circuit.num_qubits)), list(range(circuit.num_clbits)))
    return ExecutionMetrics(
        two_qubit_count=walk.two_qubit_count,
        two_qubit_depth=max(walk.level.values(), default=0),
        estimated_success_probability=walk.probability,
        estimated_duration_s=max(walk.finish.values(), default=0.0)
        if walk.known_duration
        else None,
        fingerprint=hashlib.sha256(repr(walk.fingerprint).encode()).hexdigest(),
    )


class _Walk:
    """The state of ``execution_metrics``'s pass.

    This runs after every transpile on circuits of tens of thousands of instructions, so it
    reads names and parameters straight from the instructions (never ``inst.operation``,
    which builds a Python gate object) and keeps per-bit state in flat dicts; clbits are
    numbered after the qubits.
    """

    def __init__(self, calibration: Calibration, clbit_offset: int) -> None:
        self.calibration = calibration
        self.clbit_offset = clbit_offset
        self.fingerprint: list[tuple[object, ...]] = []
        self.two_qubit_count = 0
        self.probability = 1.0
        self.known_duration = False
        self.level: dict[int, int] = {}
        self.finish: dict[int, float] = {}
        self.has_params: dict[str, bool] = {}

    def run(self, circuit: QuantumCircuit, qubit_map: list[int], clbit_map: list[int]) -> None:
        qubit_index = {q: qubit_map[i] for i, q in enumerate(circuit.qubits)}
        clbit_index = {c: clbit_map[i] for i, c in enumerate(circuit.clbits)}
        level, finish, calibration = self.level, self.finish, self.calibration
        for inst in circuit.data:
            qubits = tuple([qubit_index[q] for q in inst.qubits])
            clbits = tuple([clbit_index[c] for c in inst.clbits]) if inst.clbits else ()
            if inst.is_control_flow():
                for block in inst.operation.blocks:
                    self.run(block, list(qubits), list(clbits))
                continue
            name = inst.name
            # Reading params is the slow part; a gate name has the same number of params on
            # every instance, so names seen without params skip the read.
            params = inst.params if self.has_params.get(name, True) else ()
            if name not in self.has_params:
                self.has_params[name] = bool(params)
            self.fingerprint.append((name, params, qubits, clbits))
            error, duration = calibration.get((name, qubits), (None, None))
            if error and name not in NOT_OPERATIONS:
                self.probability *= 1.0 - error
            if duration is not None:
                self.known_duration = True
            if len(qubits) == 1 and not clbits:
                # A one-qubit gate adds no two-qubit layer: only its own clock moves.
                (q,) = qubits
                if duration:
                    finish[q] = finish.get(q, 0.0) + duration
                continue
            bits = qubits + tuple(self.clbit_offset + c for c in clbits) if clbits else qubits
            layer = max([level.get(b, 0) for b in bits], default=0)
            if len(qubits) == 2 and name not in NOT_OPERATIONS:
                self.two_qubit_count += 1
                layer += 1
            end = max([finish.get(b, 0.0) for b in bits], default=0.0) + (duration or 0.0)
            for bit in bits:
                level[bit] = layer
                finish[bit] = end
