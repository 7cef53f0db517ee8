"""What an OpenQASM program may ask Qiskit to build: a bounded size and finite numbers.

Qiskit allocates a register the moment it reads the declaration, so ``qreg q[100000000];``
costs gigabytes before a single gate is read; and it folds ``1e999`` or ``1e308*10`` into
``inf`` without a word, to fail far from the line, or as a crash, once the circuit is used.
The SynQ language refuses both at the line; these checks hold OpenQASM to the same rules:
at most ``MAX_QUBITS`` declared qubits (and as many classical bits), and finite angles.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from synq_jupyter.errors import SynqSyntaxError
from synq_jupyter.quantum.synq_lang.kernel_template import MAX_GATES
from synq_jupyter.quantum.synq_lang.lowering import MAX_QUBITS

if TYPE_CHECKING:
    from qiskit.circuit import CircuitInstruction, Instruction, QuantumCircuit, Qubit

BitKind = Literal["qubits", "classical bits"]

_COMMENT_OR_STRING = re.compile(r'//[^\n]*|"[^"\n]*"')
_QASM2_REGISTER = re.compile(r"\b([qc])reg\s+([A-Za-z_]\w*)\s*\[\s*(\d+)\s*\]")
_REAL = re.compile(r"(?<![\w.])(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?(?![\w.])")
_OVERFLOW_HINTS = (re.compile(r"[eE]\+?0*[0-9]{3}"), re.compile(r"[0-9]{309}"))
_COUNTABLE_DIGITS = 18
"""Longer sizes are not converted to ``int``: they are past any limit already."""
_QUOTED = 20
"""Characters of an overlong number quoted in a message."""


class DeclarationTally:
    """Adds up a program's declared qubits and classical bits, in source order.

    Refuses the declaration that takes either count past ``MAX_QUBITS``, the SynQ language's
    own cap, so the error names the line that asked for too much, before Qiskit allocates it.
    """

    def __init__(self) -> None:
        self._totals: dict[BitKind, int] = {"qubits": 0, "classical bits": 0}

    def declare(
        self,
        kind: BitKind,
        name: str,
        size: int | None,
        *,
        line: int | None,
        column: int | None,
    ) -> None:
        """Counts one declaration.

        Args:
            kind: What the declaration holds.
            name: The register's name, as written.
            size: How many it holds; ``None`` when the size is too large to count.
            line: 1-based line of the declaration.
            column: 1-based column of the declaration.

        Raises:
            SynqSyntaxError: The size is negative, or the total passes ``MAX_QUBITS``.
        """
        if size is not None and size < 0:
            raise SynqSyntaxError(
                f"{name} cannot have a negative size ({size})", line=line, column=column
            )
        earlier = self._totals[kind]
        total = None if size is None else earlier + size
        if total is not None and total <= MAX_QUBITS:
            self._totals[kind] = total
            return
        limit = f"a program may declare at most {MAX_QUBITS} {kind}"
        if total is None:
            message = f"{name} declares far too many {kind}; {limit}"
        elif earlier == 0:
            message = f"{name} declares {total} {kind}; {limit}"
        else:
            message = f"{name} brings the program to {total} {kind}; {limit}"
        raise SynqSyntaxError(message, line=line, column=column)


def check_qasm2_source(source: str) -> None:
    """Refuses, from the text alone, what Qiskit's OpenQASM 2 reader would build at once.

    ``qiskit.qasm2.loads`` allocates each ``qreg``/``creg`` as it reads it, so the sizes
    are read here first; OpenQASM 2 sizes are plain integers, so a pattern finds them all.
    A real number written too large to be finite (``1e999``) is named here too, at its line;
    Qiskit would turn it into ``inf``.

    Raises:
        SynqSyntaxError: A declaration passes the limit, or a number is not finite.
    """
    code = code_only(source)
    tally = DeclarationTally()
    for match in _QASM2_REGISTER.finditer(code):
        prefix, name, digits = match.groups()
        digits = digits.lstrip("0") or "0"
        size = int(digits) if len(digits) <= _COUNTABLE_DIGITS else None
        kind: BitKind = "qubits" if prefix == "q" else "classical bits"
        line, column = line_and_column(code, match.start())
        tally.declare(kind, name, size, line=line, column=column)
    infinite = _first_infinite_real(code)
    if infinite is not None:
        line, column = line_and_column(code, infinite.start())
        text = infinite.group()
        shown = text if len(text) <= _QUOTED else text[:_QUOTED] + "…"
        raise SynqSyntaxError(
            f"{shown} is too large to be a finite number", line=line, column=column
        )


def code_only(source: str) -> str:
    """``source`` with its comments and strings blanked, so that the offsets stay the same."""
    return _COMMENT_OR_STRING.sub(lambda match: " " * len(match.group()), source)


def _first_infinite_real(code: str) -> re.Match[str] | None:
    """The first real literal (one with a point or an exponent) that reads as ``inf``.

    Only a literal with an exponent of three digits or more, or 309 digits, can be that
    large: those are found first, which keeps the scan of a long program quick.
    """
    hints = sorted(match.start() for hint in _OVERFLOW_HINTS for match in hint.finditer(code))
    for hint in hints:
        start = hint
        while start > 0 and (code[start - 1].isdigit() or code[start - 1] == "."):
            start -= 1
        match = _REAL.match(code, start)
        text = match.group() if match else ""
        if any(mark in text for mark in ".eE") and not math.isfinite(float(text)):
            return match
    return None


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def check_finite_parameters(circuit: QuantumCircuit) -> None:
    """Refuses a loaded circuit holding an angle (or duration) that is ``inf`` or ``nan``.

    The last line of defence, for values only arithmetic reveals (``1e308*10``, ``exp(1000)``
    in OpenQASM 2) where the source position is lost: the error names the gate and its qubits.
    Control-flow bodies are searched, and so are the bodies of OpenQASM 2 ``gate``
    definitions, which Qiskit would otherwise compute only in transpile, where ``inf`` passes
    silently into the result.

    Raises:
        SynqSyntaxError: A parameter is not a finite number.
    """
    _FiniteParameters(circuit).check(circuit)


class _FiniteParameters:
    """One walk over a circuit, naming qubits by the registers of ``top``."""

    def __init__(self, top: QuantumCircuit) -> None:
        self._top = top
        self._seen_bodies: set[tuple[str, tuple[Any, ...]]] = set()
        self._budget = MAX_GATES

    def check(self, circuit: QuantumCircuit, inside: Callable[[], str] | None = None) -> None:
        """``inside`` names the top-level gate whose body ``circuit`` is, if it is one."""
        if not _finite(circuit.global_phase):
            raise SynqSyntaxError("the global phase is not a finite number")
        for instruction in circuit.data:
            operation = instruction.operation
            for param in operation.params:
                if isinstance(param, type(self._top)):
                    self.check(param, inside)  # a control-flow body: same qubits, same names
                elif not _finite(param):
                    noun = "duration" if operation.name == "delay" else "angle"
                    subject = (
                        self._describe(instruction)
                        if inside is None
                        else f"{operation.name} in the body of {inside()}"
                    )
                    raise SynqSyntaxError(
                        f"the {noun} of {subject} is not a finite number ({_show(param)})"
                    )
            if _defined_by_qasm2(operation):
                self._check_body(operation, inside or partial(self._describe, instruction))

    def _check_body(self, gate: Instruction, where: Callable[[], str]) -> None:
        """Builds the body of an OpenQASM 2 gate for these arguments (Qiskit would build it
        only in transpile) and checks it; nested gates are followed. Each distinct call is
        built once, and at most ``MAX_GATES`` body instructions in all."""
        from qiskit.qasm2 import QASM2Error

        key = (gate.name, tuple(gate.params))
        if key in self._seen_bodies or self._budget <= 0:
            return
        self._seen_bodies.add(key)
        try:
            body = gate.definition
        except (ArithmeticError, ValueError, QASM2Error) as exc:
            raise SynqSyntaxError(f"the body of {where()} cannot be computed: {exc}") from None
        if body is not None:
            self._budget -= len(body.data)
            self.check(body, where)

    def _describe(self, instruction: CircuitInstruction) -> str:
        """Says ``rz on q[0]``: without a source line, the gate and its qubits say where."""
        qubits = ", ".join(self._qubit_name(qubit) for qubit in instruction.qubits)
        return f"{instruction.operation.name} on {qubits}" if qubits else instruction.name

    def _qubit_name(self, qubit: Qubit) -> str:
        located = self._top.find_bit(qubit)
        if located.registers:
            register, index = located.registers[0]
            return f"{register.name}[{index}]"
        return f"qubit {located.index}"


def _defined_by_qasm2(operation: Instruction) -> bool:
    """A gate from an OpenQASM 2 ``gate`` statement (the standard gates are Qiskit's own
    classes, and need no look inside)."""
    return (type(operation).__module__ or "").startswith("qiskit.qasm2.")


def _finite(value: Any) -> bool:
    """False for ``inf``, ``nan`` and integers too large for a float; True for
    non-numbers (symbolic parameters, loop ranges), which are not angles to check."""
    if isinstance(value, float):  # nearly every parameter: first, and fast
        return math.isfinite(value)
    import numpy as np

    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "fc" or bool(np.isfinite(value).all())
    if isinstance(value, int | complex | np.number):
        try:
            number = complex(value)
        except OverflowError:
            return False
        return math.isfinite(number.real) and math.isfinite(number.imag)
    return True


def _show(value: Any) -> str:
    if isinstance(value, int):
        return "an integer too large for a float"
    return "a matrix" if hasattr(value, "shape") else str(value)
