"""Parse and evaluate the Boolean expression that marks the solutions of a Grover search."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from synq_jupyter.errors import SynqInputError

if TYPE_CHECKING:
    from lark import Lark, Token, Tree

_GRAMMAR = Path(__file__).with_name("boolean_expression.lark")
_KEYWORDS = frozenset({"and", "or", "xor", "not"})
_DIGITS = re.compile(r"(\d+)")
_HINT = "; join variable names with &, |, ^, ~ and parentheses"


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BinaryOp:
    """``left op right`` for ``op`` one of ``&``, ``|`` and ``^``."""

    op: str
    left: Node
    right: Node


Node = Var | Not | BinaryOp


@functools.cache
def _parser() -> Lark:
    from lark import Lark

    return Lark(_GRAMMAR.read_text(encoding="utf-8"), parser="lalr")


@dataclass(frozen=True)
class BooleanExpression:
    """A parsed expression such as ``(a & b) | ~c``.

    Attributes:
        text: The expression as written.
        variables: Its variable names in natural order (``x2`` before ``x10``); variable
            ``i`` of this tuple is bit ``i`` of an assignment.
        tree: The expression tree.
    """

    text: str
    variables: tuple[str, ...]
    tree: Node

    @classmethod
    def parse(cls, text: str, *, field: str) -> BooleanExpression:
        """Parses ``text``.

        Args:
            text: Variables joined by ``&``/``and``, ``|``/``or``, ``^``/``xor``,
                ``~``/``!``/``not`` and parentheses.
            field: The request field to name in an error.

        Returns:
            The parsed expression.

        Raises:
            SynqInputError: The text does not parse, or uses an operator as a variable.
        """
        from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedToken

        try:
            tree = _parser().parse(text)
        except UnexpectedCharacters as exc:
            found = text[exc.pos_in_stream or 0]
            message = f"unexpected {found!r} at column {exc.column} of {text!r}{_HINT}"
            raise SynqInputError(message, field=field) from None
        except UnexpectedToken as exc:
            if exc.token.type == "$END":
                message = f"the Boolean expression {text!r} ends too early{_HINT}"
            else:
                message = f"unexpected {str(exc.token)!r} at column {exc.column} of {text!r}{_HINT}"
            raise SynqInputError(message, field=field) from None
        except LarkError:
            raise SynqInputError(
                f"cannot parse the Boolean expression {text!r}", field=field
            ) from None
        node = _node(tree)
        names = sorted(set(_names(node)), key=_natural_key)
        keywords = [name for name in names if name.lower() in _KEYWORDS]
        if keywords:
            raise SynqInputError(
                f"{keywords[0]!r} is an operator, not a variable{_HINT}", field=field
            )
        return cls(text=text, variables=tuple(names), tree=node)

    def evaluate(self, assignment: int) -> bool:
        """The value when variable ``i`` takes bit ``i`` of ``assignment``."""
        values = {name: bool(assignment >> i & 1) for i, name in enumerate(self.variables)}
        return _evaluate(self.tree, values)

    def satisfying(self) -> tuple[int, ...]:
        """Every assignment (as an integer, see ``evaluate``) that makes the expression true."""
        return tuple(a for a in range(2 ** len(self.variables)) if self.evaluate(a))

    def to_qiskit(self) -> str:
        """The expression in the syntax of Qiskit's ``PhaseOracleGate``, fully parenthesised."""
        return _render(self.tree)


def _node(tree: Tree[Token] | Token) -> Node:
    from lark import Token

    if isinstance(tree, Token):
        return Var(str(tree))
    children = [_node(child) for child in tree.children]
    if tree.data == "var":
        return children[0]
    if tree.data == "not_":
        return Not(children[0])
    op = {"and_": "&", "or_": "|", "xor": "^"}[str(tree.data)]
    return BinaryOp(op, children[0], children[1])


def _names(node: Node) -> list[str]:
    if isinstance(node, Var):
        return [node.name]
    if isinstance(node, Not):
        return _names(node.operand)
    return _names(node.left) + _names(node.right)


def _evaluate(node: Node, values: dict[str, bool]) -> bool:
    if isinstance(node, Var):
        return values[node.name]
    if isinstance(node, Not):
        return not _evaluate(node.operand, values)
    left, right = _evaluate(node.left, values), _evaluate(node.right, values)
    if node.op == "&":
        return left and right
    if node.op == "|":
        return left or right
    return left != right


def _render(node: Node) -> str:
    if isinstance(node, Var):
        return node.name
    if isinstance(node, Not):
        return f"~({_render(node.operand)})"
    return f"({_render(node.left)} {node.op} {_render(node.right)})"


def _natural_key(name: str) -> list[int | str]:
    return [int(part) if part.isdigit() else part for part in _DIGITS.split(name)]
