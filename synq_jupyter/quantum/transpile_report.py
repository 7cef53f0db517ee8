"""What a transpile produced: counts, depths, layout, estimates and a fingerprint."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from synq_jupyter.quantum import circuit_metrics as metrics
from synq_jupyter.quantum.versions import library_versions

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

    from synq_jupyter.quantum.targets import SynqTarget


@dataclass(frozen=True)
class TranspileReport:
    """The facts about one transpiled circuit that people compare targets and runs by.

    ``layout`` gives, for each qubit of the input circuit, the physical qubit it starts on;
    ``final_layout`` where it ends after routing. ``fingerprint`` is a SHA-256 of the output
    circuit (every instruction with its parameters and qubits) and layout: the same input,
    target, level, seed and library versions give the same fingerprint.
    """

    target: str
    optimization_level: int
    num_qubits: int
    ops: dict[str, int]
    depth: int
    two_qubit_count: int
    two_qubit_depth: int
    layout: list[int]
    final_layout: list[int]
    estimated_success_probability: float
    estimated_duration_s: float | None
    seed: int
    versions: dict[str, str]
    fingerprint: str

    @classmethod
    def build(
        cls,
        original: QuantumCircuit,
        transpiled: QuantumCircuit,
        target: SynqTarget,
        *,
        optimization_level: int,
        seed: int,
    ) -> TranspileReport:
        """Measures ``transpiled`` against ``target``'s calibration.

        Args:
            original: The circuit before transpiling.
            transpiled: The circuit after transpiling.
            target: The target it was transpiled for.
            optimization_level: The preset level used.
            seed: The transpiler seed used.
        """
        layout, final_layout = _layouts(original, transpiled)
        measured = metrics.execution_metrics(transpiled, target.calibration_table)
        fingerprint = hashlib.sha256(
            json.dumps(
                {
                    "circuit": measured.fingerprint,
                    "num_qubits": transpiled.num_qubits,
                    "layout": layout,
                    "final_layout": final_layout,
                },
                sort_keys=True,
            ).encode()
        ).hexdigest()
        return cls(
            target=target.name,
            optimization_level=optimization_level,
            num_qubits=original.num_qubits,
            ops=metrics.op_counts(transpiled),
            depth=metrics.depth(transpiled),
            two_qubit_count=measured.two_qubit_count,
            two_qubit_depth=measured.two_qubit_depth,
            layout=layout,
            final_layout=final_layout,
            estimated_success_probability=measured.estimated_success_probability,
            estimated_duration_s=measured.estimated_duration_s,
            seed=seed,
            versions=dict(library_versions()),
            fingerprint=fingerprint,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _layouts(original: QuantumCircuit, transpiled: QuantumCircuit) -> tuple[list[int], list[int]]:
    if transpiled.layout is None:
        identity = list(range(original.num_qubits))
        return identity, identity
    initial = transpiled.layout.initial_index_layout(filter_ancillas=True)
    final = transpiled.layout.final_index_layout(filter_ancillas=True)
    return [int(q) for q in initial], [int(q) for q in final]
