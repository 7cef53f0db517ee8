"""A checked ``kernel``: gates over its parameters, expanded inline at each ``call``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.synq_lang import syntax_tree as st
from synq_jupyter.quantum.synq_lang.gate_lowering import lower_gate
from synq_jupyter.quantum.synq_lang.operand_resolver import OperandResolver
from synq_jupyter.quantum.synq_lang.operations import (
    AngleParam,
    AngleValue,
    GateOp,
    QubitParam,
    QubitValue,
)

PARAM_TYPES = ("angle", "qubit")

MAX_GATES = 100_000
"""Most gates one program may expand to, so that nested calls cannot explode."""


@dataclass(frozen=True)
class KernelTemplate:
    """A kernel whose body is checked and lowered, with its parameters left open.

    Attributes:
        name: The kernel's name.
        params: Its parameters, each typed ``angle`` or ``qubit``.
        gates: The body as gates whose qubits and angles may be ``QubitParam`` and
            ``AngleParam`` placeholders.
    """

    name: str
    params: tuple[st.Param, ...]
    gates: tuple[GateOp, ...]

    @classmethod
    def define(
        cls,
        kernel: st.KernelDef,
        registers: Mapping[str, int],
        kernels: Mapping[str, KernelTemplate],
    ) -> KernelTemplate:
        """Check a kernel definition and lower its body.

        Args:
            kernel: The definition.
            registers: Registers declared before it, by name, with their sizes.
            kernels: Kernels defined before it, which its body may call.

        Returns:
            The template that ``call`` statements expand.

        Raises:
            SynqSyntaxError: A bad parameter, a statement a kernel may not hold, or an error
                in a gate or call of the body.
        """
        name = kernel.name.name
        types: dict[str, str] = {}
        for param in kernel.params:
            if param.type_name not in PARAM_TYPES:
                raise SynqSyntaxError(
                    f"unknown parameter type '{param.type_name}'; expected angle or qubit",
                    line=param.line,
                    column=param.column,
                )
            if param.name.name == "pi":
                raise SynqSyntaxError(
                    "pi is the built-in angle; choose another parameter name",
                    line=param.name.line,
                    column=param.name.column,
                )
            if param.name.name in types:
                raise SynqSyntaxError(
                    f"parameter {param.name.name} appears twice in kernel {name}",
                    line=param.name.line,
                    column=param.name.column,
                )
            types[param.name.name] = param.type_name
        resolver = OperandResolver(registers, types, name)
        gates: list[GateOp] = []
        for stmt in kernel.body:
            if isinstance(stmt, st.Gate):
                gates.extend(lower_gate(stmt, resolver))
            elif isinstance(stmt, st.Call):
                if stmt.name.name == name:
                    raise SynqSyntaxError(
                        f"kernel {name} cannot call itself",
                        line=stmt.name.line,
                        column=stmt.name.column,
                    )
                gates.extend(expand_call(stmt, kernels, resolver))
            elif isinstance(stmt, st.Measure):
                raise SynqSyntaxError(
                    f"kernels may not contain measure; measure after call {name}(...) instead",
                    line=stmt.line,
                    column=stmt.column,
                )
            else:
                raise SynqSyntaxError(
                    f"a kernel body holds only quantum and call lines; see kernel {name}",
                    line=stmt.line,
                    column=stmt.column,
                )
            _check_size(stmt, len(gates))
        return cls(name, kernel.params, tuple(gates))

    def signature(self) -> str:
        """The parameter list as written, e.g. ``angle theta, qubit t``."""
        return ", ".join(f"{param.type_name} {param.name.name}" for param in self.params)


def expand_call(
    call: st.Call, kernels: Mapping[str, KernelTemplate], resolver: OperandResolver
) -> tuple[GateOp, ...]:
    """The gates a ``call`` statement stands for.

    Args:
        call: The statement, e.g. ``call rot(pi/2, q[0])``.
        kernels: The kernels defined so far, by name.
        resolver: Resolves the arguments where the call is written.

    Returns:
        The kernel's gates with the arguments in place of its parameters.

    Raises:
        SynqSyntaxError: Unknown kernel, wrong number or type of arguments, or arguments
            that make a two-qubit gate act on one qubit twice.
    """
    name = call.name.name
    kernel = kernels.get(name)
    if kernel is None:
        known = ", ".join(sorted(kernels)) or "none yet"
        raise SynqSyntaxError(
            f"unknown kernel '{name}'; defined kernels: {known}",
            line=call.name.line,
            column=call.name.column,
        )
    if len(call.args) != len(kernel.params):
        raise SynqSyntaxError(
            f"kernel {name}({kernel.signature()}) takes {len(kernel.params)} "
            f"argument{'' if len(kernel.params) == 1 else 's'}, got {len(call.args)}",
            line=call.name.line,
            column=call.name.column,
        )
    bindings: dict[str, QubitValue | AngleValue] = {}
    for position, (param, arg) in enumerate(zip(kernel.params, call.args, strict=True), 1):
        if param.type_name == "angle":
            subject = f"argument {position} of {name} (angle {param.name.name})"
            bindings[param.name.name] = resolver.angle(arg, subject)
        else:
            bindings[param.name.name] = resolver.qubit(arg)
    return tuple(_substitute(gate, bindings, call) for gate in kernel.gates)


def _substitute(
    gate: GateOp, bindings: Mapping[str, QubitValue | AngleValue], call: st.Call
) -> GateOp:
    qubits = tuple(
        _bound_qubit(bindings[qubit.name]) if isinstance(qubit, QubitParam) else qubit
        for qubit in gate.qubits
    )
    angle = gate.angle
    if isinstance(angle, AngleParam):
        angle = _bound_angle(bindings[angle.name])
    if len(set(qubits)) < len(qubits):
        raise SynqSyntaxError(
            f"this call makes {gate.name} on line {gate.line} act on {qubits[0]} twice; "
            "pass different qubits",
            line=call.line,
            column=call.column,
        )
    return GateOp(gate.name, qubits, angle, gate.line, gate.column)


def _bound_qubit(value: QubitValue | AngleValue) -> QubitValue:
    if isinstance(value, (float, AngleParam)):
        raise TypeError("a qubit parameter is bound to an angle")
    return value


def _bound_angle(value: QubitValue | AngleValue) -> AngleValue:
    if not isinstance(value, (float, AngleParam)):
        raise TypeError("an angle parameter is bound to a qubit")
    return value


def _check_size(stmt: st.Statement, count: int) -> None:
    if count > MAX_GATES:
        raise SynqSyntaxError(
            f"the program expands to more than {MAX_GATES} gates here",
            line=stmt.line,
            column=stmt.column,
        )
