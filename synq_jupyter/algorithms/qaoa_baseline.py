"""The classical reference for QAOA: the best objective, by enumeration or local search."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synq_jupyter.algorithms.problems import Problem

BRUTE_FORCE_LIMIT = 20
LOCAL_SEARCH_STARTS = 64


@dataclass(frozen=True)
class Baseline:
    """The largest and smallest objective found classically, and how they were found.

    Attributes:
        c_max: The largest C found (the optimum when ``method`` is ``"brute_force"``).
        c_min: The smallest C found.
        bitstring: A bitstring reaching ``c_max`` (Qiskit order).
        method: ``"brute_force"`` (exact) or ``"local_search"`` (a lower bound on the optimum).
    """

    c_max: float
    c_min: float
    bitstring: str
    method: str


def classical_baseline(problem: Problem, *, seed: int) -> Baseline:
    """The best objective of ``problem``, exact up to ``BRUTE_FORCE_LIMIT`` variables.

    Up to the limit every bitstring is scored at once from ``Problem.cost_vector``. Beyond it,
    ``LOCAL_SEARCH_STARTS`` seeded random starts are each improved by single-bit flips until
    none helps, and the best end point is kept (likewise downhill for ``c_min``).

    Args:
        problem: The problem.
        seed: Seeds the local search's starts.
    """
    n = problem.num_variables
    if n <= BRUTE_FORCE_LIMIT:
        cost = problem.cost_vector()
        best = int(np.argmax(cost))
        return Baseline(float(cost[best]), float(cost.min()), format(best, f"0{n}b"), "brute_force")
    rng = np.random.default_rng(seed)
    c_max, spins = _local_search(problem, rng, sign=1.0)
    c_min, _ = _local_search(problem, rng, sign=-1.0)
    bits = "".join("1" if z < 0 else "0" for z in reversed(spins))
    return Baseline(c_max, c_min, bits, "local_search")


def _local_search(
    problem: Problem, rng: np.random.Generator, *, sign: float
) -> tuple[float, np.ndarray]:
    """Greedy single-flip ascent of ``sign * C`` from random starts; the best C and its spins."""
    n = problem.num_variables
    h = sign * np.array(problem.linear)
    coupling = np.zeros((n, n))
    for i, j, w in problem.quadratic:
        coupling[i, j] += sign * w
        coupling[j, i] += sign * w
    spins = 1.0 - 2.0 * rng.integers(0, 2, (LOCAL_SEARCH_STARTS, n))
    rows = np.arange(LOCAL_SEARCH_STARTS)
    while True:
        # Flipping z_i changes C by -2 z_i (h_i + sum_j J_ij z_j).
        gain = -2.0 * spins * (h + spins @ coupling)
        best = np.argmax(gain, axis=1)
        moving = gain[rows, best] > 1e-12
        if not moving.any():
            break
        spins[rows[moving], best[moving]] *= -1.0
    values = spins @ h + np.einsum("ki,ki->k", spins @ coupling, spins) / 2
    top = int(np.argmax(values))
    return sign * float(values[top]) + problem.offset, spins[top]
