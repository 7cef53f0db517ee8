"""The learned transpile strategy: the stored model, its choices and their results."""

from __future__ import annotations

import json
import statistics
from importlib import resources

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit.library import QFTGate, quantum_volume

from synq_jupyter.errors import SynqInputError, TargetError
from synq_jupyter.quantum import transpile_circuit
from synq_jupyter.quantum.transpile_strategy import (
    FEATURES,
    MODEL_FILE,
    Strategy,
    choose_strategy,
    load_model,
    transpile_with_strategy,
)
from tests.quantum.equivalence import equivalent_up_to_layout


def stored_model() -> dict:
    text = resources.files("synq_jupyter.quantum").joinpath(MODEL_FILE).read_text("utf-8")
    return json.loads(text)


def brickwork(n: int, layers: int, seed: int) -> QuantumCircuit:
    rng = np.random.default_rng(seed)
    qc = QuantumCircuit(n)
    for _ in range(layers):
        order = rng.permutation(n)
        for a, b in zip(order[::2], order[1::2], strict=False):
            qc.cx(int(a), int(b))
        for q in range(n):
            qc.ry(float(rng.uniform(0, 3)), q)
    return qc


def qft(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    for q in range(n):
        qc.ry(0.2 + 0.3 * q, q)
    qc.append(QFTGate(n), range(n))
    return qc


def test_stored_model_loads_and_names_valid_strategies():
    data = stored_model()
    assert tuple(data["features"]) == FEATURES
    model = load_model(data)
    assert model.strategies
    assert len(model.left) == len(model.right) == len(model.threshold) == len(model.label)
    assert all(0 <= label < len(model.strategies) for label in model.label)
    assert data["training"]["pairs"] >= 100


def test_model_picks_one_of_its_strategies_for_a_coupled_target():
    model = load_model(stored_model())
    chosen = choose_strategy(quantum_volume(6, seed=91), "ibm_torino")
    assert chosen in model.strategies
    assert chosen.optimization_level in {2, 3}


def test_all_to_all_target_gets_a_single_transpile():
    assert choose_strategy(qft(5), "ionq_aria_1").seed_trials == 1


def test_strategy_output_implements_the_input():
    circuit = qft(5)
    result = transpile_with_strategy(circuit, "ibm_torino", 17)
    assert equivalent_up_to_layout(circuit, result.circuit)
    assert result.report.two_qubit_count > 0


def test_seed_trials_keep_the_best_seed_and_report_it():
    circuit = brickwork(8, 4, seed=5)
    best = Strategy(optimization_level=3, seed_trials=4).transpile(circuit, "ibm_torino", seed=40)
    singles = [
        transpile_circuit(circuit, "ibm_torino", optimization_level=3, seed=s).report
        for s in range(40, 44)
    ]
    assert best.report.two_qubit_count == min(r.two_qubit_count for r in singles)
    assert best.report.seed in range(40, 44)
    again = transpile_circuit(circuit, "ibm_torino", optimization_level=3, seed=best.report.seed)
    assert again.report.fingerprint == best.report.fingerprint


@pytest.mark.slow
def test_no_more_two_qubit_gates_than_level_3_on_held_out_circuits():
    circuits = [brickwork(10, 5, seed=801), quantum_volume(7, seed=802), qft(9)]
    ratios = []
    for target in ("ibm_brisbane", "rigetti_ankaa_3"):
        for index, circuit in enumerate(circuits):
            o3 = transpile_circuit(circuit, target, optimization_level=3, seed=900 + index)
            ours = transpile_with_strategy(circuit, target, 900 + index)
            ratios.append(ours.report.two_qubit_count / o3.report.two_qubit_count)
    assert statistics.mean(ratios) < 1.0


def test_unknown_layout_method_is_refused():
    with pytest.raises(SynqInputError) as info:
        Strategy(layout_method="spiral")
    assert info.value.field == "layout_method"


@pytest.mark.parametrize("trials", [0, 65, 2.0])
def test_bad_seed_trials_are_refused(trials):
    with pytest.raises(SynqInputError) as info:
        Strategy(seed_trials=trials)
    assert info.value.field == "seed_trials"


def test_model_with_other_features_is_refused():
    data = stored_model()
    data["features"] = [*data["features"][:-1], "something_else"]
    with pytest.raises(SynqInputError):
        load_model(data)


def test_circuit_wider_than_the_target_is_refused():
    with pytest.raises(TargetError, match="26 qubits"):
        transpile_with_strategy(QuantumCircuit(26), "ionq_aria_1", 1)


def test_a_numpy_optimization_level_is_kept_as_an_int_that_travels_as_json():
    strategy = Strategy(optimization_level=np.int64(1))  # type: ignore[arg-type]
    assert type(strategy.optimization_level) is int
    assert json.loads(json.dumps(strategy.to_dict()))["optimization_level"] == 1
