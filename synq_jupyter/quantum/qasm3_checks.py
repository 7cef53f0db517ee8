"""Checks on a parsed OpenQASM 3 program that Qiskit's importer reports without a position."""

from __future__ import annotations

from typing import Any

from openqasm3 import ast
from openqasm3.visitor import QASMVisitor

from synq_jupyter.errors import SynqSyntaxError


class _IndexChecker(QASMVisitor[None]):
    """Finds register indices beyond the declared size, remembering where they are."""

    def __init__(self) -> None:
        self.sizes: dict[str, int] = {}

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

    def visit_IndexedIdentifier(self, node: ast.IndexedIdentifier, context: Any = None) -> None:
        size = self.sizes.get(node.name.name)
        for index in node.indices:
            if size is None or not isinstance(index, list):
                continue
            for item in index:
                if isinstance(item, ast.IntegerLiteral) and not 0 <= item.value < size:
                    span = node.span
                    raise SynqSyntaxError(
                        f"{node.name.name} has {size} elements; "
                        f"{node.name.name}[{item.value}] is out of range",
                        line=span.start_line if span else None,
                        column=span.start_column + 1 if span else None,
                    )


def check_qasm3_program(program: ast.Program) -> None:
    """Raises ``SynqSyntaxError`` for an index outside its register, naming the line."""
    _IndexChecker().visit(program)
