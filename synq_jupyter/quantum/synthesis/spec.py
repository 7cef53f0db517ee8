"""A structured synthesis spec: a ``kind`` and its checked parameters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum.synthesis.clifford_fields import read_clifford
from synq_jupyter.quantum.synthesis.grover_oracle import GroverOracle
from synq_jupyter.quantum.synthesis.spec_fields import (
    field_error,
    read_amplitudes,
    read_bool,
    read_choice,
    read_int,
    read_pattern,
    read_unitary,
)

MAX_STATE_QUBITS = 16
"""Largest GHZ, W or stabilizer state: its check simulates a statevector of this size."""
MAX_OPERATOR_QUBITS = 10
"""Largest QFT, permutation or full Clifford: its check compares 2**n by 2**n matrices."""
MAX_STATE_PREPARATION_QUBITS = 12
"""Largest arbitrary state: its circuit has about 2**(n+1) gates."""
MAX_UNITARY_QUBITS = 6
"""Largest arbitrary unitary: its circuit has about 4**n two-qubit gates."""
MAX_GROVER_ITERATIONS = 100
"""Four times the best count for the largest search; more only rotates away and back."""
MAX_ADDER_BITS = 5
"""Largest adder (2n + 2 = 12 qubits): its check simulates a few hundred sums."""

Params = dict[str, Any]


def _ghz(params: Mapping[str, Any]) -> Params:
    return {"num_qubits": read_int(params, "num_qubits", low=2, high=MAX_STATE_QUBITS)}


def _qft(params: Mapping[str, Any]) -> Params:
    return {
        "num_qubits": read_int(params, "num_qubits", low=1, high=MAX_OPERATOR_QUBITS),
        "swaps": read_bool(params, "swaps", default=True),
        "inverse": read_bool(params, "inverse", default=False),
    }


def _grover(params: Mapping[str, Any]) -> Params:
    oracle = GroverOracle.parse(params.get("oracle"))
    iterations = params.get("iterations")
    if iterations is not None:
        iterations = read_int(params, "iterations", low=0, high=MAX_GROVER_ITERATIONS)
    return {"oracle": oracle.text, "iterations": iterations}


def _state_preparation(params: Mapping[str, Any]) -> Params:
    normalise = read_bool(params, "normalise", default=False)
    amplitudes = read_amplitudes(
        params, "amplitudes", normalise=normalise, max_qubits=MAX_STATE_PREPARATION_QUBITS
    )
    return {"amplitudes": amplitudes, "normalise": normalise}


def _unitary(params: Mapping[str, Any]) -> Params:
    return {"matrix": read_unitary(params, "matrix", max_qubits=MAX_UNITARY_QUBITS)}


def _permutation(params: Mapping[str, Any]) -> Params:
    return {"pattern": read_pattern(params, "pattern", max_qubits=MAX_OPERATOR_QUBITS)}


def _clifford(params: Mapping[str, Any]) -> Params:
    return read_clifford(
        params, max_state_qubits=MAX_STATE_QUBITS, max_operator_qubits=MAX_OPERATOR_QUBITS
    )


def _adder(params: Mapping[str, Any]) -> Params:
    return {
        "num_bits": read_int(params, "num_bits", low=1, high=MAX_ADDER_BITS),
        "method": read_choice(params, "method", ("ripple_carry",), default="ripple_carry"),
    }


_KINDS: dict[str, tuple[Callable[[Mapping[str, Any]], Params], frozenset[str]]] = {
    "ghz": (_ghz, frozenset({"num_qubits"})),
    "w_state": (_ghz, frozenset({"num_qubits"})),
    "qft": (_qft, frozenset({"num_qubits", "swaps", "inverse"})),
    "grover": (_grover, frozenset({"oracle", "iterations"})),
    "state_preparation": (_state_preparation, frozenset({"amplitudes", "normalise"})),
    "unitary": (_unitary, frozenset({"matrix"})),
    "permutation": (_permutation, frozenset({"pattern"})),
    "clifford": (_clifford, frozenset({"stabilizers", "destabilizers", "tableau"})),
    "adder": (_adder, frozenset({"num_bits", "method"})),
}
KINDS = tuple(_KINDS)


@dataclass(frozen=True)
class SynthesisSpec:
    """What to synthesize: a ``kind`` and its parameters, already checked.

    Build one with ``from_dict``; the parameters are then complete (defaults filled in),
    amplitudes are normalised and a matrix is exactly unitary.

    Attributes:
        kind: One of ``KINDS``.
        params: The checked parameters; complex numbers are Python ``complex``.
    """

    kind: str
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SynthesisSpec:
        """Checks a spec such as ``{"kind": "qft", "num_qubits": 4, "swaps": False}``.

        Args:
            data: ``kind`` plus that kind's fields. Complex numbers are ``[re, im]`` pairs.

        Returns:
            The checked spec.

        Raises:
            SynqInputError: The kind is unknown, a field is unknown, missing or wrong; the
                error's ``field`` names it, e.g. ``"spec.num_qubits"``.
        """
        if not isinstance(data, Mapping):
            raise SynqInputError("a synthesis spec must be an object with a kind", field="spec")
        kind = data.get("kind")
        if kind not in _KINDS:
            raise SynqInputError(
                f"unknown kind {kind!r}; use one of {', '.join(KINDS)}", field="spec.kind"
            )
        read, allowed = _KINDS[kind]
        params = {key: value for key, value in data.items() if key != "kind"}
        unknown = sorted(set(params) - allowed, key=str)
        if unknown:
            raise field_error(
                str(unknown[0]),
                f"a {kind} spec has no field {unknown[0]!r}; it takes "
                + ", ".join(sorted(allowed)),
            )
        return cls(kind=kind, params=read(params))

    def to_dict(self) -> dict[str, Any]:
        """The spec as JSON-ready data; complex numbers become ``[re, im]`` pairs."""
        return {"kind": self.kind, **{key: _plain(value) for key, value in self.params.items()}}


def _plain(value: Any) -> Any:
    if isinstance(value, complex):
        return value.real if value.imag == 0 else [value.real, value.imag]
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value
