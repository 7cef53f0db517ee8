"""Turn a circuit source in any supported format into a Qiskit ``QuantumCircuit``."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError, SynqSyntaxError
from synq_jupyter.quantum.circuit_format import (
    FORMATS,
    CircuitFormat,
    check_version,
    detect_format,
)
from synq_jupyter.quantum.qasm_semicolon import name_missing_semicolon

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

    from synq_jupyter.quantum.synq_lang.program import SynqWarning

_QISKIT_POSITION = re.compile(r"^(?:<input>:)?(\d+),(\d+):\s*(.*)$", re.DOTALL)
_UNDEFINED_GATE = re.compile(
    r"gate '(\w+)' is not defined"
    r"|cannot use non-builtin custom instruction '(\w+)' before definition"
)
"""How the OpenQASM 3 importer, then Qiskit's OpenQASM 2 reader, says it of a gate."""


@dataclass(frozen=True)
class ParsedCircuit:
    """A parsed source: the circuit, the format it was read as, and any warnings."""

    circuit: QuantumCircuit
    format: CircuitFormat
    warnings: tuple[SynqWarning, ...] = ()


def load_circuit(source: str | QuantumCircuit, format: str | None = None) -> QuantumCircuit:
    """Parses ``source`` into a ``QuantumCircuit``.

    Args:
        source: SynQ, OpenQASM 2 or OpenQASM 3 text, or a ``QuantumCircuit`` (returned as is).
        format: ``"synq"``, ``"qasm2"`` or ``"qasm3"``; detected from the text when ``None``.

    Returns:
        The circuit.

    Raises:
        SynqSyntaxError: The text does not parse; the error names the line and column.
        SynqInputError: The format is not one of the supported ones.
    """
    from qiskit import QuantumCircuit

    if isinstance(source, QuantumCircuit):
        return source
    return parse_circuit(source, format).circuit


def require_bound(
    circuit: QuantumCircuit,
    subject: str,
    field: str,
    before: str = "submitting",
    advice: Callable[[QuantumCircuit], str] | None = None,
) -> None:
    """Refuses a circuit with parameters that have no value, naming the first five.

    Args:
        subject: How the message names the circuit ("the circuit", "circuits[2]").
        field: The field the error names.
        before: What the values are needed for ("submitting", "running").
        advice: What to do about them, where Python's ``assign_parameters`` is not at hand
            (a ``%%synq`` cell); given the circuit.
    """
    if circuit.parameters:
        names = ", ".join(p.name for p in list(circuit.parameters)[:5])
        what = (
            advice(circuit)
            if advice is not None
            else f"give them values (circuit.assign_parameters) before {before}"
        )
        raise SynqInputError(f"{subject} has unbound parameters ({names}); {what}", field=field)


def parse_circuit(source: str, format: str | None = None) -> ParsedCircuit:
    """Like ``load_circuit`` for text, also telling the format and the SynQ warnings."""
    if not isinstance(source, str):
        raise SynqInputError("a circuit source must be text", field="source")
    # A byte-order mark, as editors on Windows save files, is not part of the program.
    source = source.removeprefix("\ufeff")
    if not source.strip():
        raise SynqSyntaxError("the circuit source is empty", line=1, column=1)
    fmt = resolve_format(source, format)
    check_version(source, fmt)
    if fmt == "synq":
        from synq_jupyter.quantum.synq_lang import compile_synq_circuit

        circuit, warnings = compile_synq_circuit(source)
        return ParsedCircuit(circuit, fmt, tuple(warnings))
    if fmt == "qasm2":
        return ParsedCircuit(_load_qasm2(source), fmt)
    return ParsedCircuit(_load_qasm3(source), fmt)


def resolve_format(source: str, format: str | None) -> CircuitFormat:
    """Returns ``format`` checked, or the detected format when it is ``None``."""
    if format is None:
        return detect_format(source)
    if format not in FORMATS:
        raise SynqInputError(
            f"unknown format {format!r}; use one of {', '.join(FORMATS)}", field="format"
        )
    return format  # type: ignore[return-value]


def _load_qasm2(source: str) -> QuantumCircuit:
    """Checks the text first: Qiskit's reader allocates each register as soon as it reads it."""
    from synq_jupyter.quantum.qasm_limits import check_finite_parameters, check_qasm2_source

    check_qasm2_source(source)
    try:
        circuit = _qasm2_circuit(source)
    except SynqSyntaxError as exc:
        raise name_missing_semicolon(source, exc, _qasm2_circuit) from None
    check_finite_parameters(circuit)
    return circuit


def _qasm2_circuit(source: str) -> QuantumCircuit:
    from qiskit import qasm2

    from synq_jupyter.quantum.qasm2_gate_parameters import check_qasm2_gate_parameters

    try:
        circuit = qasm2.loads(
            source,
            custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS,
            include_path=(),
        )
    except qasm2.QASM2Error as exc:
        raise _qasm2_error(str(exc)) from None
    except TypeError as exc:
        # A gate's constructor given fewer parameters than it takes: named at its call.
        check_qasm2_gate_parameters(source, built=False)
        raise SynqSyntaxError(f"Qiskit could not build a gate of the program ({exc})") from None
    check_qasm2_gate_parameters(source, built=True)
    return circuit


def _qasm2_error(message: str) -> SynqSyntaxError:
    from synq_jupyter.quantum.qasm2_gate_parameters import QELIB1_GATES

    return _undefined_gate(_positioned(message), QELIB1_GATES, "qelib1.inc")


def _undefined_gate(
    error: SynqSyntaxError, included: Collection[str], include: str
) -> SynqSyntaxError:
    """``error`` in words a user can act on if it is about a gate that is not defined: the
    name, and the include to add if it is a gate of that file (``included``)."""
    match = _UNDEFINED_GATE.fullmatch(error.message)
    if match is None:
        return error
    name = match.group(1) or match.group(2)
    text = f"gate '{name}' is not defined"
    if name in included:
        text += f'; add include "{include}"; after the OPENQASM line'
    return SynqSyntaxError(text, line=error.line, column=error.column)


def _load_qasm3(source: str) -> QuantumCircuit:
    """Parses once (the ANTLR parse is the slow part), checks, then converts the tree."""
    from qiskit import qasm3
    from qiskit.circuit.exceptions import CircuitError
    from qiskit_qasm3_import import ConversionError, convert

    from synq_jupyter.quantum.qasm3_bit_conditions import compare_bits_as_booleans
    from synq_jupyter.quantum.qasm3_checks import check_qasm3_program
    from synq_jupyter.quantum.qasm3_gate_calls import check_gate_calls
    from synq_jupyter.quantum.qasm_limits import check_finite_parameters

    try:
        program = _qasm3_program(source)
    except SynqSyntaxError as exc:
        raise name_missing_semicolon(source, exc, _qasm3_program) from None
    check_qasm3_program(program)
    check_gate_calls(program)
    compare_bits_as_booleans(program)
    try:
        circuit = convert(program)
    except (qasm3.QASM3Error, ConversionError, CircuitError, ValueError, TypeError) as exc:
        # ValueError: Qiskit refusing a gate it was asked to build (``pow(1e300) @ x``);
        # TypeError: a construct the importer has no code for, that the checks do not know.
        stdgates = {gate.name for gate in qasm3.STDGATES_INC_GATES}
        raise _undefined_gate(_positioned(str(exc), source), stdgates, "stdgates.inc") from None
    except IndexError:
        # An index the checks do not follow (in an alias of a block, of a set) past its end.
        raise SynqSyntaxError(
            "an index in the program is past the end of its register or alias"
        ) from None
    except ArithmeticError as exc:
        # What the checks cannot see, such as a gate body's angle that only the arguments of
        # its call make infinite (Qiskit refuses to bind it).
        raise SynqSyntaxError(f"a value in the program is not a finite number ({exc})") from None
    check_finite_parameters(circuit)
    return circuit


def _qasm3_program(source: str) -> Any:
    import openqasm3

    try:
        # ANTLR's console listener also prints a lexer error to stderr (a stray line in the
        # cell, with other numbers than the error's): the error itself says it all.
        with contextlib.redirect_stderr(io.StringIO()):
            return openqasm3.parse(source)
    except openqasm3.parser.QASM3ParsingError as exc:
        raise _qasm3_parse_error(exc) from None
    except ValueError:  # Python refuses to read an integer of thousands of digits
        raise SynqSyntaxError("a number in the program has too many digits to read") from None


def _qasm3_parse_error(exc: Exception) -> SynqSyntaxError:
    """Finds the offending token of an ANTLR parse failure and names its position."""
    message = str(exc)
    match = re.match(r"L(\d+):C(\d+):\s*(.*)", message)
    if match:
        line, col, text = match.groups()
        return SynqSyntaxError(text, line=int(line), column=int(col) + 1)
    cause: Any = exc.__cause__
    recognition = cause.args[0] if cause is not None and cause.args else cause
    token = getattr(recognition, "offendingToken", None)
    if token is None:
        return SynqSyntaxError("the OpenQASM 3 program does not parse")
    text = token.text
    what = "end of the program" if text == "<EOF>" else repr(text)
    return SynqSyntaxError(f"unexpected {what}", line=token.line, column=token.column + 1)


def _positioned(message: str, source: str | None = None) -> SynqSyntaxError:
    """Reads Qiskit's ``line,column: text`` (0-based column) into a positioned error; with
    ``source``, a column counted from the start of the source is made the line's own."""
    message = message.strip()
    if len(message) > 1 and message[0] == message[-1] and message[0] in "\"'":
        message = message[1:-1]  # quoted whole (a QASM3Error's text), not a quote inside
    match = _QISKIT_POSITION.match(message)
    if not match:
        return SynqSyntaxError(message)
    line, col, text = match.groups()
    column = int(col) + 1 if source is None else _column(source, int(line), int(col))
    return SynqSyntaxError(text.strip().rstrip("."), line=int(line), column=column)


def _column(source: str, line: int, col: int) -> int:
    """The 1-based column of ``col``, which qiskit-qasm3-import's conversion errors count from
    the start of the source ("line 5, column 53" on a 7-character line), not the line."""
    from synq_jupyter.quantum.qasm_limits import line_and_column

    lines = source.splitlines()
    if 1 <= line <= len(lines) and col >= len(lines[line - 1]):
        at_line, at_column = line_and_column(source, col)
        if at_line == line:
            return at_column
    return col + 1
