"""What users pass to ``submit`` (numpy numbers, sets, ``SparsePauliOp``), as the JSON the
API takes; anything JSON cannot carry is refused here, naming the argument."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

KEPT_INSTRUCTIONS = frozenset(
    {"measure", "reset", "barrier", "delay", "if_else", "while_loop", "for_loop", "switch_case"}
)
"""Instructions OpenQASM 3 writes as themselves, besides the standard gates."""
MAX_UNFOLDING = 8


def plain(value: Any, field: str) -> Any:
    """``value`` as JSON values: numpy scalars become Python numbers, tuples and sets lists
    (sets sorted), and nested lists and dicts are converted throughout.

    Raises:
        SynqInputError: A number is not finite, or a value has no JSON form, naming
            ``field`` (``observables[0].coeffs[1]``).
    """
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SynqInputError(f"{value} is not a finite number", field=field)
        return float(value)
    if _is_numpy_scalar(value):
        return plain(value.item(), field)
    if isinstance(value, dict):
        return {str(k): plain(v, f"{field}.{k}") for k, v in value.items()}
    if isinstance(value, set | frozenset):
        value = sorted(value, key=str)
    if isinstance(value, list | tuple) or _is_numpy_array(value):
        return [plain(v, f"{field}[{i}]") for i, v in enumerate(value)]
    raise SynqInputError(
        f"{type(value).__name__} values cannot be sent to the server; use numbers, text and lists",
        field=field,
    )


def plain_fields(values: dict[str, Any]) -> dict[str, Any]:
    """A request body as JSON values (see ``plain``), each field named by its own key: an
    error reads ``problem.edges[0][2]``, not the body's."""
    return {name: plain(value, name) for name, value in values.items()}


def exportable(circuit: QuantumCircuit) -> QuantumCircuit:
    """``circuit`` with every instruction outside Qiskit's standard gates (``unitary``,
    ``initialize``, custom gates) replaced by its definition, until none is left.

    OpenQASM 3 would write them as gate definitions of the same name, which the server's
    simulator may read as its own instruction (``unitary``), or cannot read at all
    (``initialize``'s reset inside a gate).
    """
    from qiskit.circuit.library import get_standard_gate_name_mapping

    known = KEPT_INSTRUCTIONS | set(get_standard_gate_name_mapping())
    for _ in range(MAX_UNFOLDING):
        others = {inst.operation.name for inst in circuit.data} - known
        if not others:
            break
        circuit = circuit.decompose(gates_to_decompose=sorted(others))
    return circuit


def observables_json(observables: Any) -> list[Any]:
    """Estimate observables as the API takes them: Pauli labels, ``{"paulis", "coeffs"}``
    sums, or qiskit ``SparsePauliOp``\\s (one, or a list), whose coefficients must be real."""
    if _is_sparse_pauli_op(observables) or isinstance(observables, str):
        observables = [observables]
    if not isinstance(observables, list | tuple):
        raise SynqInputError(
            "observables is a list of Pauli labels, sums or SparsePauliOps, "
            f"not a {type(observables).__name__}",
            field="observables",
        )
    return [
        pauli_sum(o, f"observables[{i}]") if _is_sparse_pauli_op(o) else o
        for i, o in enumerate(observables)
    ]


def pauli_sum(operator: Any, field: str) -> dict[str, Any]:
    """A ``SparsePauliOp`` as ``{"paulis", "coeffs"}``.

    Raises:
        SynqInputError: A coefficient is complex, naming it (``field.coeffs[i]``): JSON and
            the server take real coefficients only.
    """
    coeffs = []
    for i, coeff in enumerate(operator.coeffs):
        if abs(complex(coeff).imag) > 1e-12:
            raise SynqInputError(
                f"coefficient {coeff} is complex; an observable's coefficients are real",
                field=f"{field}.coeffs[{i}]",
            )
        coeffs.append(float(complex(coeff).real))
    return {"paulis": [str(label) for label in operator.paulis.to_labels()], "coeffs": coeffs}


def _is_numpy_scalar(value: Any) -> bool:
    return (
        type(value).__module__ == "numpy"
        and hasattr(value, "item")
        and not hasattr(value, "__len__")
    )


def _is_numpy_array(value: Any) -> bool:
    return type(value).__module__ == "numpy" and hasattr(value, "tolist")


def _is_sparse_pauli_op(value: Any) -> bool:
    return type(value).__name__ == "SparsePauliOp" and hasattr(value, "paulis")
