"""The marked states of a Grover search, its phase oracle and its theoretical success."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum.synthesis.boolean_expression import BooleanExpression

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

MIN_QUBITS = 2
MAX_QUBITS = 10
MAX_ORACLE_LENGTH = 500
_BITSTRING_LIKE = re.compile(r"\d\w*")
"""Variable names cannot start with a digit, so this text was meant as a bitstring."""


@dataclass(frozen=True)
class GroverOracle:
    """What a Grover search looks for.

    A bitstring such as ``"101"`` marks one state and reads like Qiskit's counts: its last
    character is qubit 0. An expression marks every assignment that makes it true, with its
    variables in natural order on qubits 0, 1, ... (``a`` on qubit 0 for ``(a & b) | ~c``).

    Attributes:
        text: The oracle as written.
        expression: The expression whose solutions are marked (a bitstring is read as the
            conjunction of its bits).
        marked: The marked basis states, as integers (qubit ``i`` is bit ``i``).
    """

    text: str
    expression: BooleanExpression
    marked: tuple[int, ...]

    @classmethod
    def parse(cls, text: object, *, field: str = "spec.oracle") -> GroverOracle:
        """Reads a marked bitstring or a Boolean expression.

        Args:
            text: ``"101"`` or an expression such as ``"(a & b) | ~c"``.
            field: The request field to name in an error.

        Returns:
            The oracle, with its marked states worked out.

        Raises:
            SynqInputError: The text is neither, has too few or too many qubits, or marks
                no state at all.
        """
        if not isinstance(text, str) or not text.strip():
            raise SynqInputError(
                "oracle must be a bitstring such as '101' or a Boolean expression such as "
                "'(a & b) | ~c'",
                field=field,
            )
        text = text.strip()
        if len(text) > MAX_ORACLE_LENGTH:
            raise SynqInputError(
                f"oracle is longer than {MAX_ORACLE_LENGTH} characters", field=field
            )
        if _BITSTRING_LIKE.fullmatch(text):
            expression = _bitstring_expression(text, field)
        else:
            expression = BooleanExpression.parse(text, field=field)
        width = len(expression.variables)
        if not MIN_QUBITS <= width <= MAX_QUBITS:
            raise SynqInputError(
                f"a Grover search needs {MIN_QUBITS} to {MAX_QUBITS} qubits; {text!r} has {width}",
                field=field,
            )
        marked = expression.satisfying()
        if not marked:
            raise SynqInputError(f"no assignment makes {text!r} true: nothing to find", field=field)
        return cls(text=text, expression=expression, marked=marked)

    @property
    def num_qubits(self) -> int:
        return len(self.expression.variables)

    @property
    def angle(self) -> float:
        """θ with sin²θ the fraction of marked states; each iteration rotates by 2θ."""
        return math.asin(math.sqrt(len(self.marked) / 2**self.num_qubits))

    def iterations(self, requested: int | None) -> int:
        """``requested``, or the optimal number of iterations when it is ``None``."""
        return self.optimal_iterations() if requested is None else requested

    def optimal_iterations(self) -> int:
        """The number of iterations that gives the highest success probability."""
        best = max(0.0, math.pi / (4 * self.angle) - 0.5)
        candidates = {math.floor(best), math.ceil(best)}
        return max(sorted(candidates), key=self.success_probability)

    def success_probability(self, iterations: int) -> float:
        """sin²((2k+1)θ): the chance of measuring a marked state after ``k`` iterations."""
        return math.sin((2 * iterations + 1) * self.angle) ** 2

    def marked_bitstrings(self) -> list[str]:
        """The marked states as Qiskit counts keys (qubit 0 last)."""
        return [format(state, f"0{self.num_qubits}b") for state in self.marked]

    def circuit(self) -> QuantumCircuit:
        """A phase oracle that flips the sign of exactly the marked states."""
        from qiskit import QuantumCircuit
        from qiskit.circuit.library import PhaseOracleGate

        oracle = QuantumCircuit(self.num_qubits, name="oracle")
        gate = PhaseOracleGate(
            self.expression.to_qiskit(), var_order=list(self.expression.variables)
        )
        oracle.append(gate, range(self.num_qubits))
        return oracle


def _bitstring_expression(bits: str, field: str) -> BooleanExpression:
    wrong = sorted(set(bits) - {"0", "1"})
    if wrong:
        raise SynqInputError(
            f"a marked bitstring has only 0s and 1s; {bits!r} has {wrong[0]!r}", field=field
        )
    width = len(bits)
    # Qubit i is the i-th character from the right; name it q0, q1, ... in that order.
    literals = [f"q{i}" if bits[width - 1 - i] == "1" else f"~q{i}" for i in range(width)]
    return BooleanExpression.parse(" & ".join(literals), field=field)
