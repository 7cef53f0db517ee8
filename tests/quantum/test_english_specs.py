"""Plain-English descriptions map to structured synthesis specs, or explain what they accept."""

from __future__ import annotations

import pytest

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum.synthesis import UNDERSTOOD_FORMS, parse_description, synthesize

QFT4 = {"kind": "qft", "num_qubits": 4, "swaps": True, "inverse": False}

DESCRIPTIONS = [
    ("5-qubit GHZ state", {"kind": "ghz", "num_qubits": 5}),
    ("GHZ on 5 qubits", {"kind": "ghz", "num_qubits": 5}),
    ("a 5 qubit ghz state", {"kind": "ghz", "num_qubits": 5}),
    ("The GHZ state on the five qubits.", {"kind": "ghz", "num_qubits": 5}),
    ("GHZ states over 3 qubits", {"kind": "ghz", "num_qubits": 3}),
    ("a Bell pair", {"kind": "ghz", "num_qubits": 2}),
    ("W state on 3 qubits", {"kind": "w_state", "num_qubits": 3}),
    ("3-qubit W-state", {"kind": "w_state", "num_qubits": 3}),
    ("QFT on 4 qubits", QFT4),
    ("4-qubit quantum Fourier transform", QFT4),
    ("QFT on 4 qubits without swaps", {**QFT4, "swaps": False}),
    ("qft on 4 qubits with no final swaps", {**QFT4, "swaps": False}),
    ("inverse QFT on 3 qubits", {**QFT4, "num_qubits": 3, "inverse": True}),
    ("INVERSE QFT ON 3 QUBITS", {**QFT4, "num_qubits": 3, "inverse": True}),
    ("Grover search for 101", {"kind": "grover", "oracle": "101", "iterations": None}),
    (
        "Grover's search for the bitstring 0110",
        {"kind": "grover", "oracle": "0110", "iterations": None},
    ),
    (
        "Grover search for (a & b) | ~c with 2 iterations",
        {"kind": "grover", "oracle": "(a & b) | ~c", "iterations": 2},
    ),
    (
        "grover search for a and not b",
        {"kind": "grover", "oracle": "a and not b", "iterations": None},
    ),
    ("Grover search for 'x1 ^ x2'", {"kind": "grover", "oracle": "x1 ^ x2", "iterations": None}),
    ("3-bit ripple-carry adder", {"kind": "adder", "num_bits": 3, "method": "ripple_carry"}),
    ("ripple carry adder on 2 bits", {"kind": "adder", "num_bits": 2, "method": "ripple_carry"}),
    ("permutation 2 0 1", {"kind": "permutation", "pattern": [2, 0, 1]}),
    ("qubit permutation [1, 2, 0]", {"kind": "permutation", "pattern": [1, 2, 0]}),
]


@pytest.mark.parametrize(("text", "expected"), DESCRIPTIONS, ids=[d[0] for d in DESCRIPTIONS])
def test_description_maps_to_the_expected_spec(text, expected):
    assert parse_description(text).to_dict() == expected


def test_every_listed_form_parses():
    for form in UNDERSTOOD_FORMS:
        assert parse_description(form).kind


@pytest.mark.parametrize("text", ["make me a sandwich", "GHZ state", "QFT on", "", "Grover search"])
def test_unparsable_description_lists_the_forms_understood(text):
    with pytest.raises(SynqInputError) as caught:
        parse_description(text)

    assert caught.value.field == "description"
    for form in UNDERSTOOD_FORMS:
        assert form in caught.value.message


def test_description_out_of_range_names_the_description_and_the_limit():
    with pytest.raises(SynqInputError, match="num_qubits must be from 2 to 16, not 0") as caught:
        parse_description("GHZ on 0 qubits")

    assert caught.value.field == "description"


def test_description_with_a_bad_bitstring_says_which_character_is_wrong():
    with pytest.raises(SynqInputError, match="'10a1' has 'a'") as caught:
        parse_description("Grover search for 10a1")

    assert caught.value.field == "description"


def test_synthesize_reads_a_description_and_verifies_the_circuit():
    result = synthesize("inverse QFT on 3 qubits without swaps")

    assert result.spec == {"kind": "qft", "num_qubits": 3, "swaps": False, "inverse": True}
    assert result.verification["passed"] is True
