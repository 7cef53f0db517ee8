"""Read and check the fields of a structured synthesis spec, naming the field on error."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from synq_jupyter.errors import SynqInputError

TOLERANCE = 1e-4
"""How far amplitudes may be from norm 1, or a matrix from unitary, and still be accepted:
entries rounded to four decimals (0.7071 for 1/√2) pass."""

_REQUIRED = object()


def field_error(name: str, message: str) -> SynqInputError:
    """A ``SynqInputError`` about ``spec.<name>``."""
    return SynqInputError(message, field=f"spec.{name}")


def read_int(
    params: Mapping[str, Any], name: str, *, low: int, high: int, default: Any = _REQUIRED
) -> int:
    """The whole number ``params[name]``, checked to lie in ``[low, high]``."""
    value = params.get(name, default)
    if value is _REQUIRED:
        raise field_error(name, f"{name} is required")
    if isinstance(value, bool) or not isinstance(value, int):
        raise field_error(name, f"{name} must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise field_error(name, f"{name} must be from {low} to {high}, not {value}")
    return value


def read_bool(params: Mapping[str, Any], name: str, *, default: bool) -> bool:
    """The flag ``params[name]``, or ``default`` when it is absent."""
    value = params.get(name, default)
    if not isinstance(value, bool):
        raise field_error(name, f"{name} must be true or false, not {value!r}")
    return value


def read_choice(
    params: Mapping[str, Any], name: str, choices: Sequence[str], *, default: str
) -> str:
    """One of ``choices``, or ``default`` when the field is absent."""
    value = params.get(name, default)
    if value not in choices:
        raise field_error(name, f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return str(value)


def read_list(params: Mapping[str, Any], name: str) -> list[Any]:
    """The non-empty list ``params[name]``."""
    value = params.get(name)
    if isinstance(value, str | bytes) or not isinstance(value, Sequence) or not value:
        raise field_error(name, f"{name} must be a non-empty list")
    return list(value)


def qubits_for_length(name: str, length: int, what: str, *, max_qubits: int) -> int:
    """The ``k`` with ``length == 2**k``, for a vector or matrix of one entry per basis state."""
    k = length.bit_length() - 1
    if length < 2 or length != 2**k:
        raise field_error(
            name, f"{name} has {length} {what}; k qubits need 2**k {what} (2, 4, 8, ...)"
        )
    if k > max_qubits:
        raise field_error(
            name, f"{name} describes {k} qubits; synthesis is limited to {max_qubits}"
        )
    return k


def to_complex(value: Any, where: str, name: str) -> complex:
    """A real number, an ``[re, im]`` pair or a Python complex, as a complex number."""
    if isinstance(value, complex):
        number = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = complex(value)
    elif (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) == 2
        and all(isinstance(part, int | float) and not isinstance(part, bool) for part in value)
    ):
        number = complex(value[0], value[1])
    else:
        raise field_error(name, f"{where} must be a real number or an [re, im] pair, not {value!r}")
    if not (math.isfinite(number.real) and math.isfinite(number.imag)):
        raise field_error(name, f"{where} must be finite")
    return number


def read_amplitudes(
    params: Mapping[str, Any], name: str, *, normalise: bool, max_qubits: int
) -> tuple[complex, ...]:
    """A state vector, one amplitude per basis state, returned with norm 1.

    Raises:
        SynqInputError: An entry is not a number, the length is not a power of two, the
            vector is zero, or it is not normalised and ``normalise`` is false.
    """
    import numpy as np

    entries = read_list(params, name)
    qubits_for_length(name, len(entries), "entries", max_qubits=max_qubits)
    vector = np.array([to_complex(value, f"{name}[{i}]", name) for i, value in enumerate(entries)])
    norm = float(np.linalg.norm(vector))
    if norm < TOLERANCE:
        raise field_error(name, f"{name} are all zero")
    if not normalise and abs(norm - 1) > TOLERANCE:
        raise field_error(
            name, f"{name} have norm {norm:.6g}, not 1; normalise them or set normalise to true"
        )
    return tuple(complex(a) for a in vector / norm)


def read_unitary(
    params: Mapping[str, Any], name: str, *, max_qubits: int
) -> tuple[tuple[complex, ...], ...]:
    """A square unitary matrix of side ``2**k``, given as a list of rows.

    A matrix within ``TOLERANCE`` of unitary (rounded entries) is replaced by the nearest
    unitary, its polar factor, so that the circuit can match it exactly.

    Raises:
        SynqInputError: The matrix is ragged, not square, of the wrong size, or not unitary.
    """
    import numpy as np

    rows = read_list(params, name)
    size = len(rows)
    qubits_for_length(name, size, "rows", max_qubits=max_qubits)
    matrix = np.zeros((size, size), dtype=complex)
    for i, row in enumerate(rows):
        if isinstance(row, str) or not isinstance(row, Sequence) or len(row) != size:
            raise field_error(name, f"{name} must be square: row {i} does not have {size} entries")
        for j, value in enumerate(row):
            matrix[i, j] = to_complex(value, f"{name}[{i}][{j}]", name)
    error = float(np.max(np.abs(matrix.conj().T @ matrix - np.eye(size))))
    if error > TOLERANCE:
        raise field_error(
            name, f"{name} is not unitary: U†U differs from the identity by up to {error:.3g}"
        )
    left, _, right = np.linalg.svd(matrix)
    nearest = left @ right
    return tuple(tuple(complex(value) for value in row) for row in nearest)


def read_pattern(params: Mapping[str, Any], name: str, *, max_qubits: int) -> tuple[int, ...]:
    """A permutation of ``0 .. n-1``: ``pattern[k] = m`` puts qubit ``m``'s state on qubit ``k``."""
    entries = read_list(params, name)
    if len(entries) > max_qubits:
        raise field_error(
            name, f"{name} permutes {len(entries)} qubits; synthesis is limited to {max_qubits}"
        )
    if any(isinstance(v, bool) or not isinstance(v, int) for v in entries):
        raise field_error(name, f"{name} must list whole numbers, not {entries!r}")
    if sorted(entries) != list(range(len(entries))):
        raise field_error(
            name,
            f"{name} must list each of 0 to {len(entries) - 1} exactly once, not {entries!r}",
        )
    return tuple(entries)
