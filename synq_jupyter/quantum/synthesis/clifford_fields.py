"""Read a Clifford spec: a stabilizer list, a stabilizer and destabilizer list, or a tableau."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from synq_jupyter.quantum.synthesis.spec_fields import field_error, read_list

if TYPE_CHECKING:
    from qiskit.quantum_info import Clifford

FORMATS = (
    '{"stabilizers": ["+XX", "+ZZ"]} for a state, '
    '{"stabilizers": [...], "destabilizers": [...]} or {"tableau": [[0, 1, ...], ...]} '
    "for a full Clifford operation"
)


def read_clifford(
    params: Mapping[str, Any], *, max_state_qubits: int, max_operator_qubits: int
) -> dict[str, Any]:
    """The checked fields of a Clifford spec.

    Pauli labels read like Qiskit's: the last letter acts on qubit 0, with an optional
    ``+`` or ``-`` sign in front. A tableau is Qiskit's: ``2n`` rows (destabilizers, then
    stabilizers) of ``2n + 1`` bits (X part, Z part, sign).

    Args:
        params: The spec's fields.
        max_state_qubits: Most qubits for a stabilizer state.
        max_operator_qubits: Most qubits for a full Clifford operation.

    Returns:
        ``{"stabilizers": [...]}`` for a state; ``{"stabilizers": [...], "destabilizers":
        [...]}`` for an operation, however it was given.

    Raises:
        SynqInputError: The fields do not form one of the formats, or they do not describe
            a valid stabilizer state or Clifford operation.
    """
    if "tableau" in params:
        if "stabilizers" in params or "destabilizers" in params:
            raise field_error("tableau", f"give either a tableau or Pauli lists: {FORMATS}")
        clifford = _from_tableau(params, max_operator_qubits)
        return {
            "stabilizers": tuple(clifford.to_labels(mode="S")),
            "destabilizers": tuple(clifford.to_labels(mode="D")),
        }
    if "stabilizers" not in params:
        raise field_error("stabilizers", f"a clifford spec needs {FORMATS}")
    stabilizers = _labels(params, "stabilizers")
    if "destabilizers" not in params:
        _check_state(stabilizers, max_state_qubits)
        return {"stabilizers": stabilizers}
    destabilizers = _labels(params, "destabilizers")
    clifford = clifford_from_labels(stabilizers, destabilizers, max_operator_qubits)
    return {
        "stabilizers": tuple(clifford.to_labels(mode="S")),
        "destabilizers": tuple(clifford.to_labels(mode="D")),
    }


def clifford_from_labels(
    stabilizers: Sequence[str], destabilizers: Sequence[str], max_qubits: int
) -> Clifford:
    """The Clifford operation that maps each ``Z_i`` to stabilizer ``i`` and ``X_i`` to
    destabilizer ``i``."""
    from qiskit.exceptions import QiskitError
    from qiskit.quantum_info import Clifford

    _check_width("stabilizers", stabilizers, max_qubits)
    if len(destabilizers) != len(stabilizers):
        raise field_error(
            "destabilizers", "give as many destabilizers as stabilizers, one per qubit"
        )
    try:
        return Clifford.from_dict(
            {"stabilizer": list(stabilizers), "destabilizer": list(destabilizers)}
        )
    except (QiskitError, ValueError) as exc:
        raise field_error("destabilizers", f"not a Clifford operation: {_reason(exc)}") from None


def _from_tableau(params: Mapping[str, Any], max_qubits: int) -> Clifford:
    import numpy as np
    from qiskit.exceptions import QiskitError
    from qiskit.quantum_info import Clifford

    rows = read_list(params, "tableau")
    num_qubits = len(rows) // 2
    if len(rows) % 2 or not 1 <= num_qubits <= max_qubits:
        raise field_error(
            "tableau", f"tableau must have 2n rows for n from 1 to {max_qubits} qubits"
        )
    width = 2 * num_qubits + 1
    for i, row in enumerate(rows):
        if (
            isinstance(row, str)
            or not isinstance(row, Sequence)
            or len(row) != width
            or any(bit not in (0, 1) or isinstance(bit, float) for bit in row)
        ):
            raise field_error("tableau", f"tableau row {i} must be {width} bits (0 or 1)")
    try:
        return Clifford(np.array(rows, dtype=bool), validate=True)
    except QiskitError:
        raise field_error("tableau", "tableau is not symplectic: not a Clifford") from None


def _labels(params: Mapping[str, Any], name: str) -> tuple[str, ...]:
    labels = read_list(params, name)
    if not all(isinstance(label, str) for label in labels):
        raise field_error(name, f"{name} must be Pauli strings such as '+XZ'")
    return tuple(label.strip().upper() for label in labels)


def _check_width(name: str, labels: Sequence[str], max_qubits: int) -> None:
    width = len(labels[0].lstrip("+-"))
    if any(len(label.lstrip("+-")) != width for label in labels):
        raise field_error(name, f"every one of the {name} must act on the same number of qubits")
    if len(labels) != width:
        raise field_error(
            name, f"{width} qubits need {width} {name}, one per qubit, not {len(labels)}"
        )
    if width > max_qubits:
        raise field_error(name, f"{name} act on {width} qubits; the limit is {max_qubits}")


def _check_state(stabilizers: Sequence[str], max_qubits: int) -> None:
    from qiskit.exceptions import QiskitError
    from qiskit.quantum_info import StabilizerState

    _check_width("stabilizers", stabilizers, max_qubits)
    try:
        StabilizerState.from_stabilizer_list(stabilizers)
    except (QiskitError, ValueError) as exc:
        raise field_error("stabilizers", f"not a stabilizer state: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    text = str(exc).strip().strip("'\"")
    return text.split(" Add allow_")[0].rstrip(".")
