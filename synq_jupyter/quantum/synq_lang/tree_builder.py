"""Turn the lark parse tree of a SynQ program into the syntax tree of ``syntax_tree``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.synq_lang import syntax_tree as st

if TYPE_CHECKING:
    from lark import Token, Tree

    Node = Tree[Token] | Token

MAX_NESTING = 200
"""Deepest nesting of ``not``, ``and``/``or`` chains and bodies that a program may use."""

KEYWORDS = frozenset(
    {"qubit", "quantum", "measure", "as", "if", "then", "let", "fn", "kernel", "call"}
    | {"return", "not", "and", "or", "true", "false"}
)
"""Words of the language that cannot name anything, even where the grammar expects a name."""

_WHOLE_NUMBER = re.compile(r"[0-9]+")


def build_program(tree: Tree[Token]) -> tuple[st.Statement, ...]:
    """Build the statements of a parsed program.

    Args:
        tree: The ``start`` tree the SynQ grammar produced.

    Returns:
        The top-level statements, in source order.

    Raises:
        SynqSyntaxError: A number is not whole where it must be, a qubit sits inside an
            angle, or the program nests too deeply.
    """
    return tuple(_statement(_tree(child), 0) for child in tree.children)


def _pos(node: Node) -> tuple[int, int]:
    if isinstance(node, str):
        return node.line or 1, node.column or 1
    return node.meta.line, node.meta.column


def _tree(node: Node) -> Tree[Token]:
    if isinstance(node, str):
        line, column = _pos(node)
        raise SynqSyntaxError(f"unexpected '{node}'", line=line, column=column)
    return node


def _leaf(node: Node) -> Token:
    if not isinstance(node, str):
        line, column = _pos(node)
        raise SynqSyntaxError(f"unexpected {node.data}", line=line, column=column)
    return node


def _too_deep(node: Node) -> SynqSyntaxError:
    line, column = _pos(node)
    return SynqSyntaxError(
        f"the program nests more than {MAX_NESTING} levels deep here", line=line, column=column
    )


def _ident(node: Node) -> st.Ident:
    token = _leaf(_tree(node).children[0])
    line, column = _pos(token)
    if token in KEYWORDS:
        raise SynqSyntaxError(
            f"'{token}' is a keyword; choose another name", line=line, column=column
        )
    return st.Ident(line, column, str(token))


def _whole(node: Node, what: str) -> int:
    token = _leaf(node)
    if not _WHOLE_NUMBER.fullmatch(token):
        line, column = _pos(token)
        raise SynqSyntaxError(
            f"{what} must be a whole number, not {token}", line=line, column=column
        )
    return int(token)


def _statement(tree: Tree[Token], depth: int) -> st.Statement:
    if depth > MAX_NESTING:
        raise _too_deep(tree)
    line, column = _pos(tree)
    kids = tree.children
    kind = tree.data
    if kind == "register":
        return st.Register(line, column, _ident(kids[1]), _whole(kids[2], "a register size"))
    if kind == "gate":
        return _gate(tree)
    if kind == "measure":
        return st.Measure(line, column, _operand(kids[0]), _ident(kids[1]))
    if kind == "if_stmt":
        return st.If(line, column, _expr(kids[0], depth), _gate(_tree(kids[1])))
    if kind == "let_stmt":
        return st.Let(line, column, _ident(kids[0]), _expr(kids[1], depth))
    if kind == "fn_def":
        params = tuple(
            st.Param(*_pos(name), None, _ident(name)) for name in _optional(kids, "names")
        )
        return st.FnDef(line, column, _ident(kids[0]), params, _body(kids[-1], depth))
    if kind == "kernel_def":
        params = tuple(_param(param) for param in _optional(kids, "params"))
        return st.KernelDef(line, column, _ident(kids[0]), params, _body(kids[-1], depth))
    if kind == "call":
        args = tuple(_arg(arg) for arg in _optional(kids, "args"))
        return st.Call(line, column, _ident(kids[0]), args)
    if kind == "return_stmt":
        return st.Return(line, column, _expr(kids[0], depth))
    if kind == "attribute":
        value = _leaf(kids[2])
        text = st.Ident(*_pos(value), str(value)[1:-1])
        return st.Attribute(line, column, _ident(kids[0]), _ident(kids[1]), text)
    raise SynqSyntaxError(f"unexpected {kind}", line=line, column=column)


def _optional(kids: list[Node], name: str) -> list[Node]:
    """Children of the optional list rule ``name`` (names, params, args), or none."""
    for kid in kids:
        if not isinstance(kid, str) and kid.data == name:
            return list(kid.children)
    return []


def _body(node: Node, depth: int) -> tuple[st.Statement, ...]:
    # The first child is the '{' token, kept so that the body knows where it starts.
    return tuple(_statement(_tree(kid), depth + 1) for kid in _tree(node).children[1:])


def _param(node: Node) -> st.Param:
    type_tree, name = _tree(node).children
    type_name = str(_leaf(_tree(type_tree).children[0]))
    return st.Param(*_pos(node), type_name, _ident(name))


def _gate(tree: Tree[Token]) -> st.Gate:
    line, column = _pos(tree)
    name = _ident(tree.children[0])
    angle: st.Arg | None = None
    operands: tuple[st.Arg, ...] = ()
    for kid in map(_tree, tree.children[1:]):
        if kid.data == "angle":
            angle = _arg(kid.children[0])
        else:
            operands = tuple(_operand(operand) for operand in kid.children)
    return st.Gate(line, column, name, angle, operands)


def _operand(node: Node) -> st.Indexed | st.Bare:
    tree = _tree(node)
    line, column = _pos(tree)
    if tree.data == "indexed":
        register, index = tree.children
        return st.Indexed(line, column, str(register), _whole(index, "a qubit index"))
    return st.Bare(line, column, str(_leaf(tree.children[0])))


def _arg(node: Node) -> st.Arg:
    tree = _tree(node)
    line, column = _pos(tree)
    kids = list(tree.children)
    negative = isinstance(kids[0], str) and kids[0] == "-"
    if negative:
        kids = kids[1:]
    factor_trees = [_tree(kid) for kid in kids[0::2]]
    operators = tuple(str(op) for op in kids[1::2])
    if not negative and len(factor_trees) == 1 and factor_trees[0].data != "number":
        return _operand(factor_trees[0])
    factors: list[float | st.Bare] = []
    for factor in factor_trees:
        if factor.data == "number":
            factors.append(float(_leaf(factor.children[0])))
            continue
        operand = _operand(factor)
        if isinstance(operand, st.Indexed):
            raise SynqSyntaxError(
                f"{operand.register}[{operand.index}] is a qubit; "
                "an angle is made of numbers and pi",
                line=operand.line,
                column=operand.column,
            )
        factors.append(operand)
    return st.AngleExpr(line, column, negative, tuple(factors), operators)


def _expr(node: Node, depth: int) -> st.Expr:
    if depth > MAX_NESTING:
        raise _too_deep(node)
    tree = _tree(node)
    line, column = _pos(tree)
    kind, kids = tree.data, tree.children
    if kind in ("true_lit", "false_lit"):
        return st.BoolLit(line, column, kind == "true_lit")
    if kind == "name_ref":
        return st.NameRef(line, column, str(kids[0]))
    if kind == "not_op":
        return st.Not(line, column, _expr(kids[1], depth + 1))
    if kind in ("and_op", "or_op"):
        left, right = (_expr(kid, depth + 1) for kid in kids)
        return st.BinOp(line, column, kind.removesuffix("_op"), left, right)
    if kind == "fn_call":
        args = tuple(_expr(arg, depth + 1) for arg in _optional(kids, "exprs"))
        return st.FnCall(line, column, str(kids[0]), args)
    raise SynqSyntaxError(f"unexpected {kind}", line=line, column=column)
