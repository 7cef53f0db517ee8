"""Cost comparison over targets: a row per target, feasibility, published prices."""

from __future__ import annotations

import json

import pytest
from qiskit import QuantumCircuit

from synq_jupyter.errors import SynqInputError, TargetError
from synq_jupyter.quantum import analyze_circuit, target_names
from synq_jupyter.quantum.cost_estimate import estimate_costs
from synq_jupyter.quantum.targets import get_target, pricing


def ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    qc.measure_all()
    return qc


@pytest.fixture(scope="module")
def every_target():
    return estimate_costs(ghz(4), shots=500)


def test_every_catalogue_target_gets_one_row(every_target):
    assert [row.target for row in every_target.rows] == target_names()
    assert all(row.feasible for row in every_target.rows)
    assert all(row.two_qubit_count and row.two_qubit_count >= 3 for row in every_target.rows)


def test_thirty_qubits_are_infeasible_on_aria_with_the_reason():
    comparison = estimate_costs(ghz(30), targets=["ionq_aria_1", "ibm_torino"])
    aria = comparison.row("ionq_aria_1")
    assert aria.feasible is False
    assert "30 qubits" in aria.reason
    assert "25" in aria.reason
    assert aria.price is None
    assert aria.two_qubit_count is None
    assert comparison.row("ibm_torino").feasible is True


def test_per_shot_price_is_the_task_fee_plus_the_shot_fees(every_target):
    aria = every_target.row("ionq_aria_1")
    published = pricing.IONQ_ARIA
    assert aria.price == pytest.approx(published.per_task + 500 * published.per_shot)
    assert aria.price == pytest.approx(15.30)  # 0.30 USD per task + 500 x 0.03 USD per shot
    assert aria.price_source == published.source
    assert aria.price_as_of == published.as_of
    assert every_target.row("rigetti_ankaa_3").price == pytest.approx(0.30 + 500 * 0.0009)


def test_per_second_price_is_the_run_time_at_the_published_rate(every_target):
    torino = every_target.row("ibm_torino")
    assert torino.circuit_duration_s is not None
    assert torino.circuit_duration_s > 0
    # Each shot is the circuit plus the device's 250 µs default repetition delay.
    assert torino.estimated_run_time_s == pytest.approx(500 * (torino.circuit_duration_s + 250e-6))
    assert torino.price == pytest.approx(torino.estimated_run_time_s * 96.0 / 60.0)
    assert torino.price_source == pricing.IBM_PAYG.source


def test_simulators_cost_nothing(every_target):
    simulators = [row for row in every_target.rows if row.simulator]
    assert {row.target for row in simulators} == {"aer_simulator", "aer_noisy_torino"}
    assert all(row.price == 0.0 for row in simulators)
    hardware = [row for row in every_target.rows if not row.simulator]
    assert all(row.price is not None and row.price > 0 for row in hardware)


def test_rows_agree_with_the_analysis_feasibility():
    circuit = ghz(5)
    analysis = analyze_circuit(circuit, [get_target("rigetti_ankaa_3")])
    row = estimate_costs(circuit, targets=["rigetti_ankaa_3"]).row("rigetti_ankaa_3")
    assert row.two_qubit_count == analysis.feasibility[0].two_qubit_count
    assert (
        row.estimated_success_probability == analysis.feasibility[0].estimated_success_probability
    )


def test_to_dict_is_plain_json(every_target):
    data = json.loads(json.dumps(every_target.to_dict()))
    assert data["shots"] == 500
    assert len(data["rows"]) == len(target_names())
    assert data["rows"][0]["price_source"]


def test_progress_reports_each_target():
    calls = []
    targets = ["aer_simulator", "ionq_aria_1"]
    estimate_costs(ghz(2), targets=targets, progress=lambda f, m: calls.append((f, m)))
    assert calls == [
        (0.0, "estimating aer_simulator (1 of 2)"),
        (0.5, "estimating ionq_aria_1 (2 of 2)"),
        (1.0, "done"),  # not "estimated ionq_aria_1" at 100%
    ]


def test_unknown_target_is_refused_on_the_targets_field():
    with pytest.raises(TargetError) as info:
        estimate_costs(ghz(2), targets=["nowhere"])
    assert info.value.field == "targets"
    assert "ibm_torino" in info.value.message


@pytest.mark.parametrize("shots", [0, -1, 2.5, True, 10**9])
def test_bad_shots_are_refused(shots):
    with pytest.raises(SynqInputError) as info:
        estimate_costs(ghz(2), shots=shots, targets=["aer_simulator"])
    assert info.value.field == "shots"


def test_the_estimate_expects_what_a_run_on_the_device_reports():
    # ibm_torino's first qubits read out poorly: a trivial layout put the Bell pair there.
    from synq_jupyter.quantum import transpile_circuit

    bell = ghz(2)
    row = estimate_costs(bell, targets=["ibm_torino"]).row("ibm_torino")
    run = transpile_circuit(bell, "ibm_torino", seed=5).report
    assert row.estimated_success_probability == pytest.approx(
        run.estimated_success_probability, rel=1e-9
    )
    assert row.estimated_success_probability > 0.95


@pytest.mark.parametrize(
    ("body", "t_count", "rotations"),
    [
        ("for int i in [0:3] { t q[0]; }", 4, 0),
        ("for int i in [0:1] { for int j in [0:2] { t q[0]; rz(0.1) q[0]; } }", 6, 6),
        ("bit[1] c;\nc[0] = measure q[0];\nif (c[0]) { t q[0]; } else { tdg q[0]; }", 2, 0),
    ],
)
def test_a_loops_t_gates_count_once_per_iteration(body, t_count, rotations):
    from synq_jupyter.quantum import load_circuit

    source = f'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[1] q;\n{body}\n'
    analysis = analyze_circuit(load_circuit(source), [get_target("aer_simulator")])
    assert (analysis.t_count, analysis.non_clifford_rotations) == (t_count, rotations)


def test_numpy_shots_cost_what_int_shots_cost():
    import numpy as np

    given = estimate_costs(ghz(4), shots=np.int64(500), seed=np.int64(3))  # type: ignore[arg-type]
    plain = estimate_costs(ghz(4), shots=500, seed=3)
    assert json.dumps(given.to_dict()) == json.dumps(plain.to_dict())


def test_a_circuit_that_measures_nothing_is_priced_as_it_runs_measured():
    """A run measures every qubit of such a circuit: its readout error and time count."""
    measured = ghz(3)
    bare = measured.remove_final_measurements(inplace=False)
    unmeasured = estimate_costs(bare, shots=100, targets=["ibm_torino"]).row("ibm_torino")
    assert unmeasured == estimate_costs(measured, shots=100, targets=["ibm_torino"]).row(
        "ibm_torino"
    )
    unread = analyze_circuit(bare, [get_target("ibm_torino")]).feasibility[0]
    assert unmeasured.estimated_success_probability < unread.estimated_success_probability
