"""Check a SynQ syntax tree statement by statement and lower it to OpenQASM-level operations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.synq_lang import syntax_tree as st
from synq_jupyter.quantum.synq_lang.condition_folder import ConditionFolder, RuntimeBit
from synq_jupyter.quantum.synq_lang.gate_lowering import lower_gate
from synq_jupyter.quantum.synq_lang.kernel_template import (
    MAX_GATES,
    KernelTemplate,
    expand_call,
)
from synq_jupyter.quantum.synq_lang.name_table import NameTable
from synq_jupyter.quantum.synq_lang.operand_resolver import OperandResolver
from synq_jupyter.quantum.synq_lang.operations import (
    ConditionalOp,
    GateOp,
    MeasureOp,
    Operation,
    PhysicalQubit,
)
from synq_jupyter.quantum.synq_lang.program import SynqWarning

KNOWN_FEATURES = ("kernels", "measurement_feedback")
MAX_QUBITS = 10_000
"""Most qubits one program may declare."""


@dataclass(frozen=True)
class LoweredProgram:
    """A checked program, ready to be written as OpenQASM 3.

    Attributes:
        registers: Each register's name and size, in declaration order.
        bits: The measured names, in measurement order; each becomes a one-bit register.
        operations: Gates, measurements and conditional gates, in program order.
        warnings: Problems that do not stop compilation.
        features: Known experimental features the program turned on, in order.
    """

    registers: tuple[tuple[str, int], ...]
    bits: tuple[str, ...]
    operations: tuple[Operation, ...]
    warnings: tuple[SynqWarning, ...]
    features: tuple[str, ...]


def _error(node: st.Statement | st.Ident | st.Expr, message: str) -> SynqSyntaxError:
    return SynqSyntaxError(message, line=node.line, column=node.column)


class Lowering:
    """Walks the statements once, in order, checking each against what came before it.

    Args:
        statements: The program's top-level statements.
    """

    def __init__(self, statements: Sequence[st.Statement]) -> None:
        self._statements = statements
        self._names = NameTable()
        self._registers: dict[str, int] = {}
        self._measured: dict[str, int] = {}
        self._if_lines: dict[str, int] = {}
        measured_anywhere: dict[str, int] = {}
        for stmt in statements:
            if isinstance(stmt, st.Measure):
                measured_anywhere.setdefault(stmt.target.name, stmt.line)
        self._folder = ConditionFolder(self._measured, measured_anywhere)
        self._kernels: dict[str, KernelTemplate] = {}
        self._operations: list[Operation] = []
        self._gate_count = 0
        self._warnings: list[SynqWarning] = []
        self._features: list[str] = []

    def run(self) -> LoweredProgram:
        """Check and lower every statement.

        Returns:
            The lowered program.

        Raises:
            SynqSyntaxError: The first statement that breaks a rule of the language.
        """
        for stmt in self._statements:
            try:
                self._statement(stmt)
            except RecursionError:
                raise _error(stmt, "this statement nests too deeply to compile") from None
            if self._gate_count > MAX_GATES:
                raise _error(stmt, f"the program expands to more than {MAX_GATES} gates here")
        return LoweredProgram(
            registers=tuple(self._registers.items()),
            bits=tuple(self._measured),
            operations=tuple(self._operations),
            warnings=tuple(self._warnings),
            features=tuple(self._features),
        )

    def _statement(self, stmt: st.Statement) -> None:
        if isinstance(stmt, st.Register):
            self._register(stmt)
        elif isinstance(stmt, st.Gate):
            self._emit_gates(lower_gate(stmt, OperandResolver(self._registers)))
        elif isinstance(stmt, st.Measure):
            self._measure(stmt)
        elif isinstance(stmt, st.If):
            self._if(stmt)
        elif isinstance(stmt, st.Let):
            value = self._folder.constant(stmt.value)
            self._names.define(stmt.name, "let")
            self._folder.lets[stmt.name.name] = value
        elif isinstance(stmt, st.FnDef):
            self._names.define(stmt.name, "fn")
            self._folder.define_fn(stmt)
        elif isinstance(stmt, st.KernelDef):
            self._names.define(stmt.name, "kernel")
            template = KernelTemplate.define(stmt, self._registers, self._kernels)
            self._kernels[template.name] = template
        elif isinstance(stmt, st.Call):
            self._call(stmt)
        elif isinstance(stmt, st.Attribute):
            self._attribute(stmt)
        else:
            raise _error(stmt, "return belongs on the last line of a fn body")

    def _emit_gates(self, gates: Sequence[GateOp]) -> None:
        self._operations.extend(gates)
        self._gate_count += len(gates)

    def _register(self, stmt: st.Register) -> None:
        if stmt.size < 1:
            raise _error(stmt.name, f"register {stmt.name.name} needs at least one qubit")
        if sum(self._registers.values()) + stmt.size > MAX_QUBITS:
            raise _error(stmt.name, f"a program may declare at most {MAX_QUBITS} qubits")
        self._names.define(stmt.name, "register")
        self._registers[stmt.name.name] = stmt.size

    def _measure(self, stmt: st.Measure) -> None:
        qubit = OperandResolver(self._registers).qubit(stmt.qubit)
        assert isinstance(qubit, PhysicalQubit)
        self._names.define(stmt.target, "measured name")
        self._measured[stmt.target.name] = stmt.line
        self._operations.append(MeasureOp(qubit, stmt.target.name))

    def _call(self, stmt: st.Call) -> None:
        kind = self._names.kind(stmt.name.name)
        if kind is not None and kind != "kernel":
            raise _error(stmt.name, f"{stmt.name.name} is a {kind}, not a kernel")
        self._emit_gates(expand_call(stmt, self._kernels, OperandResolver(self._registers)))

    def _if(self, stmt: st.If) -> None:
        refs = list(self._folder.measured_refs(stmt.condition))
        for ref in refs:
            earlier = self._if_lines.get(ref.name)
            if earlier is not None:
                raise _error(
                    ref,
                    f"{ref.name} was already used by the if on line {earlier}; "
                    "a measured name feeds exactly one if",
                )
        condition = self._folder.fold(stmt.condition)
        gates = lower_gate(stmt.then, OperandResolver(self._registers))
        for ref in refs:
            self._if_lines[ref.name] = stmt.line
        if isinstance(condition, RuntimeBit):
            self._operations.append(ConditionalOp(condition.name, condition.negated, gates))
            self._gate_count += len(gates)
        elif condition:
            self._emit_gates(gates)

    def _attribute(self, stmt: st.Attribute) -> None:
        if stmt.name.name != "experimental":
            raise _error(
                stmt.name,
                f"unknown attribute '{stmt.name.name}'; "
                'the only attribute is #[experimental(feature = "...")]',
            )
        if stmt.key.name != "feature":
            raise _error(
                stmt.key, f'experimental takes feature = "...", not {stmt.key.name} = "..."'
            )
        feature = stmt.value.name
        if feature in KNOWN_FEATURES:
            if feature not in self._features:
                self._features.append(feature)
            return
        self._warnings.append(
            SynqWarning(
                stmt.value.line,
                stmt.value.column,
                f"unknown experimental feature '{feature}' is ignored; "
                f"known features: {', '.join(KNOWN_FEATURES)}",
            )
        )
