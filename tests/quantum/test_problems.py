"""QAOA problems: objectives on hand-checkable instances, input checks, random regular graphs."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from synq_jupyter.algorithms.problems import Problem
from synq_jupyter.algorithms.problems_graphs import random_regular_graph
from synq_jupyter.algorithms.qaoa_baseline import classical_baseline
from synq_jupyter.errors import SynqInputError


def best_bitstrings(problem: Problem) -> set[str]:
    cost = problem.cost_vector()
    n = problem.num_variables
    return {format(int(k), f"0{n}b") for k in np.flatnonzero(cost == cost.max())}


def test_triangle_max_cut_is_2():
    triangle = Problem.from_dict({"type": "maxcut", "edges": [[0, 1], [1, 2], [2, 0]]})
    assert triangle.cost_vector().max() == 2
    assert triangle.objective("000") == 0
    assert triangle.objective("001") == 2


def test_weighted_max_cut_counts_the_weights_of_cut_edges():
    square = Problem.from_dict(
        {"type": "maxcut", "edges": [[0, 1, 3.0], [1, 2], [2, 3, 0.5], [3, 0, 2]]}
    )
    # Variable 0 is the rightmost bit: "0101" puts nodes 0 and 2 on one side.
    assert square.objective("0101") == 6.5
    assert square.objective("0001") == 5.0
    assert best_bitstrings(square) == {"0101", "1010"}


def test_maximum_independent_set_of_a_path_of_4_is_2():
    path = Problem.from_dict({"type": "mis", "edges": [[0, 1], [1, 2], [2, 3]]})
    assert path.cost_vector().max() == 2
    # Nodes {0, 2}, {1, 3} and {0, 3}; the rightmost bit is node 0.
    assert best_bitstrings(path) == {"0101", "1010", "1001"}


def test_independent_set_objective_is_the_set_size_and_conflicts_are_flagged():
    path = Problem.from_dict({"type": "mis", "edges": [[0, 1], [1, 2], [2, 3]], "penalty": 3})
    assert path.objective("0001") == 1
    assert path.is_feasible("0101")
    assert not path.is_feasible("0011")
    # Two nodes and one conflicting edge: 2 - 3.
    assert path.objective("0011") == -1


def test_isolated_nodes_join_every_maximum_independent_set():
    graph = Problem.from_dict({"type": "mis", "edges": [[0, 1]], "num_nodes": 4})
    assert graph.cost_vector().max() == 3
    assert best_bitstrings(graph) == {"1101", "1110"}


def test_partition_of_3_1_1_2_2_1_has_difference_0():
    numbers = [3, 1, 1, 2, 2, 1]
    problem = Problem.from_dict({"type": "number_partitioning", "numbers": numbers})
    assert problem.cost_vector().max() == 0
    for bits in best_bitstrings(problem):
        side = [a for i, a in enumerate(numbers) if bits[-1 - i] == "1"]
        assert sum(side) == 5
    # {3} against the rest: 3 - 7 = -4, so the objective is -16.
    assert problem.objective("000001") == -16


def test_qubo_matrix_is_minimised_by_default():
    qubo = Problem.from_dict({"type": "qubo", "matrix": [[1, -2], [0, 3]]})
    # E = x0 + 3 x1 - 2 x0 x1: E(00) = 0, E(01) = 1, E(10) = 3, E(11) = 2; the minimum is 00.
    assert [qubo.objective(bits) for bits in ("00", "01", "10", "11")] == [0, -1, -3, -2]
    maximised = Problem.from_dict({"type": "qubo", "matrix": [[1, -2], [0, 3]], "sense": "max"})
    assert best_bitstrings(maximised) == {"10"}


def test_symmetric_upper_and_dict_forms_of_a_qubo_agree():
    upper = Problem.from_dict({"type": "qubo", "matrix": [[1, -4, 0], [0, 2, 6], [0, 0, -3]]})
    symmetric = Problem.from_dict(
        {"type": "qubo", "matrix": [[1, -2, 0], [-2, 2, 3], [0, 3, -3]], "offset": 0}
    )
    terms = Problem.from_dict(
        {
            "type": "qubo",
            "linear": {"0": 1, "1": 2, "2": -3},
            "quadratic": {"0,1": -4, "2, 1": 6},
        }
    )
    np.testing.assert_allclose(symmetric.cost_vector(), upper.cost_vector())
    np.testing.assert_allclose(terms.cost_vector(), upper.cost_vector())


def test_ising_uses_z_plus_one_for_bit_0():
    # E = z0 - 2 z0 z1, minimised: z0 = z1 = -1 gives -1 - 2 = -3, the bitstring "11".
    ising = Problem.from_dict({"type": "ising", "linear": {"0": 1}, "quadratic": {"0,1": -2}})
    assert best_bitstrings(ising) == {"11"}
    assert ising.objective("11") == 3
    diagonal = Problem.from_dict({"type": "ising", "matrix": [[5, 0], [0, 0]]})
    assert diagonal.objective("01") == -5


def test_cost_vector_scores_every_bitstring_like_objective():
    rng = np.random.default_rng(7)
    matrix = np.triu(rng.normal(size=(7, 7)))
    problem = Problem.from_dict({"type": "qubo", "matrix": matrix.tolist(), "offset": 1.5})
    cost = problem.cost_vector()
    for k in range(2**7):
        bits = format(k, "07b")
        x = np.array([int(b) for b in reversed(bits)])
        assert cost[k] == pytest.approx(-(1.5 + x @ matrix @ x))
        assert cost[k] == pytest.approx(problem.objective(bits))


@pytest.mark.parametrize(
    ("problem", "field"),
    [
        ({"type": "maxcut", "edges": []}, "problem.edges"),
        ({"type": "maxcut"}, "problem.edges"),
        ({"type": "maxcut", "edges": [[0, 1], [2, 2]]}, "problem.edges"),
        ({"type": "maxcut", "edges": [[0, 1], [1, 5]], "num_nodes": 3}, "problem.edges"),
        ({"type": "maxcut", "edges": [[0, -1]]}, "problem.edges"),
        ({"type": "maxcut", "edges": [[0, 1], [1, 0]]}, "problem.edges"),
        ({"type": "maxcut", "edges": [[0, 1, math.nan]]}, "problem.edges"),
        ({"type": "maxcut", "edges": [[0, 1, "heavy"]]}, "problem.edges"),
        ({"type": "maxcut", "edges": [[0, 1.5]]}, "problem.edges"),
        ({"type": "maxcut", "edges": [[0, 1]], "num_nodes": 2000}, "problem.num_nodes"),
        ({"type": "maxcut", "edgez": [[0, 1]]}, "problem.edgez"),
        ({"type": "mis", "edges": [[0, 1, 2.0]]}, "problem.edges"),
        ({"type": "mis", "edges": [[0, 1]], "penalty": 1}, "problem.penalty"),
        ({"type": "number_partitioning", "numbers": [4]}, "problem.numbers"),
        ({"type": "number_partitioning", "numbers": [1, math.inf]}, "problem.numbers"),
        ({"type": "qubo", "matrix": [[1, 2], [3]]}, "problem.matrix"),
        ({"type": "qubo", "matrix": [[1, 2], [3, 4]]}, "problem.matrix"),
        ({"type": "qubo", "matrix": [[1, math.nan], [0, 1]]}, "problem.matrix"),
        ({"type": "qubo", "matrix": []}, "problem.matrix"),
        ({"type": "qubo"}, "problem"),
        ({"type": "qubo", "quadratic": {"1,1": 2}}, "problem.quadratic"),
        ({"type": "qubo", "quadratic": {"a,b": 2}}, "problem.quadratic"),
        ({"type": "ising", "linear": {"3": 1}, "num_variables": 2}, "problem.num_variables"),
        ({"type": "ising", "linear": {"0": 1}, "sense": "down"}, "problem.sense"),
        ({"type": "tsp"}, "problem.type"),
        ([[0, 1]], "problem"),
    ],
)
def test_bad_problem_raises_naming_the_field(problem, field):
    with pytest.raises(SynqInputError) as caught:
        Problem.from_dict(problem)
    assert caught.value.field == field


def test_objective_rejects_a_bitstring_of_the_wrong_length():
    triangle = Problem.maxcut([[0, 1], [1, 2], [2, 0]])
    with pytest.raises(SynqInputError):
        triangle.objective("01")


def test_random_regular_graph_is_simple_regular_and_seeded():
    edges = random_regular_graph(16, 3, seed=11)
    assert len(edges) == 24
    assert len(set(edges)) == 24
    assert all(u < v for u, v in edges)
    degrees = Counter(node for edge in edges for node in edge)
    assert sorted(degrees) == list(range(16))
    assert set(degrees.values()) == {3}
    assert random_regular_graph(16, 3, seed=11) == edges
    assert random_regular_graph(16, 3, seed=12) != edges


def test_random_regular_graph_refuses_an_odd_number_of_half_edges():
    with pytest.raises(SynqInputError):
        random_regular_graph(7, 3, seed=0)


def test_local_search_baseline_finds_the_max_cut_of_a_22_node_graph():
    edges = [list(edge) for edge in random_regular_graph(22, 3, seed=5)]
    problem = Problem.maxcut(edges)
    baseline = classical_baseline(problem, seed=1)
    assert baseline.method == "local_search"
    assert baseline.c_max == problem.cost_vector().max()
    assert problem.objective(baseline.bitstring) == baseline.c_max


def test_brute_force_baseline_is_exact_up_to_20_variables():
    problem = Problem.maxcut([[0, 1], [1, 2], [2, 0]])
    baseline = classical_baseline(problem, seed=0)
    assert (baseline.c_max, baseline.c_min, baseline.method) == (2, 0, "brute_force")
