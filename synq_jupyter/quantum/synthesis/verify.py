"""Check a synthesized circuit against a reference computed independently of its synthesis."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from synq_jupyter.quantum.synthesis import reference
from synq_jupyter.quantum.synthesis.grover_oracle import GroverOracle
from synq_jupyter.quantum.synthesis.simulation import (
    basis_outputs,
    circuit_unitary,
    final_statevector,
)
from synq_jupyter.quantum.synthesis.spec import SynthesisSpec

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

Verification = dict[str, Any]

MATCH_TOLERANCE = 1e-6
"""Largest difference from the reference that still counts as a match."""
MAX_EXHAUSTIVE_INPUTS = 256
"""An adder with more input pairs than this is checked on a seeded random sample of them."""
_SHOWN = 16
"""Most marked states, or failed sums, that a report lists."""


def verify(spec: SynthesisSpec, circuit: QuantumCircuit) -> Verification:
    """Checks that ``circuit`` does what ``spec`` asks, by the method that suits its kind.

    Args:
        spec: The checked spec.
        circuit: The synthesized circuit, on the spec's qubits in order.

    Returns:
        ``{"method": ..., "passed": bool, ...}`` with the method's own figures.
    """
    return _BY_KIND[spec.kind](spec.params, circuit)


def _qft(params: Mapping[str, Any], circuit: QuantumCircuit) -> Verification:
    matrix = reference.qft_matrix(
        params["num_qubits"], swaps=params["swaps"], inverse=params["inverse"]
    )
    return verify_operator(circuit, matrix)


def _clifford(params: Mapping[str, Any], circuit: QuantumCircuit) -> Verification:
    if "destabilizers" in params:
        return verify_tableau(circuit, params["stabilizers"], params["destabilizers"])
    return verify_stabilizers(circuit, params["stabilizers"])


def _grover(params: Mapping[str, Any], circuit: QuantumCircuit) -> Verification:
    oracle = GroverOracle.parse(params["oracle"])
    return verify_grover(circuit, oracle, oracle.iterations(params["iterations"]))


_BY_KIND: dict[str, Callable[[Mapping[str, Any], QuantumCircuit], Verification]] = {
    "ghz": lambda p, c: verify_state(c, reference.ghz_vector(p["num_qubits"])),
    "w_state": lambda p, c: verify_state(c, reference.w_vector(p["num_qubits"])),
    "state_preparation": lambda p, c: verify_state(c, np.array(p["amplitudes"], dtype=complex)),
    "qft": _qft,
    "unitary": lambda p, c: verify_operator(c, np.array(p["matrix"], dtype=complex)),
    "permutation": lambda p, c: verify_operator(c, reference.permutation_matrix(p["pattern"])),
    "clifford": _clifford,
    "grover": _grover,
    "adder": lambda p, c: verify_adder(c, p["num_bits"]),
}


def verify_operator(circuit: QuantumCircuit, expected: np.ndarray) -> Verification:
    """Compares the circuit's unitary with ``expected``, up to a global phase.

    ``fidelity`` is the process fidelity ``|Tr(U†V)|² / d²``.
    """
    from qiskit.quantum_info import Operator

    actual = circuit_unitary(circuit)
    if actual.shape != expected.shape:
        return {"method": "operator", "passed": False, "fidelity": 0.0}
    size = actual.shape[0]
    fidelity = abs(np.vdot(expected, actual)) ** 2 / size**2
    passed = Operator(actual).equiv(Operator(expected), atol=MATCH_TOLERANCE)
    return {"method": "operator", "passed": bool(passed), "fidelity": float(fidelity)}


def verify_state(circuit: QuantumCircuit, expected: np.ndarray) -> Verification:
    """Compares the state the circuit prepares from |0…0⟩ with ``expected``.

    ``fidelity`` is ``|⟨expected|actual⟩|²``.
    """
    actual = final_statevector(circuit)
    if actual.shape != expected.shape:
        return {"method": "statevector", "passed": False, "fidelity": 0.0}
    fidelity = float(abs(np.vdot(expected, actual)) ** 2 / np.vdot(expected, expected).real)
    passed = fidelity >= 1 - MATCH_TOLERANCE
    return {"method": "statevector", "passed": passed, "fidelity": fidelity}


def verify_stabilizers(circuit: QuantumCircuit, stabilizers: Sequence[str]) -> Verification:
    """Checks that every stabilizer has expectation value +1 in the prepared state.

    ``n`` independent commuting stabilizers fix the state up to a global phase.
    """
    from qiskit.quantum_info import Pauli, Statevector

    state = Statevector(final_statevector(circuit))
    values = [float(state.expectation_value(Pauli(label)).real) for label in stabilizers]
    lowest = min(values)
    return {
        "method": "stabilizers",
        "passed": lowest >= 1 - MATCH_TOLERANCE,
        "min_expectation": lowest,
    }


def verify_tableau(
    circuit: QuantumCircuit, stabilizers: Sequence[str], destabilizers: Sequence[str]
) -> Verification:
    """Checks that the circuit's unitary ``U`` maps ``Z_i`` to stabilizer ``i`` and ``X_i``
    to destabilizer ``i`` (``U P U†``), which fixes ``U`` up to a global phase."""
    from qiskit.quantum_info import Pauli

    unitary = circuit_unitary(circuit)
    num_qubits = len(stabilizers)
    error = 0.0
    for i in range(num_qubits):
        for letter, image in (("Z", stabilizers[i]), ("X", destabilizers[i])):
            generator = ["I"] * num_qubits
            generator[num_qubits - 1 - i] = letter
            mapped = unitary @ Pauli("".join(generator)).to_matrix() @ unitary.conj().T
            error = max(error, float(np.max(np.abs(mapped - Pauli(image).to_matrix()))))
    return {"method": "clifford_tableau", "passed": error <= MATCH_TOLERANCE, "max_error": error}


def verify_grover(circuit: QuantumCircuit, oracle: GroverOracle, iterations: int) -> Verification:
    """Compares the probability of measuring a marked state with sin²((2k+1)θ)."""
    state = final_statevector(circuit)
    found = float(np.sum(np.abs(state[list(oracle.marked)]) ** 2))
    expected = oracle.success_probability(iterations)
    error = abs(found - expected)
    return {
        "method": "grover_success_probability",
        "passed": error <= MATCH_TOLERANCE,
        "success_probability": found,
        "expected_probability": expected,
        "max_error": error,
        "iterations": iterations,
        "num_marked": len(oracle.marked),
        "marked": oracle.marked_bitstrings()[:_SHOWN],
    }


def verify_adder(circuit: QuantumCircuit, num_bits: int, *, seed: int = 0) -> Verification:
    """Runs the adder on basis states and checks ``b ← (a + b) mod 2**n`` with the carry in
    ``cout``, ``a`` unchanged and every other qubit back to 0.

    Every ``(a, b)`` pair is tried up to ``MAX_EXHAUSTIVE_INPUTS`` pairs; past that, a
    sample drawn with ``seed`` plus the largest operands.
    """
    registers = {register.name: register for register in circuit.qregs}
    if not {"a", "b", "cout"} <= set(registers):
        return {"method": "truth_table", "passed": False, "inputs_checked": 0, "failures": []}
    a_bits, b_bits, carry_bits = (
        [circuit.find_bit(qubit).index for qubit in registers[name]] for name in ("a", "b", "cout")
    )
    pairs = _adder_inputs(num_bits, seed)
    inputs = [_place(a, a_bits) | _place(b, b_bits) for a, b in pairs]
    failures = []
    for (a, b), (output, probability) in zip(pairs, basis_outputs(circuit, inputs), strict=True):
        total = a + b
        expected = (
            _place(a, a_bits)
            | _place(total % 2**num_bits, b_bits)
            | _place(total >> num_bits, carry_bits)
        )
        if output != expected or probability < 1 - MATCH_TOLERANCE:
            failures.append(f"{a} + {b}: expected state {expected}, got {output}")
    return {
        "method": "truth_table",
        "passed": not failures,
        "inputs_checked": len(pairs),
        "exhaustive": len(pairs) == 4**num_bits,
        "failures": failures[:_SHOWN],
    }


def _adder_inputs(num_bits: int, seed: int) -> list[tuple[int, int]]:
    top = 2**num_bits
    if top * top <= MAX_EXHAUSTIVE_INPUTS:
        return [(a, b) for a in range(top) for b in range(top)]
    rng = random.Random(seed)
    corners = [(top - 1, top - 1), (top - 1, 1), (0, 0)]
    sample = {(rng.randrange(top), rng.randrange(top)) for _ in range(MAX_EXHAUSTIVE_INPUTS)}
    return corners + sorted(sample - set(corners))


def _place(value: int, positions: Sequence[int]) -> int:
    """Spreads the bits of ``value`` over the qubit ``positions`` (bit ``i`` to
    ``positions[i]``)."""
    return sum(((value >> i) & 1) << position for i, position in enumerate(positions))
