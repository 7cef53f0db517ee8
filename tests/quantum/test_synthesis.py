"""Circuit synthesis from structured specs: every kind builds, exports and passes its check."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.quantum_info import Operator, Statevector

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum import load_circuit, run_local
from synq_jupyter.quantum.synthesis import SynthesisSpec, synthesize
from synq_jupyter.quantum.synthesis.grover_oracle import GroverOracle
from synq_jupyter.quantum.synthesis.reference import qft_matrix, w_vector
from synq_jupyter.quantum.synthesis.verify import (
    verify_adder,
    verify_grover,
    verify_operator,
    verify_state,
    verify_tableau,
)

H = 1 / math.sqrt(2)

SPECS = {
    "ghz": ({"kind": "ghz", "num_qubits": 5}, "statevector"),
    "w_state": ({"kind": "w_state", "num_qubits": 4}, "statevector"),
    "qft": ({"kind": "qft", "num_qubits": 4}, "operator"),
    "qft_no_swaps": ({"kind": "qft", "num_qubits": 3, "swaps": False}, "operator"),
    "inverse_qft": ({"kind": "qft", "num_qubits": 3, "inverse": True}, "operator"),
    "grover_bits": ({"kind": "grover", "oracle": "101"}, "grover_success_probability"),
    "grover_expr": ({"kind": "grover", "oracle": "(a & b) | ~c"}, "grover_success_probability"),
    "state_prep": (
        {"kind": "state_preparation", "amplitudes": [0.5, [0, 0.5], -0.5, [0.5, 0]]},
        "statevector",
    ),
    "unitary": (
        {
            "kind": "unitary",
            "matrix": [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, [0, 1]]],
        },
        "operator",
    ),
    "permutation": ({"kind": "permutation", "pattern": [2, 0, 1]}, "operator"),
    "stabilizer_state": (
        {"kind": "clifford", "stabilizers": ["-XXX", "+ZZI", "+IZZ"]},
        "stabilizers",
    ),
    "clifford_paulis": (
        {"kind": "clifford", "stabilizers": ["+XX", "+ZZ"], "destabilizers": ["+IZ", "+XI"]},
        "clifford_tableau",
    ),
    "clifford_tableau": (
        {
            "kind": "clifford",
            "tableau": [[1, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 1, 0, 0], [0, 1, 0, 0, 0]],
        },
        "clifford_tableau",
    ),
    "adder": ({"kind": "adder", "num_bits": 2}, "truth_table"),
}


@pytest.mark.parametrize("name", list(SPECS))
def test_every_kind_synthesizes_and_passes_its_verification(name):
    spec, method = SPECS[name]

    result = synthesize(spec)
    sent = json.loads(json.dumps(result.to_dict()))

    assert sent["verification"]["method"] == method
    assert sent["verification"]["passed"] is True
    assert sent["spec"]["kind"] == spec["kind"]
    assert result.metrics["num_qubits"] == result.circuit.num_qubits
    assert result.metrics["size"] == sum(result.metrics["ops"].values())


@pytest.mark.parametrize("name", ["qft", "unitary", "permutation", "clifford_tableau", "adder"])
def test_exported_openqasm3_loads_back_to_the_same_operation(name):
    result = synthesize(SPECS[name][0])

    data = result.to_dict()
    reloaded = load_circuit(data["qasm3"], "qasm3")

    assert data["qasm3"].startswith("OPENQASM 3.0;")
    assert Operator(reloaded).equiv(Operator(result.circuit))


def test_metrics_count_the_gates_of_the_circuit():
    result = synthesize({"kind": "ghz", "num_qubits": 8})

    assert result.metrics == {
        "num_qubits": 8,
        "depth": 4,  # one H, then the entangled qubits double each layer: 1 → 2 → 4 → 8
        "size": 8,
        "ops": {"cx": 7, "h": 1},
        "two_qubit_count": 7,
    }


def test_ghz_samples_only_all_zeros_and_all_ones():
    result = synthesize({"kind": "ghz", "num_qubits": 5})

    counts = run_local(result.circuit, shots=2000, seed=11).counts

    assert set(counts) == {"00000", "11111"}
    assert abs(counts["00000"] - 1000) < 150


def test_w_state_sets_exactly_one_qubit_with_equal_chances():
    result = synthesize({"kind": "w_state", "num_qubits": 3})

    probabilities = Statevector(result.circuit).probabilities_dict(decimals=9)

    assert probabilities == pytest.approx({"001": 1 / 3, "010": 1 / 3, "100": 1 / 3})


@pytest.mark.parametrize(
    ("oracle", "found"), [("101", "101"), ("0110", "0110"), ("a & b & ~c", "011")]
)
def test_grover_finds_the_marked_item_with_high_probability(oracle, found):
    result = synthesize({"kind": "grover", "oracle": oracle})

    counts = run_local(result.circuit, shots=2000, seed=5).counts

    assert max(counts, key=counts.__getitem__) == found
    assert counts[found] / 2000 > 0.9
    assert result.verification["marked"] == [found]
    assert result.verification["success_probability"] > 0.94


def test_grover_reports_the_theoretical_probability_for_the_iterations_asked():
    result = synthesize({"kind": "grover", "oracle": "101", "iterations": 1})

    theta = math.asin(math.sqrt(1 / 8))
    assert result.verification["iterations"] == 1
    assert result.verification["expected_probability"] == pytest.approx(math.sin(3 * theta) ** 2)
    assert result.verification["success_probability"] == pytest.approx(0.78125)


def test_adder_writes_the_sum_into_b_and_the_carry_into_cout():
    adder = synthesize({"kind": "adder", "num_bits": 3}).circuit
    circuit = QuantumCircuit(*adder.qregs)
    for value, register in ((5, "a"), (6, "b")):
        bits = next(r for r in adder.qregs if r.name == register)
        circuit.x([bits[i] for i in range(3) if value >> i & 1])
    circuit.compose(adder, inplace=True)

    (outcome,) = run_local(circuit, shots=10, seed=1).counts
    help_bit, cout, b, a = outcome[0], outcome[1], outcome[2:5], outcome[5:8]

    assert (int(a, 2), int(b, 2), int(cout), int(help_bit)) == (5, (5 + 6) % 8, 1, 0)


def test_permutation_moves_each_qubit_state_where_the_pattern_says():
    permutation = synthesize({"kind": "permutation", "pattern": [2, 0, 1]}).circuit
    circuit = QuantumCircuit(3)
    circuit.x(0)
    circuit.compose(permutation, inplace=True)

    # pattern[1] == 0: qubit 1 receives the state of qubit 0.
    assert run_local(circuit, shots=10, seed=1).counts == {"010": 10}


def test_rounded_unitary_entries_are_accepted_and_matched():
    result = synthesize({"kind": "unitary", "matrix": [[0.7071, 0.7071], [0.7071, -0.7071]]})

    assert result.verification["passed"] is True
    assert Operator(result.circuit).equiv(Operator([[H, H], [H, -H]]))


def test_normalise_scales_the_amplitudes_to_a_unit_vector():
    result = synthesize(
        {"kind": "state_preparation", "amplitudes": [3, 0, 0, 4], "normalise": True}
    )

    assert result.spec["amplitudes"] == pytest.approx([0.6, 0.0, 0.0, 0.8])
    assert Statevector(result.circuit).probabilities() == pytest.approx([0.36, 0, 0, 0.64])


def test_progress_reports_rising_fractions_ending_at_one():
    seen: list[tuple[float, str]] = []

    synthesize({"kind": "qft", "num_qubits": 2}, progress=lambda f, m: seen.append((f, m)))

    fractions = [fraction for fraction, _ in seen]
    assert fractions == sorted(fractions)
    assert seen[-1] == (1.0, "verified")


def test_spec_data_round_trips_through_from_dict():
    spec = SynthesisSpec.from_dict({"kind": "qft", "num_qubits": 3})

    assert spec.to_dict() == {"kind": "qft", "num_qubits": 3, "swaps": True, "inverse": False}
    assert SynthesisSpec.from_dict(spec.to_dict()) == spec


def test_operator_check_fails_against_a_wrong_reference():
    circuit = synthesize({"kind": "qft", "num_qubits": 3}).circuit

    check = verify_operator(circuit, qft_matrix(3, swaps=False))

    assert check["passed"] is False
    assert check["fidelity"] < 0.9


def test_statevector_check_fails_against_a_wrong_state():
    circuit = synthesize({"kind": "ghz", "num_qubits": 3}).circuit

    check = verify_state(circuit, w_vector(3))

    assert check["passed"] is False
    assert check["fidelity"] == pytest.approx(0.0)


def test_grover_check_fails_when_the_iterations_do_not_match():
    circuit = synthesize({"kind": "grover", "oracle": "101", "iterations": 2}).circuit

    check = verify_grover(circuit, GroverOracle.parse("101"), iterations=1)

    assert check["passed"] is False
    assert check["max_error"] > 0.1


def test_truth_table_check_fails_for_a_broken_adder():
    adder = synthesize({"kind": "adder", "num_bits": 2}).circuit
    broken = adder.copy_empty_like()
    for instruction in adder.data[1:]:
        broken.append(instruction)

    check = verify_adder(broken, 2)

    assert check["passed"] is False
    assert check["failures"]


def test_tableau_check_fails_for_a_different_clifford():
    circuit = synthesize(
        {"kind": "clifford", "stabilizers": ["XX", "ZZ"], "destabilizers": ["IZ", "XI"]}
    ).circuit

    check = verify_tableau(circuit, ["+XX", "+ZZ"], ["+IX", "+ZI"])

    assert check["passed"] is False


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"kind": "ghz", "num_qubits": 0}, "spec.num_qubits"),
        ({"kind": "qft"}, "spec.num_qubits"),
        ({"kind": "qft", "num_qubits": 11}, "spec.num_qubits"),
        ({"kind": "qft", "num_qubits": 3, "swaps": "no"}, "spec.swaps"),
        ({"kind": "unitary", "matrix": [[1, 1], [1, -1]]}, "spec.matrix"),
        ({"kind": "unitary", "matrix": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}, "spec.matrix"),
        ({"kind": "unitary", "matrix": [[1, 0], [0]]}, "spec.matrix"),
        ({"kind": "state_preparation", "amplitudes": [1, 0, 0]}, "spec.amplitudes"),
        ({"kind": "state_preparation", "amplitudes": [1, 1]}, "spec.amplitudes"),
        ({"kind": "state_preparation", "amplitudes": [1, "x"]}, "spec.amplitudes"),
        ({"kind": "state_preparation", "amplitudes": [1.0] + [0.0] * 8191}, "spec.amplitudes"),
        ({"kind": "grover", "oracle": "10a1"}, "spec.oracle"),
        ({"kind": "grover", "oracle": "1021"}, "spec.oracle"),
        ({"kind": "grover", "oracle": "a & ~a & b"}, "spec.oracle"),
        ({"kind": "grover", "oracle": "101", "iterations": -1}, "spec.iterations"),
        ({"kind": "permutation", "pattern": [0, 0, 1]}, "spec.pattern"),
        ({"kind": "clifford", "stabilizers": ["XX", "XZ"]}, "spec.stabilizers"),
        ({"kind": "clifford", "tableau": [[1, 1, 1, 1, 0]] * 4}, "spec.tableau"),
        ({"kind": "adder", "num_bits": 6}, "spec.num_bits"),
        ({"kind": "adder", "num_bits": 2, "method": "qft"}, "spec.method"),
        ({"kind": "ghz", "num_qubits": 3, "qubits": 3}, "spec.qubits"),
        ({"kind": "teleport"}, "spec.kind"),
    ],
)
def test_bad_structured_input_names_the_field(spec, field):
    with pytest.raises(SynqInputError) as caught:
        synthesize(spec)

    assert caught.value.field == field


def test_non_unitary_matrix_error_says_how_far_off_it_is():
    with pytest.raises(SynqInputError, match="not unitary"):
        SynthesisSpec.from_dict({"kind": "unitary", "matrix": [[1, 1], [0, 1]]})


def test_reference_qft_matches_the_textbook_two_qubit_matrix():
    i = 1j
    textbook = np.array([[1, 1, 1, 1], [1, i, -1, -i], [1, -1, 1, -1], [1, -i, -1, i]]) / 2

    assert np.allclose(qft_matrix(2), textbook)
