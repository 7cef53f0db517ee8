"""Compile SynQ source text to OpenQASM 3, or straight to a Qiskit circuit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from synq_jupyter.quantum.synq_lang.circuit_builder import build_circuit
from synq_jupyter.quantum.synq_lang.lowering import Lowering
from synq_jupyter.quantum.synq_lang.parse_source import parse_source
from synq_jupyter.quantum.synq_lang.program import SynqProgram, SynqWarning
from synq_jupyter.quantum.synq_lang.qasm_emitter import emit_qasm

if TYPE_CHECKING:
    from qiskit import QuantumCircuit


def compile_synq(source: str) -> SynqProgram:
    """Compile a SynQ program to OpenQASM 3.

    Args:
        source: The program text, one statement per line.

    Returns:
        The OpenQASM 3 text, the warnings and the number of qubits.

    Raises:
        SynqSyntaxError: The program does not parse or breaks a rule of the language; the
            error carries the 1-based line and column of the problem.

    Example:
        >>> program = compile_synq("qubit q[2]\\nquantum bell_pair")
        >>> program.num_qubits
        2
    """
    lowered = Lowering(parse_source(source)).run()
    return SynqProgram(
        qasm3=emit_qasm(lowered),
        warnings=lowered.warnings,
        num_qubits=sum(size for _, size in lowered.registers),
        features=lowered.features,
    )


def compile_synq_circuit(source: str) -> tuple[QuantumCircuit, tuple[SynqWarning, ...]]:
    """Compile a SynQ program to the ``QuantumCircuit`` its OpenQASM 3 text loads to.

    Raises:
        SynqSyntaxError: As ``compile_synq``.
    """
    lowered = Lowering(parse_source(source)).run()
    return build_circuit(lowered), lowered.warnings
