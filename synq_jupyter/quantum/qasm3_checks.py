"""Checks on a parsed OpenQASM 3 program, made before Qiskit's importer builds anything.

The importer allocates registers as it meets their declarations, turns ``1e999`` into
``inf`` and lets ``1/0`` escape as a ``ZeroDivisionError``, all without a position; the
syntax tree still has the positions, so the checks are made on it.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from typing import Any

from openqasm3 import ast
from openqasm3.visitor import QASMVisitor

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.qasm_limits import BitKind, DeclarationTally
from synq_jupyter.quantum.synq_lang.lowering import MAX_QUBITS

_CONSTANTS = {
    "pi": math.pi,
    "π": math.pi,
    "tau": math.tau,
    "τ": math.tau,
    "euler": math.e,
    "ℇ": math.e,
}
"""The importer's built-in constants, which an angle may use."""
_INTEGER_ARITHMETIC: dict[str, Callable[[int, int], int]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.floordiv,
}
"""The only binary operators the importer evaluates (it refuses the rest itself), as it
evaluates them on integers."""
_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
_HUGE = 2**63
"""A size or count past this is refused without computing further: it is past any limit."""
_PHYSICAL_QUBIT = re.compile(r"\$(\d+)")


def check_qasm3_program(program: ast.Program) -> None:
    """Refuses what the importer would crash on, allocate without bound, or report unplaced.

    In order: more than ``MAX_QUBITS`` declared qubits or classical bits (counting a bare
    ``qubit q;`` as one, and physical qubits ``$n`` as the ``n + 1`` the importer creates);
    an index outside its register; a division by zero; an angle, exponent or duration that
    is not a finite number.

    Raises:
        SynqSyntaxError: Naming the line and column of the first problem found.
    """
    _LimitChecker().visit(program)
    _IndexChecker(followed_aliases(program)).visit(program)
    _ValueChecker().visit(program)


class _TooLarge(Exception):
    """A constant integer expression past ``_HUGE``."""


def node_position(node: ast.QASMNode) -> dict[str, Any]:
    """The 1-based ``line`` and ``column`` of ``node``, as keyword arguments of an error."""
    span = node.span
    if span is None:
        return {"line": None, "column": None}
    return {"line": span.start_line, "column": span.start_column + 1}


def _integer(node: ast.Expression, noun: str) -> int | None:
    """The value of a constant integer expression as the importer computes it (literals,
    unary ``-``, ``+ - *`` and ``/`` rounding down), or ``None`` for any other expression,
    which the importer refuses without allocating anything. ``noun`` says what it is.

    Raises:
        _TooLarge: The value, or a step towards it, is past ``_HUGE``.
        SynqSyntaxError: The expression divides by zero.
    """
    value: int
    if isinstance(node, ast.IntegerLiteral):
        value = node.value
    elif isinstance(node, ast.UnaryExpression) and node.op.name == "-":
        inner = _integer(node.expression, noun)
        if inner is None:
            return None
        value = -inner
    elif isinstance(node, ast.BinaryExpression) and node.op.name in _INTEGER_ARITHMETIC:
        lhs, rhs = _integer(node.lhs, noun), _integer(node.rhs, noun)
        if lhs is None or rhs is None:
            return None
        if node.op.name == "/" and rhs == 0:
            raise SynqSyntaxError(f"this {noun} divides by zero", **node_position(node))
        value = _INTEGER_ARITHMETIC[node.op.name](lhs, rhs)
    else:
        return None
    if abs(value) > _HUGE:
        raise _TooLarge
    return value


class _LimitChecker(QASMVisitor[None]):
    """Counts what the program asks the importer to allocate, refusing it past the limit."""

    def __init__(self) -> None:
        self._tally = DeclarationTally()

    def visit_QubitDeclaration(self, node: ast.QubitDeclaration, context: Any = None) -> None:
        self._declare("qubits", node.qubit.name, node.size, node)

    def visit_ClassicalDeclaration(
        self, node: ast.ClassicalDeclaration, context: Any = None
    ) -> None:
        if isinstance(node.type, ast.BitType):
            self._declare("classical bits", node.identifier.name, node.type.size, node)
        self.generic_visit(node, context)

    def _declare(
        self, kind: BitKind, name: str, size: ast.Expression | None, node: ast.QASMNode
    ) -> None:
        count: int | None = 1
        if size is not None:
            try:
                count = _integer(size, "size")
            except _TooLarge:
                count = None  # the tally's "too large to count"
            else:
                if count is None:
                    return  # not a constant integer: the importer refuses it unallocated
        self._tally.declare(kind, name, count, **node_position(node))

    def visit_Identifier(self, node: ast.Identifier, context: Any = None) -> None:
        match = _PHYSICAL_QUBIT.fullmatch(node.name)
        if match is None:
            return
        digits = match.group(1).lstrip("0") or "0"
        if len(digits) > len(str(MAX_QUBITS)) or int(digits) >= MAX_QUBITS:
            raise SynqSyntaxError(
                f"physical qubit {node.name} makes Qiskit create qubits $0 to {node.name}; "
                f"a program may use at most {MAX_QUBITS} qubits",
                **node_position(node),
            )

    def visit_QuantumGateModifier(self, node: ast.QuantumGateModifier, context: Any = None) -> None:
        controls = node.modifier in (ast.GateModifierName.ctrl, ast.GateModifierName.negctrl)
        if controls and node.argument is not None:
            try:
                count = _integer(node.argument, "count")
            except _TooLarge:
                count = _HUGE
            if count is not None and count > MAX_QUBITS:
                raise SynqSyntaxError(
                    f"{node.modifier.name} asks for more control qubits than the "
                    f"{MAX_QUBITS} a program may declare",
                    **node_position(node),
                )
        self.generic_visit(node, context)


def literal_int(node: Any) -> int | None:
    """An integer literal's value (``None`` for anything computed)."""
    return node.value if isinstance(node, ast.IntegerLiteral) else None


def range_indices(node: ast.RangeDefinition, size: int | None) -> tuple[int, ...] | None:
    """``a:b`` and ``a:step:b`` as the indices they name (both ends included); on a register
    of a known ``size``, ``a:`` and ``:b`` run to its end and from its start."""
    step = 1 if node.step is None else literal_int(node.step)
    if not step:
        return None
    first: int | None = None
    last: int | None = None
    if size is not None:
        first, last = (0, size - 1) if step > 0 else (size - 1, 0)
    start = literal_int(node.start) if node.start is not None else first
    end = literal_int(node.end) if node.end is not None else last
    if start is None or end is None:
        return None
    return tuple(range(start, end + (1 if step > 0 else -1), step))


class _IndexChecker(QASMVisitor[None]):
    """Finds register indices beyond the declared size, remembering where they are, and
    indices that use a ``for`` loop's variable, which the importer cannot build (it fails
    with a bare ``TypeError``)."""

    def __init__(self, aliases: set[int]) -> None:
        self.sizes: dict[str, int] = {}
        self._loop_variables: frozenset[str] = frozenset()
        self._aliases = aliases

    def visit_ForInLoop(self, node: ast.ForInLoop, context: Any = None) -> None:
        outer = self._loop_variables
        self._loop_variables = outer | {node.identifier.name}
        try:
            self.generic_visit(node, context)
        finally:
            self._loop_variables = outer

    def visit_QubitDeclaration(self, node: ast.QubitDeclaration, context: Any = None) -> None:
        if isinstance(node.size, ast.IntegerLiteral):
            self.sizes[node.qubit.name] = node.size.value

    def visit_ClassicalDeclaration(
        self, node: ast.ClassicalDeclaration, context: Any = None
    ) -> None:
        size = getattr(node.type, "size", None)
        if isinstance(node.type, ast.BitType) and isinstance(size, ast.IntegerLiteral):
            self.sizes[node.identifier.name] = size.value
        self.generic_visit(node, context)

    def visit_AliasStatement(self, node: ast.AliasStatement, context: Any = None) -> None:
        """``let a = q[1:2];`` has 2 qubits: an index of ``a`` is checked as one of ``q``."""
        self.generic_visit(node, context)
        name, value = node.target.name, node.value
        self.sizes.pop(name, None)
        if id(node) not in self._aliases:
            return
        if isinstance(value, ast.Identifier) and value.name in self.sizes:
            self.sizes[name] = self.sizes[value.name]
        elif isinstance(value, ast.IndexExpression) and isinstance(
            value.collection, ast.Identifier
        ):
            size = _picked(value.index, self.sizes.get(value.collection.name))
            if size is not None:
                self.sizes[name] = size

    def visit_IndexedIdentifier(self, node: ast.IndexedIdentifier, context: Any = None) -> None:
        self._refuse_loop_index(node.name.name, node.indices, node)
        size = self.sizes.get(node.name.name)
        for index in node.indices:
            if size is None or not isinstance(index, list):
                continue
            for item in index:
                if isinstance(item, ast.IntegerLiteral) and not 0 <= item.value < size:
                    raise SynqSyntaxError(
                        f"{node.name.name} has {size} element{'s' if size != 1 else ''}; "
                        f"{node.name.name}[{item.value}] is out of range",
                        **node_position(node),
                    )

    def visit_IndexExpression(self, node: ast.IndexExpression, context: Any = None) -> None:
        if isinstance(node.collection, ast.Identifier):
            self._refuse_loop_index(node.collection.name, [node.index], node)
        self.generic_visit(node, context)

    def _refuse_loop_index(self, register: str, indices: Any, node: ast.QASMNode) -> None:
        if not self._loop_variables:
            return
        used = _names(indices) & self._loop_variables
        if used:
            variable = min(used)
            raise SynqSyntaxError(
                f"{register}[{variable}]: Qiskit's OpenQASM 3 importer cannot index a register "
                f"with the loop variable {variable}; write the loop's gates out one by one",
                **node_position(node),
            )


def followed_aliases(program: ast.Program) -> set[int]:
    """The ``let`` statements (by ``id``) whose alias the checks follow: those of the
    program's own scope, of a name nothing else declares. An alias in a block is the
    block's alone, and a name declared twice is the importer's error to name: the checks
    leave either to it rather than guess which one a use means."""
    lets = [node for node in program.statements if isinstance(node, ast.AliasStatement)]
    if not lets:  # most programs: no need to walk the whole tree
        return set()
    names: dict[str, int] = {}
    for node in _walk(program):
        name = _declared_name(node)
        if name is not None:
            names[name] = names.get(name, 0) + 1
    return {id(node) for node in lets if names[node.target.name] == 1}


def _declared_name(node: Any) -> str | None:
    if isinstance(node, ast.AliasStatement):
        return node.target.name
    if isinstance(node, ast.QubitDeclaration):
        return node.qubit.name
    if isinstance(node, ast.ClassicalDeclaration):
        return node.identifier.name
    return None


def _walk(node: Any) -> Any:
    """Every syntax-tree node under ``node``, itself included."""
    yield node
    for value in vars(node).values():
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, ast.QASMNode):
                yield from _walk(child)


def _picked(index: Any, size: int | None) -> int | None:
    """How many qubits an alias of a register's set or range has (``None`` for one qubit,
    which the importer does not alias, or a computed range)."""
    if isinstance(index, ast.DiscreteSet):
        return len(index.values)
    if not isinstance(index, list) or len(index) != 1:
        return None
    (element,) = index
    if not isinstance(element, ast.RangeDefinition):
        return None
    indices = range_indices(element, size)
    if indices is None or size is None:
        return None
    # As the importer slices: a range past the register stops at its end.
    return sum(0 <= i < size for i in indices)


def _names(node: Any) -> set[str]:
    """The identifiers anywhere in ``node`` (a syntax-tree node, or a list of them)."""
    if isinstance(node, ast.Identifier):
        return {node.name}
    if isinstance(node, list):
        return set().union(*(_names(item) for item in node))
    if isinstance(node, ast.QASMNode):
        return set().union(*(_names(value) for value in vars(node).values()))
    return set()


class _ValueChecker(QASMVisitor[None]):
    """Finds divisions by zero and angles, exponents and durations that are not finite.

    Gate parameters and loop variables are open: they may shadow ``pi``, and their values
    are not known here, so an expression using one is checked only where it is constant
    (``t/0`` still divides by zero whatever ``t`` is).
    """

    def __init__(self) -> None:
        self._open: frozenset[str] = frozenset()

    def visit_QuantumGateDefinition(
        self, node: ast.QuantumGateDefinition, context: Any = None
    ) -> None:
        self._with_open({argument.name for argument in node.arguments}, node, context)

    def visit_ForInLoop(self, node: ast.ForInLoop, context: Any = None) -> None:
        self._with_open({node.identifier.name}, node, context)

    def _with_open(self, names: set[str], node: ast.QASMNode, context: Any) -> None:
        outer = self._open
        self._open = outer | names
        try:
            self.generic_visit(node, context)
        finally:
            self._open = outer

    def visit_QuantumGate(self, node: ast.QuantumGate, context: Any = None) -> None:
        for argument in node.arguments:
            self._number(argument, "angle")
        self.generic_visit(node, context)

    def visit_QuantumPhase(self, node: ast.QuantumPhase, context: Any = None) -> None:
        self._number(node.argument, "angle")
        self.generic_visit(node, context)

    def visit_QuantumGateModifier(self, node: ast.QuantumGateModifier, context: Any = None) -> None:
        if node.modifier is ast.GateModifierName.pow and node.argument is not None:
            self._number(node.argument, "exponent")
        self.generic_visit(node, context)

    def visit_DurationLiteral(self, node: ast.DurationLiteral, context: Any = None) -> None:
        if not math.isfinite(node.value):
            raise SynqSyntaxError("this duration is not a finite number", **node_position(node))

    def visit_IndexedIdentifier(self, node: ast.IndexedIdentifier, context: Any = None) -> None:
        # The generic walk does not enter ``q[i]``'s indices: they are a list in a list.
        for index in node.indices:
            for item in index if isinstance(index, list) else [index]:
                self.visit(item, context)

    def visit_BinaryExpression(self, node: ast.BinaryExpression, context: Any = None) -> None:
        if node.op.name == "/" and self._number(node.rhs, "expression") == 0:
            raise SynqSyntaxError("this expression divides by zero", **node_position(node))
        self.generic_visit(node, context)

    def _number(self, node: ast.Expression, noun: str) -> float | None:
        """The value of a constant expression, or ``None`` if it is not constant.

        Both sides of an operator are evaluated even when one is not constant, so that a
        problem inside either is found.

        Raises:
            SynqSyntaxError: A part divides by zero, or its value is not a finite number.
        """
        value: float
        if isinstance(node, ast.IntegerLiteral | ast.FloatLiteral):
            try:
                value = float(node.value)
            except OverflowError:
                value = math.inf
        elif isinstance(node, ast.Identifier):
            if node.name in self._open or node.name not in _CONSTANTS:
                return None
            value = _CONSTANTS[node.name]
        elif isinstance(node, ast.UnaryExpression) and node.op.name == "-":
            inner = self._number(node.expression, noun)
            if inner is None:
                return None
            value = -inner
        elif isinstance(node, ast.BinaryExpression) and node.op.name in _ARITHMETIC:
            lhs, rhs = self._number(node.lhs, noun), self._number(node.rhs, noun)
            if node.op.name == "/" and rhs == 0:
                raise SynqSyntaxError(f"this {noun} divides by zero", **node_position(node))
            if lhs is None or rhs is None:
                return None
            value = _ARITHMETIC[node.op.name](lhs, rhs)
        else:
            return None
        if not math.isfinite(value):
            raise SynqSyntaxError(f"this {noun} is not a finite number", **node_position(node))
        return value
