"""Resolve written arguments to qubits and angles, in the program or inside a kernel body."""

from __future__ import annotations

import math
from collections.abc import Mapping

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.synq_lang import syntax_tree as st
from synq_jupyter.quantum.synq_lang.operations import (
    AngleParam,
    AngleValue,
    PhysicalQubit,
    QubitParam,
    QubitValue,
)

LITERAL_ANGLES = "pi, pi/2, -pi/4, 3*pi/4 or 0.25"


def _error(node: st.Arg, message: str) -> SynqSyntaxError:
    return SynqSyntaxError(message, line=node.line, column=node.column)


class OperandResolver:
    """Turns ``q[1]``, ``t``, ``pi/2`` or ``theta`` into qubits and angles.

    Args:
        registers: Size of each register declared so far, by name.
        params: Inside a kernel body, the type (``"angle"`` or ``"qubit"``) of each of the
            kernel's parameters, by name; empty outside kernels.
        kernel: Name of the kernel whose body is being checked, if any.
    """

    def __init__(
        self,
        registers: Mapping[str, int],
        params: Mapping[str, str] | None = None,
        kernel: str | None = None,
    ) -> None:
        self._registers = registers
        self._params = dict(params or {})
        self._kernel = kernel

    def qubit(self, arg: st.Arg) -> QubitValue:
        """The qubit ``arg`` names.

        Args:
            arg: ``reg[i]``, or a ``qubit`` parameter name inside a kernel body.

        Returns:
            The register qubit, or the kernel parameter it stands for.

        Raises:
            SynqSyntaxError: The register is not declared yet, the index is out of range, or
                the argument is not a qubit.
        """
        if isinstance(arg, st.AngleExpr):
            raise _error(arg, "expected a qubit such as q[0], not an angle")
        if isinstance(arg, st.Bare):
            kind = self._params.get(arg.name)
            if kind == "qubit":
                return QubitParam(arg.name)
            if kind == "angle":
                raise _error(arg, f"{arg.name} is an angle parameter, not a qubit")
            if arg.name in self._registers:
                raise _error(arg, f"{arg.name} is a register; name one qubit, e.g. {arg.name}[0]")
            where = f"a qubit parameter of kernel {self._kernel} or " if self._kernel else ""
            raise _error(
                arg, f"'{arg.name}' is not a qubit; expected {where}a register qubit such as q[0]"
            )
        if self._params.get(arg.register) == "qubit":
            raise _error(arg, f"{arg.register} is a qubit parameter; use it without an index")
        size = self._registers.get(arg.register)
        if size is None:
            raise _error(
                arg,
                f"no register {arg.register} is declared before this line; "
                f"declare it first with qubit {arg.register}[N]",
            )
        if arg.index >= size:
            plural = "qubit" if size == 1 else "qubits"
            raise _error(
                arg,
                f"{arg.register} has {size} {plural}; {arg.register}[{arg.index}] is out of range",
            )
        return PhysicalQubit(arg.register, arg.index)

    def angle(self, arg: st.Arg, subject: str) -> AngleValue:
        """The angle ``arg`` writes, in radians.

        Args:
            arg: A literal angle, or an ``angle`` parameter name inside a kernel body.
            subject: What needs the angle, for messages (``"rz"``, ``"argument 1 of k"``).

        Returns:
            The angle as a float, or the kernel parameter it stands for.

        Raises:
            SynqSyntaxError: The argument is not a literal angle (nor an angle parameter).
        """
        if isinstance(arg, st.Indexed):
            raise _error(
                arg, f"{subject} needs an angle, not the qubit {arg.register}[{arg.index}]"
            )
        if isinstance(arg, st.Bare):
            if arg.name == "pi":
                return math.pi
            kind = self._params.get(arg.name)
            if kind == "angle":
                return AngleParam(arg.name)
            if kind == "qubit":
                raise _error(arg, f"{arg.name} is a qubit parameter, not an angle")
            raise self._not_literal(arg, subject, arg)
        return self._evaluate(arg, subject)

    def _not_literal(self, node: st.Arg, subject: str, name: st.Bare) -> SynqSyntaxError:
        if self._params.get(name.name) == "angle":
            return _error(
                name, f"an angle parameter is used on its own, as in {subject}({name.name})"
            )
        alternative = f" or an angle parameter of kernel {self._kernel}" if self._kernel else ""
        return _error(
            node,
            f"{subject} needs a literal angle ({LITERAL_ANGLES}){alternative}; "
            f"'{name.name}' is not one",
        )

    def _evaluate(self, expr: st.AngleExpr, subject: str) -> float:
        values: list[float] = []
        for factor in expr.factors:
            if isinstance(factor, st.Bare):
                if factor.name != "pi":
                    raise self._not_literal(factor, subject, factor)
                values.append(math.pi)
            else:
                values.append(factor)
        result = values[0]
        for operator, value in zip(expr.operators, values[1:], strict=True):
            if operator == "*":
                result *= value
            elif value == 0:
                raise _error(expr, "this angle divides by zero")
            else:
                result /= value
        if not math.isfinite(result):
            raise _error(expr, "this angle is not a finite number")
        return -result if expr.negative else result
