"""The SynQ abstract syntax tree: small frozen dataclasses that remember where they start."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ident:
    """A name as written in the source, e.g. the ``r`` of ``measure q[0] as r``."""

    line: int
    column: int
    name: str


# ---- arguments: qubits and angles -------------------------------------------------------


@dataclass(frozen=True)
class Indexed:
    """A qubit of a register, ``q[1]``."""

    line: int
    column: int
    register: str
    index: int


@dataclass(frozen=True)
class Bare:
    """A lone name in argument position: a kernel parameter, or ``pi``."""

    line: int
    column: int
    name: str


@dataclass(frozen=True)
class AngleExpr:
    """An angle written with numbers, ``pi``, ``*`` and ``/``, e.g. ``-3*pi/4``.

    Attributes:
        negative: Whether the expression starts with ``-``.
        factors: Numbers (``float``) and names (``Bare``), in source order.
        operators: ``"*"`` or ``"/"`` between consecutive factors.
    """

    line: int
    column: int
    negative: bool
    factors: tuple[float | Bare, ...]
    operators: tuple[str, ...]


Arg = Indexed | Bare | AngleExpr


# ---- compile-time Boolean expressions ---------------------------------------------------


@dataclass(frozen=True)
class BoolLit:
    """``true`` or ``false``."""

    line: int
    column: int
    value: bool


@dataclass(frozen=True)
class NameRef:
    """A name in an expression: a ``let``, a ``fn`` parameter or a measured name."""

    line: int
    column: int
    name: str


@dataclass(frozen=True)
class Not:
    """``not operand``."""

    line: int
    column: int
    operand: Expr


@dataclass(frozen=True)
class BinOp:
    """``left and right`` or ``left or right``."""

    line: int
    column: int
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class FnCall:
    """``name(arg, ...)`` calling a ``fn``."""

    line: int
    column: int
    name: str
    args: tuple[Expr, ...]


Expr = BoolLit | NameRef | Not | BinOp | FnCall


# ---- statements -------------------------------------------------------------------------


@dataclass(frozen=True)
class Register:
    """``qubit q[2]``."""

    line: int
    column: int
    name: Ident
    size: int


@dataclass(frozen=True)
class Gate:
    """``quantum rz(pi/2) q[1]``; ``line``/``column`` point at the ``quantum`` keyword."""

    line: int
    column: int
    gate: Ident
    angle: Arg | None
    operands: tuple[Arg, ...]


@dataclass(frozen=True)
class Measure:
    """``measure q[0] as r``."""

    line: int
    column: int
    qubit: Arg
    target: Ident


@dataclass(frozen=True)
class If:
    """``if cond then quantum ...``."""

    line: int
    column: int
    condition: Expr
    then: Gate


@dataclass(frozen=True)
class Let:
    """``let name = expr``."""

    line: int
    column: int
    name: Ident
    value: Expr


@dataclass(frozen=True)
class Param:
    """A parameter of a ``fn`` (``type_name`` is None) or of a ``kernel``."""

    line: int
    column: int
    type_name: str | None
    name: Ident


@dataclass(frozen=True)
class FnDef:
    """``fn name(a, b) { ... return expr }``."""

    line: int
    column: int
    name: Ident
    params: tuple[Param, ...]
    body: tuple[Statement, ...]


@dataclass(frozen=True)
class KernelDef:
    """``kernel name(angle theta, qubit t) { ... }``."""

    line: int
    column: int
    name: Ident
    params: tuple[Param, ...]
    body: tuple[Statement, ...]


@dataclass(frozen=True)
class Call:
    """``call name(arg, ...)`` expanding a kernel."""

    line: int
    column: int
    name: Ident
    args: tuple[Arg, ...]


@dataclass(frozen=True)
class Return:
    """``return expr`` (only inside a ``fn``)."""

    line: int
    column: int
    value: Expr


@dataclass(frozen=True)
class Attribute:
    """``#[experimental(feature = "name")]``."""

    line: int
    column: int
    name: Ident
    key: Ident
    value: Ident


Statement = Register | Gate | Measure | If | Let | FnDef | KernelDef | Call | Return | Attribute
