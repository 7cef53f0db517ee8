"""Run QAOA on a problem by exact simulation: choose the angles, then read the distribution."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from synq_jupyter.algorithms.problems import Problem
from synq_jupyter.algorithms.qaoa_angles import (
    Angles,
    field_scale,
    fixed_angles,
    grid_start,
    interpolate,
    random_angles,
)
from synq_jupyter.algorithms.qaoa_baseline import classical_baseline
from synq_jupyter.algorithms.qaoa_circuit import qaoa_circuit
from synq_jupyter.algorithms.qaoa_optimizer import AngleOptimizer
from synq_jupyter.algorithms.qaoa_result import QAOAResult, approximation_ratio
from synq_jupyter.algorithms.qaoa_simulator import QAOASimulator
from synq_jupyter.algorithms.qaoa_spec import QAOASpec

__all__ = ["QAOAResult", "QAOASpec", "qaoa_circuit", "run_qaoa"]

Progress = Callable[[float, str], None]
OnIteration = Callable[[int, float], None]
OnShots = Callable[[int], None]

# Restarts after the first perturb each angle by this fraction of its range.
PERTURBATION = 0.05


def run_qaoa(
    spec: QAOASpec,
    *,
    progress: Progress | None = None,
    on_iteration: OnIteration | None = None,
    on_shots: OnShots | None = None,
) -> QAOAResult:
    """Optimises QAOA's angles for ``spec.problem`` and reports the resulting distribution.

    With ``init="interp"`` depth 1 starts from the best point of a coarse grid and each
    further depth from the INTERP extrapolation of the previous optimum; ``"fixed"`` and
    ``"random"`` optimise at depth ``spec.p`` directly. The classical optimum the
    approximation ratio is measured against is computed at the end.

    Args:
        spec: The run.
        progress: Called with (fraction done, message) at least once per optimiser iteration.
        on_iteration: Called with (iteration number from 1, ``<C>``) at every iteration.
        on_shots: Called with the shots of every sample drawn (with ``spec.shots``), e.g.
            to meter them as the run goes.

    Returns:
        The result; the same spec (with its seed) gives the same result.
    """
    problem = spec.problem
    how = "exactly" if spec.shots is None else f"with {spec.shots} shots per estimate"
    _report(progress, 0.0, f"simulating {problem.num_variables} qubits {how}")
    with _one_blas_thread():
        simulator = QAOASimulator(problem)
        rng = np.random.default_rng(spec.seed)
        # QAOASpec fills in the optimizer and the seed when they are not given.
        assert spec.optimizer is not None
        assert spec.seed is not None
        optimizer = AngleOptimizer(
            simulator,
            method=spec.optimizer,
            shots=spec.shots,
            max_iterations=spec.max_iterations,
            rng=rng,
            progress=_scaled(progress, 0.95),
            on_iteration=on_iteration,
            on_shots=on_shots,
        )
        depths = list(range(1, spec.p + 1)) if spec.init == "interp" else [spec.p]
        angles: Angles | None = None
        optima: list[tuple[Angles, float]] = []
        for stage, depth in enumerate(depths):
            starts = _starts(spec, depth, angles, optimizer, rng, progress)
            angles, value = optimizer.best_of(starts, stage=stage, stages=len(depths))
            optima.append((angles, value))
        _report(progress, 0.95, "reading the distribution")
        gammas, betas = optima[-1][0]
        summary = _distribution(simulator, optimizer, spec, gammas, betas)
        baseline = classical_baseline(problem, seed=spec.seed)
    ratio, definition = approximation_ratio(summary["expectation"], baseline.c_max, baseline.c_min)
    by_depth = [
        {
            "p": len(g),
            "gammas": [float(x) for x in g],
            "betas": [float(x) for x in b],
            "expectation": value,
            "approximation_ratio": approximation_ratio(value, baseline.c_max, baseline.c_min)[0],
        }
        for (g, b), value in optima
    ]
    _report(progress, 1.0, f"done: approximation ratio {ratio:.4f}")
    return QAOAResult(
        problem=problem.to_dict(),
        p=spec.p,
        gammas=[float(g) for g in gammas],
        betas=[float(b) for b in betas],
        c_max=baseline.c_max,
        c_min=baseline.c_min,
        c_max_method=baseline.method,
        c_max_bitstring=baseline.bitstring,
        approximation_ratio=ratio,
        ratio_definition=definition,
        init=spec.init,
        optimizer=spec.optimizer,
        shots=spec.shots,
        seed=spec.seed,
        evaluations=simulator.evaluations,
        history=list(optimizer.history),
        by_depth=by_depth,
        shots_used=optimizer.shots_used,
        **summary,
    )


def _starts(
    spec: QAOASpec,
    depth: int,
    previous: Angles | None,
    optimizer: AngleOptimizer,
    rng: np.random.Generator,
    progress: Progress | None,
) -> list[Angles]:
    """The heuristic's start for ``depth``, then ``restarts - 1`` more."""
    problem = spec.problem
    if spec.init == "random":
        return [random_angles(problem, depth, rng) for _ in range(spec.restarts)]
    if spec.init == "fixed":
        first = fixed_angles(problem, depth)
    elif previous is None:

        def on_row(done: int, rows: int) -> None:
            _report(progress, 0.0, f"p=1: scanning the angle grid, row {done}/{rows}")

        first = grid_start(optimizer.estimate, problem, on_row)
    else:
        first = interpolate(*previous)
    return [first] + [_perturbed(first, problem, rng) for _ in range(spec.restarts - 1)]


def _perturbed(angles: Angles, problem: Problem, rng: np.random.Generator) -> Angles:
    gammas, betas = angles
    gamma_range = np.pi / field_scale(problem)
    return (
        gammas + rng.normal(0.0, PERTURBATION * gamma_range, len(gammas)),
        betas + rng.normal(0.0, PERTURBATION * np.pi, len(betas)),
    )


def _distribution(
    simulator: QAOASimulator,
    optimizer: AngleOptimizer,
    spec: QAOASpec,
    gammas: np.ndarray,
    betas: np.ndarray,
) -> dict[str, Any]:
    """The expectation, the ``top_k`` list and the best bitstring at the final angles."""
    problem, n = spec.problem, spec.problem.num_variables
    if spec.shots is None:
        weights = np.abs(simulator.state(gammas, betas)) ** 2
    else:
        weights = optimizer.sample(gammas, betas, spec.shots) / spec.shots
    expectation = float(weights @ simulator.cost)
    listed = _most_likely(weights, spec.top_k)
    candidates = listed if spec.shots is None else np.flatnonzero(weights)
    distribution = []
    for index in listed:
        bits = format(int(index), f"0{n}b")
        distribution.append(
            {
                "bitstring": bits,
                "probability": float(weights[index]),
                "objective": float(simulator.cost[index]),
                "feasible": problem.is_feasible(bits),
            }
        )
    # Highest objective first, then the most likely, then the lowest index: deterministic.
    order = np.lexsort((candidates, -weights[candidates], -simulator.cost[candidates]))
    best = int(candidates[order[0]])
    best_bits = format(best, f"0{n}b")
    return {
        "expectation": expectation,
        "best_bitstring": best_bits,
        "best_objective": float(simulator.cost[best]),
        "feasible": problem.is_feasible(best_bits),
        "distribution": distribution,
    }


def _most_likely(weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest weights, largest first (ties: lower index first)."""
    k = min(k, weights.size)
    top = np.argpartition(-weights, k - 1)[:k]
    return top[np.lexsort((top, -weights[top]))]


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """Keeps BLAS on one thread: the simulator's products are thin, threads only add
    contention (and runs already share cores with other jobs)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _scaled(progress: Progress | None, stop: float) -> Progress | None:
    if progress is None:
        return None
    outer = progress
    return lambda fraction, message: outer(stop * fraction, message)


def _report(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(fraction, message)
