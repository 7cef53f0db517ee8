"""``run_local``'s result as a job stores it: plain JSON, counts and a transpile report."""

from __future__ import annotations

import itertools
import json

import pytest

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum import load_circuit, run_local

BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"
KEYS = {"counts", "shots", "seed", "target", "noise", "measured_all", "report"}


def test_an_ideal_run_travels_as_json_with_its_counts() -> None:
    result = run_local(load_circuit(BELL, "synq"), shots=200, seed=7)

    data = json.loads(json.dumps(result.to_dict()))

    assert set(data) == KEYS
    assert sum(data["counts"].values()) == 200
    assert set(data["counts"]) <= {"00", "11"}
    assert data["report"] is None  # nothing was transpiled for the ideal simulator


def test_a_device_run_carries_its_transpile_report_not_the_circuit() -> None:
    result = run_local(load_circuit(BELL, "synq"), target="ionq_aria_1", shots=200, seed=7)
    assert result.transpile is not None

    data = result.to_dict()
    json.dumps(data)

    assert set(data) == KEYS
    assert data["report"] == result.transpile.report.to_dict()
    # A copy: emptying the dict leaves the result it came from as it was.
    data["counts"].clear()
    assert sum(result.counts.values()) == 200


def ghz(width: int) -> str:
    return f"qubit q[{width}]\nquantum h q[0]\n" + "".join(
        f"quantum cx q[{i}], q[{i + 1}]\n" for i in range(width - 1)
    )


def test_a_sixteen_qubit_ghz_runs_with_a_devices_noise() -> None:
    """The barrier ``measure_all`` adds spans every qubit; it was once turned into a
    2^16-square matrix (32 GiB) on the way to Aer."""
    result = run_local(load_circuit(ghz(16), "synq"), target="aer_noisy_torino", shots=20, seed=1)

    assert sum(result.counts.values()) == 20
    assert result.counts.get("0" * 16, 0) + result.counts.get("1" * 16, 0) >= 10


def test_a_noisy_run_too_wide_for_this_machine_is_refused_naming_the_source(monkeypatch) -> None:
    from synq_jupyter.quantum import device_simulation

    monkeypatch.setattr(device_simulation, "max_simulated_qubits", lambda: 3)
    with pytest.raises(SynqInputError) as info:
        run_local(load_circuit(ghz(4), "synq"), target="aer_noisy_torino", shots=20, seed=1)

    assert info.value.field == "source"
    assert "acts on 4 qubits" in str(info.value)
    assert "at most 3" in str(info.value)


def test_a_noisy_run_too_wide_for_a_density_matrix_samples_trajectories(monkeypatch) -> None:
    """With many shots Aer would pick a density matrix, 4^n amplitudes: 64 GiB at 16 qubits."""
    from synq_jupyter.quantum import device_simulation as simulation
    from synq_jupyter.quantum.targets import get_target
    from synq_jupyter.quantum.transpile import transpile_circuit

    monkeypatch.setattr(simulation, "max_simulated_qubits", lambda: 29)  # 16 GiB of memory
    target = get_target("aer_noisy_torino")
    for width, method in ((2, "automatic"), (16, "statevector")):
        circuit = load_circuit(ghz(width), "synq")
        circuit.measure_all()
        transpiled = transpile_circuit(circuit, target, seed=1).circuit
        assert simulation.device_simulation(transpiled, target).simulator.options.method == method


def test_noisy_trajectories_report_progress_as_their_shots_are_sampled(monkeypatch) -> None:
    """One trajectory per shot can take minutes: the bar must move while it runs."""
    from synq_jupyter.quantum import device_simulation as simulation

    monkeypatch.setattr(
        simulation, "max_simulated_qubits", lambda: 5
    )  # 3 qubits: no density matrix
    circuit = load_circuit(ghz(3), "synq")
    reports: list[tuple[float, str]] = []

    result = run_local(
        circuit,
        target="aer_noisy_torino",
        shots=400,
        seed=11,
        progress=lambda fraction, message: reports.append((fraction, message)),
    )

    sampling = [(f, m) for f, m in reports if "noisy trajectories" in m]
    assert [m for _, m in sampling][:2] == [
        "0 of 400 shots (noisy trajectories)",
        "50 of 400 shots (noisy trajectories)",
    ]
    assert len(sampling) == 8  # 400 shots in parts of 50
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions)
    assert 0.5 <= sampling[0][0] < sampling[-1][0] < 1.0
    assert reports[-1] == (1.0, "done")
    assert sum(result.counts.values()) == 400
    # The parts change nothing a seed promises: the same counts, watched or not.
    again = run_local(circuit, target="aer_noisy_torino", shots=400, seed=11)
    assert again.counts == result.counts


def test_numpy_integers_are_numbers_as_ints_are() -> None:
    import numpy as np

    circuit = load_circuit(BELL)
    given = run_local(circuit, shots=np.int64(300), seed=np.uint32(7), optimization_level=1)
    plain = run_local(circuit, shots=300, seed=7, optimization_level=1)
    assert (given.counts, given.shots, given.seed) == (plain.counts, 300, 7)
    assert type(given.shots) is int  # travels as JSON
    json.dumps(given.to_dict())


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [
        ("shots", True, "shots"),
        ("shots", 0, "shots"),
        ("seed", -1, "seed"),
        ("shots", 2.0, "shots"),
    ],
)
def test_shots_and_seeds_that_are_not_whole_numbers_in_range_are_refused(option, value, field):
    with pytest.raises(SynqInputError) as info:
        run_local(load_circuit(BELL), **{option: value})
    assert info.value.field == field


@pytest.mark.parametrize("target", ["aer_simulator", "ibm_torino"])
def test_an_opaque_gate_is_refused_naming_it_on_every_target(target) -> None:
    """On the ideal simulator it was a TranspilerError from deep in Aer's transpile."""
    source = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nopaque foo a;\nqreg q[1];\nfoo q[0];\n'
    with pytest.raises(SynqInputError, match="uses foo, a gate with no definition") as info:
        run_local(load_circuit(source), target=target, shots=10)
    assert info.value.field == "source"


def test_what_aer_runs_without_a_definition_is_not_opaque() -> None:
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import Kraus
    from qiskit_aer.noise import depolarizing_error

    circuit = QuantumCircuit(1)
    circuit.h(0)
    circuit.barrier()
    circuit.append(Kraus(depolarizing_error(0.5, 1)).to_instruction(), [0])
    circuit.save_statevector()
    circuit.measure_all()
    result = run_local(circuit, shots=200, seed=3)
    assert sum(result.counts.values()) == 200


def test_unbound_parameters_are_refused_before_aer_sees_them() -> None:
    source = (
        'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float theta;\nqubit[1] q;\nbit[1] c;\n'
        "rx(theta) q[0];\nc = measure q;\n"
    )
    with pytest.raises(SynqInputError, match=r"unbound parameters \(theta\).*before running"):
        run_local(load_circuit(source), shots=10)


def test_noisy_trajectories_in_parts_are_the_shots_of_one_call() -> None:
    """Aer seeds shot j of a run with seed + j. Parts seeded seed, seed + 1, ... shared all
    but one of their shots' seeds: 400 shots were 8 near-copies of 50 trajectories."""
    from qiskit import QuantumCircuit
    from qiskit_aer import AerSimulator
    from qiskit_aer.noise import NoiseModel, depolarizing_error

    from synq_jupyter.quantum.aer_seed import aer_seed
    from synq_jupyter.quantum.local_sampling import sample_counts

    noise = NoiseModel()
    noise.add_all_qubit_quantum_error(depolarizing_error(0.2, 1), ["h", "x"])
    simulator = AerSimulator(method="statevector", noise_model=noise)
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.x(1)
    circuit.h(0)
    circuit.measure_all()
    parts = sample_counts(simulator, circuit, 400, 7, progress=lambda *_: None)
    one_call = simulator.run(circuit, shots=400, seed_simulator=aer_seed(7)).result().get_counts()
    assert parts == dict(one_call)


FEED_FORWARD_COIN = (
    'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\n'
    "h q[0];\nc[0] = measure q[0];\nif (c[0]) { x q[1]; }\nc[1] = measure q[1];\n"
)
"""A fair coin, copied by feed-forward: Aer simulates it shot by shot."""


def test_a_sweep_over_seeds_gives_fresh_shots_for_each_seed() -> None:
    """Aer seeds shot j with seed + j; given SynQ's seeds as they were, seeds 0 to 9 of a
    shot-by-shot run shared all but a few shots and all came out 499/501 or so. Fresh shots
    scatter as a fair coin does (a standard deviation near 16 in 1,000 shots)."""
    import statistics

    circuit = load_circuit(FEED_FORWARD_COIN)
    heads = [run_local(circuit, shots=1000, seed=seed).counts.get("11", 0) for seed in range(10)]

    assert statistics.pstdev(heads) > 6, heads
    assert run_local(circuit, shots=1000, seed=3).counts.get("11", 0) == heads[3]


def test_aer_seeds_are_far_apart_for_neighbouring_seeds() -> None:
    from synq_jupyter.quantum.aer_seed import AER_SEED_BITS, aer_seed

    seeds = [aer_seed(seed) for seed in range(2000)]

    assert all(0 <= s < 2**AER_SEED_BITS for s in seeds)
    ordered = sorted(seeds)
    assert min(b - a for a, b in itertools.pairwise(ordered)) > 10**9
    assert aer_seed(12345) == aer_seed(12345)
