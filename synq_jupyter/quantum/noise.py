"""Aer noise models built from a target's calibrated errors."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qiskit.transpiler import Target
    from qiskit_aer.noise import NoiseModel

    from synq_jupyter.quantum.targets import SynqTarget


def has_noise(target: SynqTarget) -> bool:
    """True for every target but the ideal simulator."""
    return target.name != "aer_simulator"


def noise_model_for(target: SynqTarget, qubits: Sequence[int]) -> NoiseModel:
    """Gate and readout errors of ``target`` on the physical ``qubits``, renumbered from 0.

    The model is Aer's device model (what ``NoiseModel.from_backend`` builds: depolarizing
    plus thermal-relaxation gate errors, and readout errors), taken from the target's
    per-qubit and per-pair errors, durations and T1/T2. Only the qubits a circuit uses are
    modelled, which keeps simulations of small circuits on 100-qubit devices fast; without
    crosstalk in the model, idle qubits do not change the result. Native gates Aer does not
    know (IonQ's GPI, MS ...) are matched by name: run them as unitaries with that label.
    """
    return _cached(target, tuple(int(q) for q in qubits))


@lru_cache(maxsize=64)
def _cached(target: SynqTarget, qubits: tuple[int, ...]) -> NoiseModel:
    from qiskit_aer.noise import NoiseModel
    from qiskit_aer.noise.device import basic_device_gate_errors, basic_device_readout_errors

    sub = restrict_target(target.qiskit_target, qubits)
    gates = [n for n in sub.operation_names if n not in {"delay", "reset", "measure"}]
    # Natives that Aer lacks run as labelled "unitary" instructions.
    model = NoiseModel(basis_gates=[*gates, "unitary"])
    for qargs, error in basic_device_readout_errors(target=sub):
        model.add_readout_error(error, qargs)
    for name, qargs, error in basic_device_gate_errors(target=sub):
        model.add_quantum_error(error, name, qargs)
    return model


def restrict_target(target: Target, qubits: Sequence[int]) -> Target:
    """A copy of ``target`` holding only ``qubits`` (renumbered 0..k-1) and pairs among them."""
    from qiskit.transpiler import Target

    index = {q: i for i, q in enumerate(qubits)}
    props = target.qubit_properties
    sub = Target(
        num_qubits=len(qubits),
        dt=target.dt,
        qubit_properties=[props[q] for q in qubits] if props else None,
    )
    for name in target.operation_names:
        operation = target.operation_from_name(name)
        entries = target[name]
        if isinstance(operation, type) or entries is None or None in entries:
            continue  # variadic control flow and global instructions carry no errors
        mapped = {
            tuple(index[q] for q in qargs): entry
            for qargs, entry in entries.items()
            if qargs is not None and all(q in index for q in qargs)
        }
        if mapped:
            sub.add_instruction(operation, mapped, name=name)
    return sub
