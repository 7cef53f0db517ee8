"""Synthesize a circuit from a spec or a plain-English description, and verify it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum.synthesis.builders import build_circuit
from synq_jupyter.quantum.synthesis.english import parse_description
from synq_jupyter.quantum.synthesis.spec import SynthesisSpec
from synq_jupyter.quantum.synthesis.synthesis_result import SynthesisResult, circuit_metrics
from synq_jupyter.quantum.synthesis.verify import verify

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

Progress = Callable[[float, str], None]

STANDARD_GATES = (
    *("x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx"),
    *("rx", "ry", "rz", "p", "u"),
    *("cx", "cz", "cp", "swap", "ccx"),
)
"""Gates of OpenQASM 3's ``stdgates.inc`` (and its built-in ``U``) that circuits end up in."""
LOWERING_SEED = 0


def synthesize(
    spec: SynthesisSpec | Mapping[str, Any] | str, *, progress: Progress | None = None
) -> SynthesisResult:
    """Builds the circuit ``spec`` asks for, lowers it to standard gates and verifies it.

    Args:
        spec: A checked spec, a spec as data (``{"kind": "ghz", "num_qubits": 5}``), or a
            plain-English description (``"5-qubit GHZ state"``).
        progress: Called with (fraction done, message) as the work advances.

    Returns:
        The circuit with its verification and metrics. A circuit that fails its check is
        still returned, with ``verification["passed"]`` false.

    Raises:
        SynqInputError: The spec is invalid (``field`` names the part), or the description
            does not parse (``field="description"``).
    """
    checked = _as_spec(spec)
    _report(progress, 0.0, f"building the {checked.kind} circuit")
    circuit = lower_to_standard_gates(build_circuit(checked))
    _report(progress, 0.5, "verifying the circuit")
    verification = verify(checked, circuit)
    outcome = "verified" if verification["passed"] else "verification failed"
    _report(progress, 1.0, outcome)
    return SynthesisResult(
        circuit=circuit,
        spec=checked.to_dict(),
        verification=verification,
        metrics=circuit_metrics(circuit),
    )


def lower_to_standard_gates(circuit: QuantumCircuit) -> QuantumCircuit:
    """Rewrites ``circuit`` in ``STANDARD_GATES``, with light optimisation, on the same qubits.

    The result exports to OpenQASM 3 without custom gate definitions, and its metrics count
    real gates rather than library boxes such as ``StatePreparation``.
    """
    from qiskit import transpile

    lowered = transpile(
        circuit,
        basis_gates=list(STANDARD_GATES),
        optimization_level=1,
        seed_transpiler=LOWERING_SEED,
    )
    lowered.name = circuit.name
    return lowered


def _as_spec(spec: SynthesisSpec | Mapping[str, Any] | str) -> SynthesisSpec:
    if isinstance(spec, SynthesisSpec):
        return spec
    if isinstance(spec, str):
        return parse_description(spec)
    if isinstance(spec, Mapping):
        return SynthesisSpec.from_dict(spec)
    raise SynqInputError("give a spec object with a kind, or a description in words", field="spec")


def _report(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(fraction, message)
