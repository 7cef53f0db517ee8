"""QAOA: approximation ratios on 3-regular MaxCut, the circuit, the options and the result."""

from __future__ import annotations

import json

import numpy as np
import pytest
from qiskit.quantum_info import Statevector

from synq_jupyter.algorithms.problems import Problem
from synq_jupyter.algorithms.problems_graphs import random_regular_graph
from synq_jupyter.algorithms.qaoa import QAOASpec, qaoa_circuit, run_qaoa
from synq_jupyter.algorithms.qaoa_simulator import QAOASimulator
from synq_jupyter.errors import SynqInputError

# Worst-case cut fractions of QAOA with the best fixed angles on 3-regular graphs
# (Wurtz & Lykov 2021); every instance must do at least as well.
BOUNDS = {1: 0.6924, 2: 0.7559, 3: 0.7924}
SIZES = [12, 12, 12, 14, 14, 14, 14, 16, 16, 16]

TRIANGLE = {"type": "maxcut", "edges": [[0, 1], [1, 2], [2, 0]]}
PATH_4 = {"type": "mis", "edges": [[0, 1], [1, 2], [2, 3]]}
PETERSEN = (
    [[i, (i + 1) % 5] for i in range(5)]
    + [[i, i + 5] for i in range(5)]
    + [[5 + i, 5 + (i + 2) % 5] for i in range(5)]
)
HEAWOOD = [[i, (i + 1) % 14] for i in range(14)] + [[i, (i + 5) % 14] for i in range(0, 14, 2)]


def maxcut(edges) -> dict:
    return {"type": "maxcut", "edges": [list(edge) for edge in edges]}


def run(problem: dict, **options) -> dict:
    return run_qaoa(QAOASpec.from_dict({"problem": problem, **options})).to_dict()


@pytest.mark.slow
def test_qaoa_beats_the_worst_case_bounds_on_random_3_regular_graphs():
    ratios = {p: [] for p in BOUNDS}
    for index, n in enumerate(SIZES):
        edges = random_regular_graph(n, 3, seed=index)
        result = run(maxcut(edges), p=3, seed=index)
        # INTERP optimises depth 1, then 2, then 3: each is that depth's QAOA result.
        for depth in result["by_depth"]:
            ratios[depth["p"]].append(depth["approximation_ratio"])
    for p, bound in BOUNDS.items():
        assert len(ratios[p]) == len(SIZES)
        assert min(ratios[p]) > bound, (p, ratios[p])
    assert np.mean(ratios[3]) >= 0.85


def test_interp_depths_are_the_runs_of_that_depth():
    problem = maxcut(random_regular_graph(8, 3, seed=3))
    two = run(problem, p=2, seed=9)
    three = run(problem, p=3, seed=9)
    assert three["by_depth"][1]["expectation"] == pytest.approx(two["expectation"], abs=1e-9)
    assert three["by_depth"][1]["gammas"] == pytest.approx(two["gammas"], abs=1e-9)
    assert [d["p"] for d in three["by_depth"]] == [1, 2, 3]
    assert three["expectation"] >= two["expectation"] - 1e-9


@pytest.mark.parametrize(
    "problem",
    [
        maxcut([[0, 1, 1.5], [1, 2], [2, 3, -0.5], [3, 0], [0, 2]]),
        PATH_4,
        {"type": "number_partitioning", "numbers": [3, 1, 2, 2]},
        {"type": "qubo", "matrix": [[1, -2, 0.5], [0, 3, 1], [0, 0, -1]], "offset": 2},
    ],
)
def test_circuit_statevector_equals_the_simulator_state(problem):
    parsed = Problem.from_dict(problem)
    gammas, betas = [0.3, -0.7], [0.2, 0.9]
    simulated = QAOASimulator(parsed).state(gammas, betas)
    circuit = Statevector(qaoa_circuit(parsed, gammas, betas)).data
    assert abs(np.vdot(simulated, circuit)) == pytest.approx(1.0, abs=1e-10)


def test_gradient_matches_finite_differences():
    problem = Problem.from_dict({"type": "ising", "linear": {"0": 0.5}, "quadratic": {"0,1": 1}})
    simulator = QAOASimulator(Problem.from_dict(maxcut(PETERSEN)))
    for sim in (simulator, QAOASimulator(problem)):
        x = np.array([0.4, 0.9, 0.3, -0.2])
        _, grad = sim.expectation_and_gradient(x[:2], x[2:])
        step = 1e-6
        for k in range(4):
            up, down = x.copy(), x.copy()
            up[k] += step
            down[k] -= step
            slope = (sim.expectation(up[:2], up[2:]) - sim.expectation(down[:2], down[2:])) / (
                2 * step
            )
            assert grad[k] == pytest.approx(slope, abs=1e-6)


def test_sampling_the_circuit_on_aer_matches_the_simulated_distribution():
    from synq_jupyter.quantum import run_local

    problem = Problem.from_dict(PATH_4)
    gammas, betas = [0.8, 1.1], [0.5, 0.2]
    expected = np.abs(QAOASimulator(problem).state(gammas, betas)) ** 2
    shots = 20_000
    counts = run_local(qaoa_circuit(problem, gammas, betas), shots=shots, seed=5).counts
    observed = np.zeros(16)
    for bits, count in counts.items():
        observed[int(bits, 2)] = count / shots
    assert 0.5 * np.abs(observed - expected).sum() < 0.03


def test_fixed_angles_cut_0_6925_of_the_petersen_graph_at_p_1():
    # The Petersen graph has no triangles, so at p = 1 every edge sees a tree.
    result = run(maxcut(PETERSEN), p=1, init="fixed", max_iterations=0, seed=1)
    assert result["expectation"] / len(PETERSEN) == pytest.approx(0.6925, abs=2e-4)
    assert result["gammas"] == [0.616]


def test_fixed_angles_cut_0_7559_of_the_heawood_graph_at_p_2():
    # The Heawood graph has girth 6, so at p = 2 every edge sees a tree.
    result = run(maxcut(HEAWOOD), p=2, init="fixed", max_iterations=0, seed=1)
    assert result["expectation"] / len(HEAWOOD) == pytest.approx(0.7559, abs=2e-4)


def test_fixed_angles_for_degree_4_cut_0_6624_of_the_4_cube_at_p_1():
    # The 4-cube is 4-regular without triangles; at p = 1 each edge is cut with probability
    # 1/2 + sin(g) cos(g)^3 / 2, largest at tan(g) = 1/sqrt(3).
    cube = [[u, u ^ bit] for u in range(16) for bit in (1, 2, 4, 8) if u < u ^ bit]
    result = run(maxcut(cube), p=1, init="fixed", max_iterations=0, seed=1)
    assert result["expectation"] / len(cube) == pytest.approx(0.5 + 3 * np.sqrt(3) / 32)


def test_refining_fixed_angles_improves_the_expectation():
    problem = maxcut(random_regular_graph(12, 3, seed=4))
    fixed = run(problem, p=3, init="fixed", max_iterations=0, seed=2)
    refined = run(problem, p=3, init="fixed", seed=2)
    assert refined["approximation_ratio"] > fixed["approximation_ratio"] > BOUNDS[3]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"problem": TRIANGLE, "p": 0}, "p"),
        ({"problem": TRIANGLE, "p": -2}, "p"),
        ({"problem": TRIANGLE, "p": 1.5}, "p"),
        ({"problem": TRIANGLE, "p": "2"}, "p"),
        ({"problem": TRIANGLE, "init": "warm"}, "init"),
        ({"problem": {"type": "maxcut", "edges": [[0, 1, 2.0], [1, 2]]}, "init": "fixed"}, "init"),
        ({"problem": maxcut(PETERSEN), "init": "fixed", "p": 4}, "init"),
        ({"problem": TRIANGLE, "shots": 0}, "shots"),
        ({"problem": TRIANGLE, "optimizer": "adam"}, "optimizer"),
        ({"problem": TRIANGLE, "optimizer": "L-BFGS-B", "shots": 100}, "optimizer"),
        ({"problem": TRIANGLE, "seed": -1}, "seed"),
        ({"problem": TRIANGLE, "max_iterations": -1}, "max_iterations"),
        ({"problem": TRIANGLE, "top_k": 0}, "top_k"),
        ({"problem": TRIANGLE, "depth": 2}, "depth"),
        ({"p": 2}, "problem"),
        ({"problem": maxcut([[i, i + 1] for i in range(24)])}, "problem"),
        ({"problem": {"type": "maxcut", "edges": [[0, 0]]}}, "problem.edges"),
    ],
)
def test_bad_spec_raises_naming_the_field(options, field):
    with pytest.raises(SynqInputError) as caught:
        QAOASpec.from_dict(options)
    assert caught.value.field == field


def test_the_same_seed_gives_the_same_result():
    problem = maxcut(random_regular_graph(10, 3, seed=1))
    assert run(problem, p=2, seed=42) == run(problem, p=2, seed=42)
    sampled = {"p": 1, "init": "random", "restarts": 2, "shots": 500, "max_iterations": 20}
    first = run(problem, seed=7, **sampled)
    assert first == run(problem, seed=7, **sampled)
    assert first["history"] != run(problem, seed=8, **sampled)["history"]


def test_result_is_plain_json_listing_the_most_likely_bitstrings():
    problem = maxcut(PETERSEN)
    result = run(problem, p=1, seed=3, top_k=5)
    assert json.loads(json.dumps(result)) == result
    listed = result["distribution"]
    assert len(listed) == 5
    probabilities = [entry["probability"] for entry in listed]
    assert probabilities == sorted(probabilities, reverse=True)
    parsed = Problem.from_dict(problem)
    for entry in listed:
        assert entry["objective"] == parsed.objective(entry["bitstring"])
    assert result["best_objective"] == max(entry["objective"] for entry in listed)
    assert result["c_max"] == 12
    assert result["c_max_method"] == "brute_force"
    assert result["approximation_ratio"] == pytest.approx(result["expectation"] / 12)
    assert result["seed"] == 3
    assert result["evaluations"] > len(result["history"]) > 0


def test_progress_is_reported_at_every_iteration():
    events: list[tuple[float, str]] = []
    points: list[tuple[int, float]] = []
    spec = QAOASpec.from_dict({"problem": maxcut(PETERSEN), "p": 2, "seed": 1})
    result = run_qaoa(
        spec,
        progress=lambda f, m: events.append((f, m)),
        on_iteration=lambda i, v: points.append((i, v)),
    )
    assert points == list(enumerate(result.history, start=1))
    iterations = [message for _, message in events if "iteration" in message]
    assert len(iterations) == len(result.history)
    fractions = [fraction for fraction, _ in events]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


def test_mis_run_returns_a_maximum_independent_set():
    result = run(PATH_4, p=2, seed=1)
    assert result["best_objective"] == 2
    assert result["feasible"] is True
    assert result["best_bitstring"] in {"0101", "1010", "1001"}
    flagged = {entry["bitstring"]: entry["feasible"] for entry in result["distribution"]}
    assert flagged.get("0011", False) is False
    assert flagged.get("0000", True) is True


def test_number_partitioning_run_finds_a_perfect_split():
    result = run({"type": "number_partitioning", "numbers": [3, 1, 1, 2, 2, 1]}, p=2, seed=1)
    assert result["best_objective"] == 0
    assert result["c_max"] == 0
    assert result["ratio_definition"] == "(expectation - c_min) / (c_max - c_min)"
    assert 0.5 < result["approximation_ratio"] <= 1


def test_shots_estimate_the_exact_distribution():
    shots = 4000
    result = run(TRIANGLE, p=1, seed=2, shots=shots, top_k=8)
    assert result["optimizer"] == "COBYLA"
    probabilities = [entry["probability"] for entry in result["distribution"]]
    assert sum(probabilities) == pytest.approx(1.0)
    assert all(abs(p * shots - round(p * shots)) < 1e-9 for p in probabilities)
    exact = QAOASimulator(Problem.from_dict(TRIANGLE)).expectation(
        result["gammas"], result["betas"]
    )
    assert result["expectation"] == pytest.approx(exact, abs=0.05)


def test_every_sample_drawn_is_reported_and_counted():
    spec = QAOASpec.from_dict({"problem": TRIANGLE, "p": 1, "seed": 2, "shots": 300})
    spent: list[int] = []
    result = run_qaoa(spec, on_shots=spent.append)
    # Each estimate the optimiser saw, and the final distribution, drew 300 samples.
    assert spent == [300] * result.evaluations
    assert result.shots_used == 300 * result.evaluations
    assert run(TRIANGLE, p=1, seed=2)["shots_used"] == 0  # exact: nothing sampled
