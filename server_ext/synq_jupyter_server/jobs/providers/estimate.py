"""Expectation values of Pauli observables through an Estimator primitive."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum.aer_seed import aer_seed

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import SparsePauliOp

    from synq_jupyter.quantum.targets import SynqTarget

Progress = Callable[[float, str], None]
DEFAULT_ESTIMATE_SHOTS = 4096


def observables_of(spec: list[Any], num_qubits: int) -> list[SparsePauliOp]:
    """Reads ``["ZZ", {"paulis": ["XX", "YY"], "coeffs": [0.5, 0.5]}]`` into operators.

    Labels are written like Qiskit's: the rightmost letter acts on qubit 0.

    Raises:
        SynqInputError: a label of the wrong length or with letters other than I, X, Y, Z.
    """
    from qiskit.quantum_info import SparsePauliOp

    if not spec:
        raise SynqInputError("an estimate job needs at least one observable", field="observables")
    operators = []
    for index, item in enumerate(spec):
        if isinstance(item, str):
            paulis, coeffs = [item], [1.0]
        else:
            paulis, coeffs = list(item["paulis"]), [float(c) for c in item["coeffs"]]
            if len(paulis) != len(coeffs):
                raise SynqInputError(
                    f"as many coeffs as paulis are needed ({len(paulis)} paulis, "
                    f"{len(coeffs)} coeffs)",
                    field=f"observables[{index}]",
                )
        for place, label in enumerate(paulis):
            if len(label) != num_qubits or set(label) - set("IXYZ"):
                raise SynqInputError(
                    f"{label!r} must be {num_qubits} letters of I, X, Y, Z (the circuit has "
                    f"{num_qubits} qubits)",
                    field=f"observables[{index}]"
                    + ("" if isinstance(item, str) else f".paulis[{place}]"),
                )
        if not math.isfinite(sum(abs(c) for c in coeffs)):
            # |<O>| can reach the sum: past the largest float, the value would be inf.
            raise SynqInputError(
                "the coefficients add up past the largest number a value can hold; scale "
                "the observable down",
                field=f"observables[{index}].coeffs",
            )
        operators.append(SparsePauliOp(paulis, coeffs))
    return operators


def check_estimable(circuit: QuantumCircuit) -> None:
    """Refuses a circuit that branches on a measurement or loops: the Estimator would drop
    what depends on a measured bit (or fail on it) instead of refusing.

    Raises:
        SynqInputError: Naming the first control-flow operation (field ``source``).
    """
    from synq_jupyter.quantum.transpile import control_flow

    used = control_flow(circuit)
    if used:
        raise SynqInputError(
            f"an estimate job's circuit cannot use control flow ({', '.join(sorted(used))}): "
            "expectation values need one state, not branches; sample it instead",
            field="source",
        )


def precision_for(shots: int) -> float:
    """The ``precision`` that makes the Estimator run exactly ``shots`` (it runs
    ``ceil(1 / precision**2)``, and ``shots**-0.5`` squared is often a little more than
    ``1 / shots``: 1,001 for 1,000)."""
    precision = shots**-0.5
    while math.ceil(1 / precision**2) > shots:
        precision = math.nextafter(precision, math.inf)
    return precision


def estimate(
    circuit: QuantumCircuit, target: SynqTarget, payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    """⟨O⟩ and its standard error for each observable.

    On ``aer_simulator`` with ``shots`` null the values are exact (statevector). Otherwise
    they come from ``shots`` samples per measurement basis through qiskit-ibm-runtime's
    ``EstimatorV2`` in local mode — on the ideal simulator, or, for any other target, on the
    transpiled circuit with the device's calibrated noise.
    """
    from qiskit_aer import AerSimulator

    circuit = circuit.remove_final_measurements(inplace=False)
    observables = observables_of(payload["observables"], circuit.num_qubits)
    shots, seed = payload.get("shots"), payload["seed"]
    progress(0.0, f"estimating {len(observables)} observables on {target.name}")
    if target.name == "aer_simulator":
        if shots is None:
            values, errors = _exact(circuit, observables)
        else:
            values, errors = _sampled(circuit, observables, AerSimulator(), shots, seed)
    else:
        from synq_jupyter.quantum import transpile_circuit
        from synq_jupyter.quantum.device_simulation import device_simulation

        transpiled = transpile_circuit(circuit, target, seed=seed).circuit
        on_device = [op.apply_layout(transpiled.layout) for op in observables]
        keep = sorted({q for op in on_device for _, qs, _ in op.to_sparse_list() for q in qs})
        device = device_simulation(transpiled, target, keep=keep)
        values, errors = _sampled(
            device.circuit,
            [device.observable(op) for op in on_device],
            device.simulator,
            shots or DEFAULT_ESTIMATE_SHOTS,
            seed,
        )
    progress(1.0, "done")
    return {
        "observables": [
            [[label, float(coeff.real)] for label, coeff in op.to_list()] for op in observables
        ],
        "expectation_values": values,
        "standard_errors": errors,
        "shots": shots,
        "seed": seed,
        "target": target.name,
    }


def _exact(
    circuit: QuantumCircuit, observables: list[SparsePauliOp]
) -> tuple[list[float], list[float]]:
    from qiskit.quantum_info import Statevector

    state = Statevector(circuit)
    return [float(state.expectation_value(op).real) for op in observables], [0.0] * len(observables)


def _sampled(
    circuit: QuantumCircuit,
    observables: list[SparsePauliOp],
    simulator: Any,
    shots: int,
    seed: int,
) -> tuple[list[float], list[float]]:
    from qiskit_ibm_runtime import EstimatorV2

    estimator = EstimatorV2(
        mode=simulator, options={"simulator": {"seed_simulator": aer_seed(seed)}}
    )
    data = estimator.run([(circuit, observables)], precision=precision_for(shots)).result()[0].data
    return [float(v) for v in data.evs], [float(s) for s in data.stds]
