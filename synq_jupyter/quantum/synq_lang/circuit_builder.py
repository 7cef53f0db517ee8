"""Build a lowered SynQ program straight into a Qiskit ``QuantumCircuit``.

The same circuit the OpenQASM 3 text would load to, without writing the text and parsing it
back: that round trip through the ANTLR parser costs several times the whole SynQ compile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from synq_jupyter.quantum.synq_lang.lowering import LoweredProgram
from synq_jupyter.quantum.synq_lang.operations import (
    ConditionalOp,
    GateOp,
    MeasureOp,
    PhysicalQubit,
    QubitValue,
)

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.circuit import Qubit


def build_circuit(program: LoweredProgram) -> QuantumCircuit:
    """The circuit of a lowered program: its registers, one one-bit classical register per
    measured name, and its operations in order (conditionals as ``if_test`` blocks)."""
    from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister

    qregs = {name: QuantumRegister(size, name) for name, size in program.registers}
    cregs = {name: ClassicalRegister(1, name) for name in program.bits}
    circuit = QuantumCircuit(*qregs.values(), *cregs.values())

    def qubit(value: QubitValue) -> Qubit:
        if not isinstance(value, PhysicalQubit):
            raise TypeError(f"kernel parameter {value} was not replaced")
        return qregs[value.register][value.index]

    def apply(target: QuantumCircuit, op: GateOp) -> None:
        qubits = [qubit(q) for q in op.qubits]
        if op.angle is None:
            getattr(target, op.name)(*qubits)
        elif isinstance(op.angle, float):
            getattr(target, op.name)(op.angle, *qubits)
        else:
            raise TypeError(f"gate {op.name} on line {op.line} still has a kernel parameter")

    for op in program.operations:
        if isinstance(op, GateOp):
            apply(circuit, op)
        elif isinstance(op, MeasureOp):
            circuit.measure(qubit(op.qubit), cregs[op.bit][0])
        elif isinstance(op, ConditionalOp):
            with circuit.if_test((cregs[op.bit][0], 0 if op.negated else 1)):
                for gate in op.gates:
                    apply(circuit, gate)
    return circuit
