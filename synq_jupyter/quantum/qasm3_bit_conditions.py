"""Lets an OpenQASM 3 condition compare a single bit with ``0`` or ``1``.

``if (c[0] == 1)`` is how most programs write it, and OpenQASM 3 reads the ``1`` as the bit
value it is; Qiskit's importer takes only ``c[0] == true`` and refuses the rest ("conditions
must be 'bit == const bool' or 'bitarray == const int', not 'bit == const int'"). The
comparison is rewritten to the boolean form, which means the same, before the import.
"""

from __future__ import annotations

from typing import Any

from openqasm3 import ast
from openqasm3.visitor import QASMVisitor

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.qasm3_checks import node_position

_EQUALITY = (ast.BinaryOperator["=="], ast.BinaryOperator["!="])


def compare_bits_as_booleans(program: ast.Program) -> None:
    """Rewrites, in place, each ``bit == 0``, ``bit != 1``, ``1 == bit`` … to compare with
    ``false`` or ``true``.

    A single bit is a ``bit`` declared without a size, or one element ``c[i]`` of a bit
    register; a whole register compared with an integer is already what the importer takes.

    Raises:
        SynqSyntaxError: A single bit is compared with another integer, at that integer.
    """
    _BitConditions().visit(program)


class _BitConditions(QASMVisitor[None]):
    def __init__(self) -> None:
        self._single: set[str] = set()
        self._registers: set[str] = set()

    def visit_ClassicalDeclaration(
        self, node: ast.ClassicalDeclaration, context: Any = None
    ) -> None:
        self._declare(node.type, node.identifier.name)
        self.generic_visit(node, context)

    def visit_IODeclaration(self, node: ast.IODeclaration, context: Any = None) -> None:
        self._declare(node.type, node.identifier.name)

    def _declare(self, type: ast.ClassicalType, name: str) -> None:
        self._single.discard(name)
        self._registers.discard(name)
        if isinstance(type, ast.BitType):
            (self._single if type.size is None else self._registers).add(name)

    def visit_ForInLoop(self, node: ast.ForInLoop, context: Any = None) -> None:
        name = node.identifier.name
        single, registers = self._single, self._registers
        self._single, self._registers = single - {name}, registers - {name}
        try:
            self.generic_visit(node, context)
        finally:
            self._single, self._registers = single, registers

    def visit_BinaryExpression(self, node: ast.BinaryExpression, context: Any = None) -> None:
        if node.op in _EQUALITY:
            if self._is_bit(node.lhs):
                node.rhs = _as_boolean(node.rhs)
            elif self._is_bit(node.rhs):
                node.lhs = _as_boolean(node.lhs)
        self.generic_visit(node, context)

    def _is_bit(self, node: ast.Expression) -> bool:
        if isinstance(node, ast.Identifier):
            return node.name in self._single
        return (
            isinstance(node, ast.IndexExpression)
            and isinstance(node.collection, ast.Identifier)
            and node.collection.name in self._registers
            and isinstance(node.index, list)
            and len(node.index) == 1
            and not isinstance(node.index[0], ast.RangeDefinition)
        )


def _as_boolean(node: ast.Expression) -> ast.Expression:
    if not isinstance(node, ast.IntegerLiteral):
        return node
    if node.value not in (0, 1):
        raise SynqSyntaxError(
            f"a bit is 0 or 1; compare it with 0 or 1, not {node.value}", **node_position(node)
        )
    boolean = ast.BooleanLiteral(value=node.value == 1)
    boolean.span = node.span
    return boolean
