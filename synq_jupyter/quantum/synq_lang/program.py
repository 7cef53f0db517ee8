"""What compiling a SynQ program gives back: OpenQASM 3 text, warnings and a qubit count."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SynqWarning:
    """A problem in a SynQ program that does not stop it from compiling.

    Attributes:
        line: 1-based source line.
        column: 1-based source column.
        message: What is wrong, in words a user can act on.
    """

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class SynqProgram:
    """A compiled SynQ program.

    Attributes:
        qasm3: The program as OpenQASM 3 text, loadable with ``qiskit.qasm3.loads``.
        warnings: Warnings, in source order.
        num_qubits: Total number of qubits over all registers.
        features: Known experimental features the program enabled with
            ``#[experimental(feature = "...")]``, in order of first mention.
    """

    qasm3: str
    warnings: tuple[SynqWarning, ...]
    num_qubits: int
    features: tuple[str, ...] = ()
