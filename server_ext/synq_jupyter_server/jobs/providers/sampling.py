"""The first steps every provider's sample job shares: measure, then transpile."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

    from synq_jupyter.quantum.targets import SynqTarget
    from synq_jupyter.quantum.transpile import TranspileResult

Report = Callable[[str, Any], None]


def transpile_for_sampling(
    circuit: QuantumCircuit, target: SynqTarget, payload: dict[str, Any], report: Report
) -> tuple[TranspileResult, bool]:
    """Measures every qubit if the circuit measures nothing, then transpiles it for
    ``target`` with the job's level and seed.

    Returns the transpile result and whether the measurements were added.
    """
    from synq_jupyter.quantum import transpile_circuit
    from synq_jupyter.quantum.run_local import with_measurements

    circuit, measured_all = with_measurements(circuit)
    report("progress", (0.0, f"transpiling for {target.name}"))
    transpiled = transpile_circuit(
        circuit,
        target,
        optimization_level=payload.get("optimization_level", 2),
        seed=payload["seed"],
    )
    return transpiled, measured_all
