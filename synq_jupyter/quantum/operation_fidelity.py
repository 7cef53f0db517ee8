"""How closely a transpiled circuit implements the operation of its input."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

OPERATOR_QUBITS = 10
STATEVECTOR_QUBITS = 16


def operation_fidelity(
    original: QuantumCircuit, transpiled: QuantumCircuit, dropped: Sequence[float] = ()
) -> tuple[float | None, str]:
    """How closely ``transpiled`` implements ``original``, and how that was established.

    Final measurements, barriers, resets of fresh qubits and final resets are set aside;
    qubits are read through the transpile's initial and final layouts, and ancillas must
    start and end in |0>. With at most ``OPERATOR_QUBITS`` qubits in play this is the
    process fidelity |Tr(V†W)/d|² of the two operators; with at most ``STATEVECTOR_QUBITS``
    the worst state fidelity over |0…0> and two seeded random product states. Otherwise,
    when rotations were removed (``dropped`` angles), ``rotation_removal_bound``.

    Returns:
        The fidelity (``None`` when it could not be established) and the method.
    """
    import numpy as np
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import Operator, Statevector

    layout = transpiled.layout
    n = original.num_qubits
    initial = layout.initial_index_layout(filter_ancillas=True) if layout else list(range(n))
    final = layout.final_index_layout(filter_ancillas=True) if layout else list(range(n))
    reference, actual = _unitary_part(original), _unitary_part(transpiled)
    width = len(_touched(transpiled) | set(initial) | set(final))
    if reference is None or actual is None or width > STATEVECTOR_QUBITS:
        if dropped:
            return rotation_removal_bound(dropped), "bound"
        why = "not unitary" if reference is None or actual is None else f"{width} qubits"
        return None, f"not checked ({why})"
    compact, outputs = _compact(actual, initial, final)
    size = 2**n
    if compact.num_qubits <= OPERATOR_QUBITS:
        got = _reorder(Operator(compact).data[:, :size], outputs)[:size]
        overlap = np.vdot(Operator(reference).data, got) / size
        return float(abs(overlap) ** 2), "operator"
    rng = np.random.default_rng(0)
    worst = 1.0
    for trial in range(3):
        prep = QuantumCircuit(n)
        for q in range(n if trial else 0):
            prep.u(*(float(a) for a in rng.uniform(0, 2 * math.pi, 3)), q)
        expected = Statevector(prep.compose(reference)).data
        full = QuantumCircuit(compact.num_qubits).compose(prep, range(n)).compose(compact)
        got = _reorder(Statevector(full).data[:, None], outputs)[:size, 0]
        worst = min(worst, float(abs(np.vdot(expected, got)) ** 2))
    return worst, "statevector"


def _unitary_part(circuit: QuantumCircuit) -> QuantumCircuit | None:
    """``circuit`` without final measurements, barriers and idle resets; ``None`` if what
    remains is not a product of bound gates."""
    from qiskit.circuit import Gate
    from qiskit.transpiler import PassManager, passes

    stripped = PassManager(
        [
            passes.RemoveResetInZeroState(),
            passes.RemoveFinalReset(),
            passes.RemoveFinalMeasurements(),
            passes.RemoveBarriers(),
        ]
    ).run(circuit)
    body = stripped.copy_empty_like()
    for inst in stripped.data:
        if inst.operation.name == "delay":
            continue
        if not isinstance(inst.operation, Gate) or inst.operation.is_parameterized():
            return None
        body.append(inst)
    return body


def _touched(circuit: QuantumCircuit) -> set[int]:
    index = {q: i for i, q in enumerate(circuit.qubits)}
    return {index[q] for inst in circuit.data if inst.name != "barrier" for q in inst.qubits}


def _compact(
    circuit: QuantumCircuit, initial: Sequence[int], final: Sequence[int]
) -> tuple[QuantumCircuit, list[int]]:
    """``circuit`` on only the qubits in play, input qubit i first on qubit i, and for each
    output qubit (inputs in order, then ancillas) the compact qubit it is read from."""
    from qiskit import QuantumCircuit

    order = list(initial) + sorted((_touched(circuit) | set(final)) - set(initial))
    position = {physical: i for i, physical in enumerate(order)}
    index = {q: i for i, q in enumerate(circuit.qubits)}
    compact = QuantumCircuit(len(order), global_phase=circuit.global_phase)
    for inst in circuit.data:
        compact.append(inst.operation, [position[index[q]] for q in inst.qubits])
    ancillas = [position[p] for p in order if p not in set(final)]
    return compact, [position[p] for p in final] + ancillas


def _reorder(rows: Any, outputs: list[int]) -> Any:
    """``rows`` (indexed by compact basis states) re-indexed so that output qubit j reads
    compact qubit ``outputs[j]``."""
    m = len(outputs)
    tensor = rows.reshape([2] * m + [-1])
    axes = [m - 1 - outputs[m - 1 - a] for a in range(m)]
    return tensor.transpose([*axes, m]).reshape(2**m, -1)


def rotation_removal_bound(angles: Sequence[float]) -> float:
    """A lower bound on the fidelity left after removing rotations by ``angles``.

    Every rotation ``drop_small_rotations`` removes has eigenphases spread over an arc of
    |θ|, so it is within 2|sin(θ/4)| of the identity (up to phase) in operator norm; errors
    add up to ε, and any state then keeps a fidelity of at least (1 - ε²/2)².
    """
    eps = sum(2 * abs(math.sin(angle / 4)) for angle in angles)
    return max(0.0, 1 - eps**2 / 2) ** 2
