"""Checks each gate call of an OpenQASM 3 program against the gate's signature, at its line.

Qiskit's importer finds a wrong count of qubits or parameters only when it builds the gate,
and says so in its own terms and without a position ("The amount of qubit(1)/clbit(0)
arguments does not match the gate expectation (2).", "label expects a string or None");
the syntax tree still knows where the call is.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from openqasm3 import ast
from openqasm3.visitor import QASMVisitor

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.qasm3_checks import (
    followed_aliases,
    literal_int,
    node_position,
    range_indices,
)


class _Signature(NamedTuple):
    parameters: int
    qubits: int


_BUILTIN = {"U": _Signature(3, 1)}
"""The one gate OpenQASM 3 defines without an include."""
_CONTROLS = (ast.GateModifierName.ctrl, ast.GateModifierName.negctrl)


def check_gate_calls(program: ast.Program) -> None:
    """Refuses a gate call with the wrong number of parameters or qubits, or a qubit twice.

    Gates are known from the built-in ``U``, ``include "stdgates.inc"`` and the program's
    own ``gate`` definitions, each from where it is defined on; a call of any other name is
    left to the importer, which says it is not defined. ``ctrl @`` and ``negctrl @`` add
    their control qubits to what the gate acts on.

    Raises:
        SynqSyntaxError: Naming the line and column of the first wrong call.
    """
    _GateCallChecker(followed_aliases(program)).visit(program)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class _GateCallChecker(QASMVisitor[None]):
    def __init__(self, followed: set[int]) -> None:
        self._followed = followed  # the aliases to follow (``followed_aliases``)
        self._gates: dict[str, _Signature | None] = dict(_BUILTIN)
        self._registers: set[str] = set()
        self._sizes: dict[str, int] = {}  # registers of a literal size, for open slices
        self._aliases: dict[str, _Alias | None] = {}  # None: one this check does not follow

    def visit_Include(self, node: ast.Include, context: Any = None) -> None:
        if node.filename == "stdgates.inc":
            from qiskit.qasm3 import STDGATES_INC_GATES

            for gate in STDGATES_INC_GATES:
                self._gates[gate.name] = _Signature(gate.num_params, gate.num_qubits)

    def visit_QubitDeclaration(self, node: ast.QubitDeclaration, context: Any = None) -> None:
        if node.size is not None:
            self._registers.add(node.qubit.name)
            if isinstance(node.size, ast.IntegerLiteral):
                self._sizes[node.qubit.name] = node.size.value

    def visit_AliasStatement(self, node: ast.AliasStatement, context: Any = None) -> None:
        """``let a = q[1:2];``: ``a[0]`` is then ``q[1]``. An alias of anything else (a
        concatenation, a computed index), or one ``followed_aliases`` leaves out, is not
        followed: calls on it are left to the importer."""
        named = self._aliased(node.value) if id(node) in self._followed else None
        alias = None if named is None else _alias_of(self._resolved(named), self._sizes)
        self._aliases[node.target.name] = alias
        if alias is not None and alias.indices is not None:
            self._sizes[node.target.name] = len(alias.indices)

    def _aliased(self, value: ast.Expression) -> _Operand | None:
        """What a ``let`` names, as written: a register, or one index of it."""
        if isinstance(value, ast.Identifier):
            return _Operand(value.name)
        if isinstance(value, ast.IndexExpression) and isinstance(value.collection, ast.Identifier):
            indexed = ast.IndexedIdentifier(name=value.collection, indices=[value.index])
            return _named(indexed, self._sizes)
        return None

    def _resolved(self, named: _Operand) -> _Operand | None:
        """``named`` on the register it stands for, through an alias (``None``: one not
        followed, or an index past its end)."""
        if named.name not in self._aliases:
            return named
        alias = self._aliases[named.name]
        return None if alias is None else alias.apply(named)

    def visit_QuantumGateDefinition(
        self, node: ast.QuantumGateDefinition, context: Any = None
    ) -> None:
        # A gate's body sees only its own qubits: no register, no alias.
        registers, aliases = self._registers, self._aliases
        self._registers = registers - {qubit.name for qubit in node.qubits}
        self._aliases = {}
        try:
            self.generic_visit(node, context)
        finally:
            self._registers, self._aliases = registers, aliases
        name = node.name.name
        # A second definition is the importer's error, at that definition: the calls of
        # the name are left to it.
        known = name in self._gates
        self._gates[name] = None if known else _Signature(len(node.arguments), len(node.qubits))

    def visit_QuantumGate(self, node: ast.QuantumGate, context: Any = None) -> None:
        name = node.name.name
        signature = self._gates.get(name)
        if signature is None:
            return
        given = len(node.arguments)
        if given != signature.parameters:
            raise SynqSyntaxError(
                f"'{name}' takes {_plural(signature.parameters, 'parameter')}, "
                f"but is given {given}",
                **node_position(node),
            )
        self._check_qubits(f"'{name}'", signature.qubits, node)

    def visit_QuantumPhase(self, node: ast.QuantumPhase, context: Any = None) -> None:
        self._check_qubits("'gphase'", 0, node)

    def _check_qubits(
        self, gate: str, acts_on: int, node: ast.QuantumGate | ast.QuantumPhase
    ) -> None:
        controls = 0
        for modifier in node.modifiers:
            if modifier.modifier in _CONTROLS:
                if modifier.argument is None:
                    controls += 1
                elif isinstance(modifier.argument, ast.IntegerLiteral):
                    controls += modifier.argument.value
                else:
                    return  # a count only the importer computes
        expected, given = acts_on + controls, len(node.qubits)
        if given != expected:
            if controls:
                gate += f" with {_plural(controls, 'control')}"
            acts = f"acts on {_plural(expected, 'qubit')}" if expected else "acts on no qubits"
            raise SynqSyntaxError(f"{gate} {acts}, but is given {given}", **node_position(node))
        self._check_distinct(node)

    def _check_distinct(self, node: ast.QuantumGate | ast.QuantumPhase) -> None:
        """Finds a qubit named twice in one call: directly (``q[0], q[0]``), or where a
        register, a slice or a set is broadcast over (``cx q[0:1], q[1]`` acts on
        ``q[1], q[1]`` in its second call; ``cx q[0:1], q[1:2]`` never does)."""
        seen: list[_Operand] = []
        for operand in node.qubits:
            named = _named(operand, self._sizes)
            qubits = None if named is None else self._resolved(named)
            if qubits is None:
                continue
            for earlier in seen:
                twice = _overlap(earlier, qubits, self._registers)
                if twice is not None:
                    raise SynqSyntaxError(
                        f"a gate cannot act on the same qubit twice ({twice})",
                        **node_position(node),
                    )
            seen.append(qubits)


class _Operand(NamedTuple):
    """The qubits a gate operand names: ``q[i]`` (``single``), ``q[a:b]`` or ``q[{a, b}]``
    (``indices``, in the order the call is broadcast over), or the whole register ``q``
    (neither)."""

    name: str
    single: int | None = None
    indices: tuple[int, ...] | None = None

    @property
    def reach(self) -> int:
        """How many calls of a broadcast it takes to meet every qubit this operand gives
        (a whole register gives ``q[i]`` to call ``i``, so it meets any other's)."""
        if self.indices is not None:
            return len(self.indices)
        return 1 if self.single is None else self.single + 1

    def at(self, call: int) -> int | None:
        """The index this operand gives the ``call``-th call of a broadcast (``None``: past
        its end, or a whole register, whose size this check does not track)."""
        if self.single is not None:
            return self.single
        if self.indices is not None:
            return self.indices[call] if call < len(self.indices) else None
        return call


class _Alias(NamedTuple):
    """What ``let`` made a name stand for: qubits of ``register``, the whole of it when
    ``indices`` is ``None`` (a register of unknown size)."""

    register: str
    indices: tuple[int, ...] | None

    def apply(self, named: _Operand) -> _Operand | None:
        """``named`` (written on the alias) on the register (``None``: past its end)."""
        indices = self.indices
        if indices is None:
            return named._replace(name=self.register)
        if named.single is None and named.indices is None:
            return _Operand(self.register, indices=indices)
        positions = named.indices if named.single is None else (named.single,)
        assert positions is not None
        if any(not 0 <= p < len(indices) for p in positions):
            return None
        mapped = tuple(indices[p] for p in positions)
        if named.single is None:
            return _Operand(self.register, indices=mapped)
        return _Operand(self.register, single=mapped[0])


def _alias_of(named: _Operand | None, sizes: dict[str, int]) -> _Alias | None:
    """The alias of what ``named`` gives: one qubit, a slice or set, or a whole register."""
    if named is None or named.single is not None:  # the importer aliases no single qubit
        return None
    size = sizes.get(named.name)
    if named.indices is not None:
        if size is None:
            return None
        # As the importer slices: a range past the register stops at its end.
        return _Alias(named.name, tuple(i for i in named.indices if 0 <= i < size))
    return _Alias(named.name, None if size is None else tuple(range(size)))


def _named(
    operand: ast.Identifier | ast.IndexedIdentifier, sizes: dict[str, int]
) -> _Operand | None:
    """What ``operand`` names, as written, or ``None`` for what this check does not follow: a
    computed or negative index, a range left open on a register of unknown size, more than
    one index."""
    if isinstance(operand, ast.Identifier):
        return _Operand(operand.name)
    if len(operand.indices) != 1:
        return None
    index = operand.indices[0]
    name = operand.name.name
    if isinstance(index, ast.DiscreteSet):
        values = tuple(v.value for v in index.values if isinstance(v, ast.IntegerLiteral))
        return _Operand(name, indices=values) if len(values) == len(index.values) else None
    if len(index) != 1:
        return None
    (element,) = index
    if isinstance(element, ast.RangeDefinition):
        indices = range_indices(element, sizes.get(name))
        return None if indices is None else _Operand(name, indices=indices)
    single = literal_int(element)
    return None if single is None else _Operand(name, single=single)


def _overlap(first: _Operand, second: _Operand, registers: set[str]) -> str | None:
    """The qubit both operands give one call of the broadcast, named as the user would, if
    any."""
    if first.name != second.name:
        return None
    if first.single is None and first.indices is None and second == first:
        # The same whole register twice: every call (the first is enough), but a single
        # qubit declared without a size is a qubit, not a register.
        return f"{first.name}[0]" if first.name in registers else first.name
    for call in range(max(first.reach, second.reach)):
        index = first.at(call)
        if index is not None and index == second.at(call):
            return f"{first.name}[{index}]"
    return None
