"""Check one ``quantum`` statement and lower it to standard gates."""

from __future__ import annotations

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.synq_lang import syntax_tree as st
from synq_jupyter.quantum.synq_lang.operand_resolver import OperandResolver
from synq_jupyter.quantum.synq_lang.operations import AngleValue, GateOp, QubitValue

SINGLE_QUBIT_GATES = ("h", "x", "y", "z")
ROTATION_GATES = ("rx", "ry", "rz", "p")
GATE_NAMES = (*SINGLE_QUBIT_GATES, "cx", "bell_pair", *ROTATION_GATES)

_DEFAULT_OPERANDS = {"h": 1, "x": 1, "y": 1, "z": 1, "bell_pair": 2}
"""Gates that may omit their qubits, and how many of q[0], q[1] ... they then act on."""


def _error(node: st.Ident | st.Arg, message: str) -> SynqSyntaxError:
    return SynqSyntaxError(message, line=node.line, column=node.column)


def lower_gate(stmt: st.Gate, resolver: OperandResolver) -> tuple[GateOp, ...]:
    """The standard gates a ``quantum`` statement stands for.

    Args:
        stmt: The statement, e.g. ``quantum rz(pi/2) q[1]`` or ``quantum bell_pair``.
        resolver: Resolves its qubits and angle in the current scope.

    Returns:
        One gate, or two for ``bell_pair`` (``h a`` then ``cx a, b``).

    Raises:
        SynqSyntaxError: Unknown gate, wrong number of qubits, a repeated qubit, or a
            missing, unwanted or non-literal angle.
    """
    name = stmt.gate.name
    if name not in GATE_NAMES:
        raise _error(stmt.gate, f"unknown gate '{name}'; expected one of {', '.join(GATE_NAMES)}")
    angle = _angle(stmt, resolver)
    qubits = _qubits(stmt, resolver)
    line, column = stmt.gate.line, stmt.gate.column
    if name == "bell_pair":
        return (
            GateOp("h", qubits[:1], None, line, column),
            GateOp("cx", qubits, None, line, column),
        )
    return (GateOp(name, qubits, angle, line, column),)


def _angle(stmt: st.Gate, resolver: OperandResolver) -> AngleValue | None:
    name = stmt.gate.name
    if name in ROTATION_GATES:
        if stmt.angle is None:
            raise _error(
                stmt.gate,
                f"{name} needs a literal angle in parentheses, e.g. quantum {name}(pi/2) q[0]",
            )
        return resolver.angle(stmt.angle, name)
    if stmt.angle is not None:
        raise _error(stmt.angle, f"{name} takes no angle")
    return None


def _expected_count(name: str) -> int:
    return 2 if name in ("cx", "bell_pair") else 1


def _qubits(stmt: st.Gate, resolver: OperandResolver) -> tuple[QubitValue, ...]:
    name = stmt.gate.name
    operands = stmt.operands
    expected = _expected_count(name)
    if not operands and name in _DEFAULT_OPERANDS:
        return _default_qubits(stmt, resolver)
    if len(operands) != expected:
        count = "one qubit" if expected == 1 else "exactly two qubits"
        if name in _DEFAULT_OPERANDS:
            count += " (or none)"
        raise _error(stmt.gate, f"{name} needs {count}, got {len(operands)}")
    qubits = tuple(resolver.qubit(operand) for operand in operands)
    if len(qubits) == 2 and qubits[0] == qubits[1]:
        raise _error(operands[1], f"{name} needs two different qubits; {qubits[0]} is used twice")
    return qubits


def _default_qubits(stmt: st.Gate, resolver: OperandResolver) -> tuple[QubitValue, ...]:
    name = stmt.gate.name
    count = _DEFAULT_OPERANDS[name]
    implied = ", ".join(f"q[{index}]" for index in range(count))
    try:
        return tuple(
            resolver.qubit(st.Indexed(stmt.gate.line, stmt.gate.column, "q", index))
            for index in range(count)
        )
    except SynqSyntaxError as exc:
        raise _error(
            stmt.gate, f"{name} without qubits means {implied}, but {exc.message}"
        ) from None
