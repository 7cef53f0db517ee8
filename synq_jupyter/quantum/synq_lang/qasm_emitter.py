"""Write a lowered SynQ program as OpenQASM 3 text."""

from __future__ import annotations

from synq_jupyter.quantum.synq_lang.lowering import LoweredProgram
from synq_jupyter.quantum.synq_lang.operations import ConditionalOp, GateOp, MeasureOp


def emit_qasm(program: LoweredProgram) -> str:
    """The OpenQASM 3 text of a lowered program.

    Registers come first in declaration order, then one ``bit[1]`` register per measured
    name, then the operations. Angles are written as floats at ``repr`` precision.

    Args:
        program: The checked, lowered program.

    Returns:
        The program text, ending with a newline.
    """
    lines = ["OPENQASM 3.0;", 'include "stdgates.inc";']
    lines += [f"qubit[{size}] {name};" for name, size in program.registers]
    lines += [f"bit[1] {bit};" for bit in program.bits]
    for op in program.operations:
        if isinstance(op, GateOp):
            lines.append(_gate(op))
        elif isinstance(op, MeasureOp):
            lines.append(f"{op.bit}[0] = measure {op.qubit};")
        elif isinstance(op, ConditionalOp):
            lines.append(f"if ({'!' if op.negated else ''}{op.bit}[0]) {{")
            lines += [f"  {_gate(gate)}" for gate in op.gates]
            lines.append("}")
    return "\n".join(lines) + "\n"


def _gate(op: GateOp) -> str:
    qubits = ", ".join(str(qubit) for qubit in op.qubits)
    if op.angle is None:
        return f"{op.name} {qubits};"
    if not isinstance(op.angle, float):
        raise TypeError(f"gate {op.name} on line {op.line} still has a kernel parameter")
    return f"{op.name}({op.angle!r}) {qubits};"
