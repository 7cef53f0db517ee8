"""Evaluate SynQ Boolean expressions at compile time, leaving at most one measured bit."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.synq_lang import syntax_tree as st


@dataclass(frozen=True)
class RuntimeBit:
    """A condition known only at run time: a measured name, or its negation."""

    name: str
    negated: bool


Folded = bool | RuntimeBit


@dataclass(frozen=True)
class _Scope:
    """Names an expression may read: the program's, or one fn body's."""

    values: Mapping[str, bool]
    fn: str | None = None


def _error(node: st.Expr | st.Ident | st.Return, message: str) -> SynqSyntaxError:
    return SynqSyntaxError(message, line=node.line, column=node.column)


class ConditionFolder:
    """Holds the ``let`` values and ``fn`` definitions, and folds expressions with them.

    Args:
        measured: Line of each ``measure`` already lowered, by measured name.
        measured_later: Line of every top-level ``measure``, by name, to explain a name
            that is used before it is measured.
    """

    def __init__(self, measured: Mapping[str, int], measured_later: Mapping[str, int]) -> None:
        self.lets: dict[str, bool] = {}
        self._fns: dict[str, st.FnDef] = {}
        self._measured = measured
        self._measured_later = measured_later
        self._memo: dict[tuple[str, tuple[bool, ...]], bool] = {}

    def constant(self, expr: st.Expr) -> bool:
        """The compile-time value of ``expr`` (a ``let`` right-hand side).

        Raises:
            SynqSyntaxError: An unknown name, a measured name, or a bad ``fn`` call.
        """
        value = self._eval(expr, _Scope(self.lets), runtime=False)
        assert isinstance(value, bool)
        return value

    def fold(self, expr: st.Expr) -> Folded:
        """Fold an ``if`` condition to a constant or to a single measured bit.

        Raises:
            SynqSyntaxError: The condition still combines measured names after folding, or it
                reads a name that is unknown or not measured yet.
        """
        return self._eval(expr, _Scope(self.lets), runtime=True)

    def measured_refs(self, expr: st.Expr) -> Iterator[st.NameRef]:
        """The places where ``expr`` mentions an already measured name."""
        if isinstance(expr, st.NameRef) and expr.name in self._measured:
            yield expr
        elif isinstance(expr, st.Not):
            yield from self.measured_refs(expr.operand)
        elif isinstance(expr, st.BinOp):
            yield from self.measured_refs(expr.left)
            yield from self.measured_refs(expr.right)
        elif isinstance(expr, st.FnCall):
            for arg in expr.args:
                yield from self.measured_refs(arg)

    def define_fn(self, fn: st.FnDef) -> None:
        """Check a ``fn`` body and make the function callable.

        Raises:
            SynqSyntaxError: Repeated parameters or lets, a statement other than ``let`` and
                ``return``, a missing or misplaced ``return``, or an unknown name.
        """
        name = fn.name.name
        known: set[str] = set()
        for param in fn.params:
            if param.name.name in known:
                raise _error(param.name, f"parameter {param.name.name} appears twice in fn {name}")
            known.add(param.name.name)
        returns = [stmt for stmt in fn.body if isinstance(stmt, st.Return)]
        if not returns:
            raise _error(fn.name, f"fn {name} needs a return line")
        for stmt in fn.body:
            if isinstance(stmt, st.Let):
                self._check(stmt.value, known, fn)
                if stmt.name.name in known:
                    raise _error(stmt.name, f"{stmt.name.name} is already defined in fn {name}")
                known.add(stmt.name.name)
            elif isinstance(stmt, st.Return):
                self._check(stmt.value, known, fn)
                if stmt is not fn.body[-1]:
                    raise _error(stmt, f"return must be the last line of fn {name}")
            else:
                raise SynqSyntaxError(
                    f"a fn body holds only let lines and one return; see fn {name}",
                    line=stmt.line,
                    column=stmt.column,
                )
        self._fns[name] = fn

    def _check(self, expr: st.Expr, known: set[str], fn: st.FnDef) -> None:
        if isinstance(expr, st.NameRef) and expr.name not in known:
            raise _error(
                expr,
                f"fn {fn.name.name} sees only its parameters and its own lets; "
                f"'{expr.name}' is neither",
            )
        if isinstance(expr, st.Not):
            self._check(expr.operand, known, fn)
        elif isinstance(expr, st.BinOp):
            self._check(expr.left, known, fn)
            self._check(expr.right, known, fn)
        elif isinstance(expr, st.FnCall):
            if expr.name == fn.name.name:
                raise _error(expr, f"fn {expr.name} cannot call itself")
            self._callee(expr)
            for arg in expr.args:
                self._check(arg, known, fn)

    def _callee(self, call: st.FnCall) -> st.FnDef:
        fn = self._fns.get(call.name)
        if fn is None:
            what = "a let, not a fn" if call.name in self.lets else "not a known fn"
            raise _error(call, f"'{call.name}' is {what}; define it with fn {call.name}(...) first")
        if len(call.args) != len(fn.params):
            plural = "argument" if len(fn.params) == 1 else "arguments"
            raise _error(
                call,
                f"fn {call.name} takes {len(fn.params)} {plural}, got {len(call.args)}",
            )
        return fn

    def _eval(self, expr: st.Expr, scope: _Scope, *, runtime: bool) -> Folded:
        if isinstance(expr, st.BoolLit):
            return expr.value
        if isinstance(expr, st.NameRef):
            return self._name(expr, scope, runtime=runtime)
        if isinstance(expr, st.Not):
            value = self._eval(expr.operand, scope, runtime=runtime)
            if isinstance(value, RuntimeBit):
                return RuntimeBit(value.name, not value.negated)
            return not value
        if isinstance(expr, st.BinOp):
            left = self._eval(expr.left, scope, runtime=runtime)
            right = self._eval(expr.right, scope, runtime=runtime)
            return _combine(expr, left, right)
        return self._call(expr, scope)

    def _name(self, ref: st.NameRef, scope: _Scope, *, runtime: bool) -> Folded:
        if ref.name in scope.values:
            return scope.values[ref.name]
        if scope.fn is None and ref.name in self._measured:
            if runtime:
                return RuntimeBit(ref.name, negated=False)
            raise _error(
                ref,
                f"{ref.name} is measured at run time; only an if condition can test it, "
                "not a let or a fn argument",
            )
        if ref.name in self._measured_later:
            raise _error(
                ref,
                f"{ref.name} is used before it is measured (on line "
                f"{self._measured_later[ref.name]}); measure it before the if that tests it",
            )
        if ref.name in self._fns:
            raise _error(ref, f"{ref.name} is a fn; call it as {ref.name}(...)")
        raise _error(ref, f"unknown name '{ref.name}'; define it first with let {ref.name} = ...")

    def _call(self, call: st.FnCall, scope: _Scope) -> bool:
        fn = self._callee(call)
        args = tuple(self._eval(arg, scope, runtime=False) for arg in call.args)
        key = (fn.name.name, tuple(bool(arg) for arg in args))
        if key not in self._memo:
            local: dict[str, bool] = {
                param.name.name: value for param, value in zip(fn.params, key[1], strict=True)
            }
            inner = _Scope(local, fn.name.name)
            for stmt in fn.body:
                if isinstance(stmt, st.Let):
                    local[stmt.name.name] = bool(self._eval(stmt.value, inner, runtime=False))
                elif isinstance(stmt, st.Return):
                    self._memo[key] = bool(self._eval(stmt.value, inner, runtime=False))
        return self._memo[key]


def _combine(expr: st.BinOp, left: Folded, right: Folded) -> Folded:
    """``left and right`` or ``left or right``, keeping a runtime bit when the other side is
    a constant that does not decide the result."""
    decisive = expr.op == "or"  # the value that decides the result on its own
    for this, other in ((left, right), (right, left)):
        if isinstance(this, bool):
            return decisive if this == decisive else other
    raise _error(
        expr,
        "a runtime condition must be a single measured name or its negation; "
        f"this {expr.op} combines two measured names",
    )
