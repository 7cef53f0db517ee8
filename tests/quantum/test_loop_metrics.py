"""Depth, two-qubit counts, success probability, duration and price look inside loops: a
``for`` loop of ten iterations is ten bodies, not one."""

from __future__ import annotations

import pytest
from qiskit import QuantumCircuit
from qiskit.circuit.random import random_circuit

from synq_jupyter.quantum import circuit_metrics as metrics
from synq_jupyter.quantum.cost_estimate import estimate_costs

CALIBRATION: metrics.Calibration = {
    ("sx", (0,)): (0.001, 32e-9),
    ("sx", (1,)): (0.002, 32e-9),
    ("cz", (0, 1)): (0.01, 68e-9),
    ("measure", (0,)): (0.02, 1.2e-6),
    ("measure", (1,)): (0.03, 1.2e-6),
}


def body(qc: QuantumCircuit) -> None:
    qc.sx(0)
    qc.cz(0, 1)
    qc.sx(1)


def looped(times: int) -> QuantumCircuit:
    qc = QuantumCircuit(2, 2)
    qc.sx(1)  # one bit ahead of the other when the loop starts
    with qc.for_loop(range(times)):
        body(qc)
    qc.measure([0, 1], [0, 1])
    return qc


def duration(measured: metrics.ExecutionMetrics) -> float:
    assert measured.estimated_duration_s is not None
    return measured.estimated_duration_s


def unrolled(times: int) -> QuantumCircuit:
    qc = QuantumCircuit(2, 2)
    qc.sx(1)
    for _ in range(times):
        body(qc)
    qc.measure([0, 1], [0, 1])
    return qc


@pytest.mark.parametrize("seed", range(6))
def test_depth_is_qiskits_on_circuits_without_control_flow(seed):
    qc = random_circuit(5, 8, measure=True, seed=seed)
    qc.barrier()
    qc.x(0)
    qc.delay(100, 1)
    assert metrics.depth(qc) == qc.depth()


@pytest.mark.parametrize("times", [0, 1, 2, 7])
def test_a_loop_measures_as_its_iterations_written_out(times):
    loop, flat = looped(times), unrolled(times)
    assert metrics.depth(loop) == flat.depth()
    assert metrics.two_qubit_count(loop) == metrics.two_qubit_count(flat) == times
    got = metrics.execution_metrics(loop, CALIBRATION)
    want = metrics.execution_metrics(flat, CALIBRATION)
    assert got.two_qubit_count == want.two_qubit_count
    assert got.two_qubit_depth == want.two_qubit_depth
    assert got.estimated_success_probability == pytest.approx(want.estimated_success_probability)
    assert got.estimated_duration_s == pytest.approx(want.estimated_duration_s)


def test_a_loop_too_long_to_walk_is_extended_from_its_last_iteration():
    times = 1_000_000  # past EXACT_VISITS: most iterations are not walked one by one
    small = [metrics.execution_metrics(looped(n), CALIBRATION) for n in (5, 6)]
    got = metrics.execution_metrics(looped(times), CALIBRATION)
    step = duration(small[1]) - duration(small[0])
    assert duration(got) == pytest.approx(duration(small[0]) + (times - 5) * step)
    assert got.two_qubit_count == times
    assert got.two_qubit_depth == times
    per_iteration = (1 - 0.001) * (1 - 0.01) * (1 - 0.002)
    assert got.estimated_success_probability == pytest.approx(
        small[0].estimated_success_probability * per_iteration ** (times - 5), rel=1e-6
    )
    assert metrics.depth(looped(times)) == unrolled(5).depth() + (times - 5) * 2


def test_the_fingerprint_knows_the_iteration_count():
    prints = {metrics.execution_metrics(looped(n), CALIBRATION).fingerprint for n in (2, 3)}
    assert len(prints) == 2


def test_an_if_is_as_deep_as_its_deeper_branch():
    qc = QuantumCircuit(2, 1)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)) as orelse:
        qc.x(1)
    with orelse:
        qc.x(1)
        qc.x(1)
        qc.x(1)
    # measure, then the else branch's three layers (the if itself waits for the measure).
    assert metrics.depth(qc) == 4


def test_a_longer_loop_costs_more_on_hardware():
    """Through a real transpile: the price of an IBM run follows the circuit's duration."""
    rows = [
        estimate_costs(looped(n), targets=["ibm_torino"], shots=1000, seed=3).rows[0]
        for n in (1, 10)
    ]
    one, ten = ([getattr(row, name) for name in NUMBERS] for row in rows)
    assert None not in one + ten
    count, depth, duration_s, price, probability = zip(one, ten, strict=True)
    assert count[1] == 10 * count[0]
    assert depth[1] > depth[0]
    assert duration_s[1] > duration_s[0]
    assert price[1] > price[0]
    assert probability[1] < probability[0]


NUMBERS = (
    "two_qubit_count",
    "depth",
    "circuit_duration_s",
    "price",
    "estimated_success_probability",
)
