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
    circuit and layout: the same input, target, level, seed and library versions give the
    same fingerprint.
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
        qasm3: str,
    ) -> TranspileReport:
        """Measures ``transpiled`` against ``target``.

        Args:
            original: The circuit before transpiling.
            transpiled: The circuit after transpiling.
            target: The target it was transpiled for.
            optimization_level: The preset level used.
            seed: The transpiler seed used.
            qasm3: ``transpiled`` as OpenQASM 3 (the fingerprint is taken over it).
        """
        layout, final_layout = _layouts(original, transpiled)
        fingerprint = hashlib.sha256(
            json.dumps(
                {"qasm3": qasm3, "layout": layout, "final_layout": final_layout},
                sort_keys=True,
            ).encode()
        ).hexdigest()
        qiskit_target = target.qiskit_target
        return cls(
            target=target.name,
            optimization_level=optimization_level,
            num_qubits=original.num_qubits,
            ops=metrics.op_counts(transpiled),
            depth=int(transpiled.depth()),
            two_qubit_count=metrics.two_qubit_count(transpiled),
            two_qubit_depth=metrics.two_qubit_depth(transpiled),
            layout=layout,
            final_layout=final_layout,
            estimated_success_probability=metrics.estimated_success_probability(
                transpiled, qiskit_target
            ),
            estimated_duration_s=metrics.estimated_duration(transpiled, qiskit_target),
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
