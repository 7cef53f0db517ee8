"""Optimization suggestions: measured, reproducible, equivalent, and only when they help."""

from __future__ import annotations

import json
import math

import pytest
from qiskit import QuantumCircuit
from qiskit.circuit.library import QFTGate
from qiskit.transpiler.basepasses import TransformationPass

from synq_jupyter.errors import SynqInputError, TargetError
from synq_jupyter.quantum import transpile_circuit, transpile_recipe
from synq_jupyter.quantum.operation_fidelity import operation_fidelity, rotation_removal_bound
from synq_jupyter.quantum.optimize_suggestions import Metrics, suggest_optimizations
from synq_jupyter.quantum.transpile_recipe import Recipe, drop_small_rotations
from tests.quantum.equivalence import equivalent_up_to_layout

TARGET = "rigetti_ankaa_3"


def cancellable() -> QuantumCircuit:
    """Inverse pairs kept apart only by barriers, which stop Qiskit from cancelling them."""
    qc = QuantumCircuit(3)
    qc.h(0)
    qc.ry(0.4, 2)
    for a, b in [(0, 1), (1, 2)]:
        qc.cx(a, b)
        qc.barrier()
        qc.cx(a, b)
    qc.cx(0, 2)
    qc.measure_all()
    return qc


def tiny_rotations() -> QuantumCircuit:
    """Controlled phases by 0.002 rad: each costs two-qubit gates and does almost nothing."""
    qc = QuantumCircuit(4)
    for q in range(4):
        qc.ry(0.5 + 0.3 * q, q)
    for a in range(4):
        for b in range(a + 1, 4):
            qc.cp(0.002, a, b)
    qc.cx(0, 3)
    return qc


def bell() -> QuantumCircuit:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    return qc


@pytest.fixture(scope="module")
def barriers():
    return suggest_optimizations(cancellable(), TARGET, seed=5)


@pytest.fixture(scope="module")
def rotations():
    return suggest_optimizations(tiny_rotations(), TARGET, seed=5)


def test_barrier_separated_inverse_pairs_get_a_suggestion_that_removes_them(barriers):
    assert barriers.baseline.two_qubit_count > 2
    best = barriers[0]
    assert best.name == "remove_barriers"
    # Only the cx(0, 2) is left: two iSWAPs on Ankaa.
    assert best.after.two_qubit_count == 2
    assert best.after.two_qubit_count < best.before.two_qubit_count


def test_every_suggestion_measured_better_than_the_baseline(barriers, rotations):
    for result in (barriers, rotations):
        assert len(result) > 0
        for s in result:
            assert s.before == result.baseline
            after_p = s.after.estimated_success_probability * s.fidelity
            before_p = s.before.estimated_success_probability
            fewer = s.after.two_qubit_count < s.before.two_qubit_count
            assert after_p > before_p or (fewer and after_p >= before_p * (1 - 1e-9))


def test_suggestions_are_sorted_by_gain(barriers, rotations):
    for result in (barriers, rotations):
        gains = [(s.success_gain, s.two_qubit_saved) for s in result]
        assert gains == sorted(gains, reverse=True)


@pytest.mark.parametrize("make", [cancellable, tiny_rotations])
def test_recorded_recipe_reproduces_the_reported_figures(make, barriers, rotations):
    result = barriers if make is cancellable else rotations
    for s in result:
        recipe = Recipe.from_dict(json.loads(json.dumps(s.recipe.to_dict())))
        assert Metrics.of(recipe.transpile(make(), TARGET)) == s.after


def test_suggested_transpiles_implement_the_input(barriers):
    for s in barriers:
        assert s.check == "operator"
        assert s.fidelity == pytest.approx(1.0)
        out = s.recipe.transpile(cancellable(), TARGET).circuit
        assert equivalent_up_to_layout(cancellable(), out)


def test_tiny_rotations_are_dropped_within_the_measured_fidelity(rotations):
    dropped = [s for s in rotations if s.name.startswith("drop_small_rotations")]
    assert dropped, [t.reason for t in rotations.trials]
    s = dropped[0]
    assert s.check == "operator"
    assert 0.99 <= s.fidelity < 1.0
    assert s.two_qubit_saved >= 6
    assert s.fidelity >= rotation_removal_bound([0.002] * 6)


def test_removal_bound_is_below_the_measured_fidelity():
    circuit = tiny_rotations()
    stripped, angles = drop_small_rotations(circuit, 0.01)
    assert angles == [0.002] * 6
    measured, how = operation_fidelity(circuit, stripped)
    assert how == "operator"
    assert rotation_removal_bound(angles) <= measured < 1.0


def test_rotations_inside_a_qft_gate_are_found():
    qc = QuantumCircuit(8)
    qc.append(QFTGate(8), range(8))
    stripped, angles = drop_small_rotations(qc, 0.05)
    # QFT-8 has controlled phases of pi/2 ... pi/128: one by pi/128 and two by pi/64.
    assert sorted(angles) == pytest.approx([math.pi / 128, math.pi / 64, math.pi / 64])
    assert "cp" in stripped.count_ops()


def test_already_optimal_bell_pair_gets_nothing():
    result = suggest_optimizations(bell(), TARGET, seed=3)
    assert list(result) == []
    assert result.trials
    assert not any(t.accepted for t in result.trials)


def test_equivalence_check_sees_one_wrong_gate():
    qc = QuantumCircuit(4)
    qc.append(QFTGate(4), range(4))
    out = transpile_circuit(qc, "ibm_torino", seed=3)
    assert operation_fidelity(qc, out.circuit) == (pytest.approx(1.0), "operator")
    broken = out.circuit.copy()
    broken.z(out.report.final_layout[2])
    assert operation_fidelity(qc, broken)[0] < 0.5


def test_equivalence_check_by_statevector_on_wide_circuits():
    qc = QuantumCircuit(12)
    qc.h(0)
    for q in range(11):
        qc.cx(q, q + 1)
    qc.ry(0.3, 5)
    out = transpile_circuit(qc, "ibm_torino", seed=3)
    fidelity, how = operation_fidelity(qc, out.circuit)
    assert (fidelity, how) == (pytest.approx(1.0), "statevector")
    broken = out.circuit.copy()
    broken.x(out.report.final_layout[7])
    assert operation_fidelity(qc, broken)[0] < 0.5


class _DropTwoQubitGates(TransformationPass):
    def run(self, dag):
        for node in dag.two_qubit_ops():
            dag.remove_op_node(node)
        return dag


def test_a_candidate_that_changes_the_operation_is_never_suggested(monkeypatch):
    real = transpile_recipe._pre_passes

    def broken():
        return {**real(), "cancel_gates": lambda: [_DropTwoQubitGates()]}

    monkeypatch.setattr(transpile_recipe, "_pre_passes", broken)
    result = suggest_optimizations(bell(), TARGET, seed=3)
    trial = next(t for t in result.trials if t.name == "cancel_gates")
    assert trial.after.two_qubit_count == 0
    assert not trial.accepted
    assert "changed the operation" in trial.reason
    assert "cancel_gates" not in [s.name for s in result]


def test_to_dict_is_plain_json(barriers):
    data = json.loads(json.dumps(barriers.to_dict()))
    assert data["target"] == TARGET
    assert data["suggestions"][0]["recipe"]["pre_passes"] == ["remove_barriers"]
    assert data["suggestions"][0]["two_qubit_saved"] > 0


def test_unknown_target_is_refused():
    with pytest.raises(TargetError):
        suggest_optimizations(bell(), "nowhere")


def test_bad_min_fidelity_is_refused():
    with pytest.raises(SynqInputError) as info:
        suggest_optimizations(bell(), TARGET, min_fidelity=1.5)
    assert info.value.field == "min_fidelity"
