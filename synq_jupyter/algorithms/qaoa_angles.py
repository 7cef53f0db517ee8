"""Starting angles for QAOA: the p = 1 grid, INTERP, fixed angles and random draws."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from synq_jupyter.algorithms.problems import Problem
from synq_jupyter.algorithms.problems_graphs import regular_degree
from synq_jupyter.algorithms.qaoa_simulator import Floats
from synq_jupyter.errors import SynqInputError

Angles = tuple[np.ndarray, np.ndarray]

# Fixed angles for MaxCut on 3-regular graphs, from Table I of J. Wurtz and D. Lykov, "The
# fixed angle conjecture for QAOA on regular MaxCut graphs", Phys. Rev. A 104, 052419 (2021),
# arXiv:2107.00677. Their convention is ours: exp(-i beta sum X) exp(-i gamma C) with
# C = sum (1 - Z Z) / 2. On graphs without short cycles they cut at least 0.6925, 0.7559 and
# 0.7924 of the edges in expectation (the tests check p = 1 on the Petersen graph and p = 2
# on the Heawood graph, whose girths make the guarantee exact).
FIXED_ANGLES_3_REGULAR: dict[int, tuple[tuple[float, ...], tuple[float, ...]]] = {
    1: ((0.616,), (0.393,)),
    2: ((0.488, 0.898), (0.555, 0.293)),
    3: ((0.422, 0.798, 0.937), (0.609, 0.459, 0.235)),
}
GUARANTEED_RATIO_3_REGULAR = {1: 0.6924, 2: 0.7559, 3: 0.7924}

GRID_GAMMAS = 12
GRID_BETAS = 8


def fixed_angles(problem: Problem, p: int) -> Angles:
    """Fixed angles for MaxCut on an unweighted regular graph.

    Degree 3 uses the published table for p = 1 to 3. Any other degree d has, at p = 1, the
    optimum on graphs without triangles: ``gamma = arctan(1 / sqrt(d - 1))``,
    ``beta = pi / 8``, which maximises ``sin(gamma) cos(gamma)^(d - 1)``.

    Raises:
        SynqInputError: (field ``"init"``) the problem is not unweighted regular MaxCut, or no
            fixed angles are known for its degree at this depth.
    """
    degree = (
        regular_degree(problem.edges, problem.num_variables) if problem.kind == "maxcut" else None
    )
    if degree is None:
        raise SynqInputError(
            'init "fixed" needs MaxCut on an unweighted regular graph; use "interp"', field="init"
        )
    if degree == 3 and p in FIXED_ANGLES_3_REGULAR:
        gammas, betas = FIXED_ANGLES_3_REGULAR[p]
        return np.array(gammas), np.array(betas)
    if p == 1:
        return np.array([np.arctan2(1.0, np.sqrt(degree - 1))]), np.array([np.pi / 8])
    known = "1 to 3" if degree == 3 else "1"
    raise SynqInputError(
        f'fixed angles for degree {degree} are known for p = {known}, not p = {p}; use "interp"',
        field="init",
    )


def interpolate(gammas: np.ndarray, betas: np.ndarray) -> Angles:
    """INTERP (Zhou et al., PRX 10, 021067 (2020)): angles for depth p + 1 from depth p.

    Reads the p optimised angles as samples of a smooth schedule and resamples it at
    p + 1 points: ``new[i] = (i / p) old[i - 1] + ((p - i) / p) old[i]`` for i = 0 .. p,
    with ``old[-1] = old[p] = 0``.
    """
    return _resample(gammas), _resample(betas)


def _resample(old: np.ndarray) -> np.ndarray:
    p = len(old)
    padded = np.concatenate([[0.0], old, [0.0]])
    i = np.arange(p + 1)
    return (i / p) * padded[i] + ((p - i) / p) * padded[i + 1]


def grid_start(
    evaluate: Callable[[Floats, Floats], float],
    problem: Problem,
    on_row: Callable[[int, int], None] | None = None,
) -> Angles:
    """The best p = 1 angles on a coarse grid.

    gamma runs over (0, pi / F], where F is the largest total coefficient any variable sees,
    so that the grid spans the phases that matter whatever the weights' scale; beta runs over
    (-pi / 2, pi / 2), one period of the mixer. Negative gamma is left out: (-gamma, -beta)
    gives the complex-conjugate state, with the same expectation.

    Args:
        evaluate: ``<C>`` (or an estimate of it) at the given angles.
        problem: The problem, for the range of gamma.
        on_row: Called with (rows done, rows) after each value of gamma.
    """
    top = np.pi / field_scale(problem)
    gammas = top * (np.arange(GRID_GAMMAS) + 1) / GRID_GAMMAS
    betas = np.pi * ((np.arange(GRID_BETAS) + 0.5) / GRID_BETAS - 0.5)
    best = (-np.inf, 0.0, 0.0)
    for row, gamma in enumerate(gammas):
        for beta in betas:
            best = max(best, (evaluate(np.array([gamma]), np.array([beta])), gamma, beta))
        if on_row is not None:
            on_row(row + 1, GRID_GAMMAS)
    _, gamma, beta = best
    return np.array([gamma]), np.array([beta])


def random_angles(problem: Problem, p: int, rng: np.random.Generator) -> Angles:
    """Angles drawn uniformly: gamma in (0, pi / F], beta in (-pi / 2, pi / 2)."""
    top = np.pi / field_scale(problem)
    return rng.uniform(0.0, top, p), rng.uniform(-np.pi / 2, np.pi / 2, p)


def field_scale(problem: Problem) -> float:
    """The largest ``|h_i| + sum_j |J_ij|`` over the variables (1 if the problem is constant)."""
    total = np.abs(np.array(problem.linear, dtype=float))
    for i, j, w in problem.quadratic:
        total[i] += abs(w)
        total[j] += abs(w)
    largest = float(total.max()) if total.size else 0.0
    return largest if largest > 0.0 else 1.0
