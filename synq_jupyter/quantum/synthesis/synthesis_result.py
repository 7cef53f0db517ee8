"""A synthesized circuit with its spec, its verification and its size."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from synq_jupyter.quantum.circuit_metrics import op_counts, two_qubit_count

if TYPE_CHECKING:
    from qiskit import QuantumCircuit


@dataclass(frozen=True)
class SynthesisResult:
    """What ``synthesize`` returns.

    Attributes:
        circuit: The circuit, in standard OpenQASM 3 gates.
        spec: The checked spec as JSON-ready data, defaults filled in.
        verification: ``{"method": ..., "passed": bool, ...}`` with the method's figures
            (``fidelity``, ``max_error``, ``success_probability`` ...).
        metrics: ``num_qubits``, ``depth``, ``size``, ``ops`` and ``two_qubit_count``.
    """

    circuit: QuantumCircuit
    spec: dict[str, Any]
    verification: dict[str, Any]
    metrics: dict[str, Any]

    @cached_property
    def qasm3(self) -> str:
        """The circuit as OpenQASM 3 text."""
        from qiskit import qasm3

        return qasm3.dumps(self.circuit)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data, with the circuit as ``qasm3`` text."""
        return {
            "spec": self.spec,
            "verification": self.verification,
            "metrics": self.metrics,
            "qasm3": self.qasm3,
        }


def circuit_metrics(circuit: QuantumCircuit) -> dict[str, Any]:
    """The size of ``circuit``: qubits, depth, operation count by name, two-qubit gates."""
    return {
        "num_qubits": circuit.num_qubits,
        "depth": circuit.depth(),
        "size": circuit.size(),
        "ops": op_counts(circuit),
        "two_qubit_count": two_qubit_count(circuit),
    }
