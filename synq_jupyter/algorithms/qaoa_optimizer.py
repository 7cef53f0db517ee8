"""Maximises the QAOA expectation over the angles with SciPy, reporting every iteration."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.optimize import OptimizeResult, minimize

from synq_jupyter.algorithms.qaoa_angles import Angles
from synq_jupyter.algorithms.qaoa_simulator import Floats, QAOASimulator

Progress = Callable[[float, str], None]
OnIteration = Callable[[int, float], None]
OnShots = Callable[[int], None]


class AngleOptimizer:
    """Runs SciPy from each start and keeps the best angles, recording ``<C>`` per iteration.

    Without shots the objective is the exact ``<C>`` (with its adjoint gradient for
    L-BFGS-B). With shots every estimate samples the exact distribution ``shots`` times
    from the seeded generator, as hardware would, and the optimiser sees that estimate.

    Args:
        simulator: The problem's simulator.
        method: A SciPy method, ``"L-BFGS-B"`` or ``"COBYLA"``.
        shots: Samples per estimate, or ``None`` for the exact expectation.
        max_iterations: Iterations per start; 0 only evaluates the starts.
        rng: The run's seeded generator (used for the samples).
        progress: Called with (fraction done, message) at every iteration.
        on_iteration: Called with (iteration number from 1, ``<C>``) at every iteration.
        on_shots: Called with the shots of every sample drawn (``shots_used`` sums them).
    """

    def __init__(
        self,
        simulator: QAOASimulator,
        *,
        method: str,
        shots: int | None,
        max_iterations: int,
        rng: np.random.Generator,
        progress: Progress | None = None,
        on_iteration: OnIteration | None = None,
        on_shots: OnShots | None = None,
    ) -> None:
        self.simulator = simulator
        self.method = method
        self.shots = shots
        self.max_iterations = max_iterations
        self.rng = rng
        self.progress = progress
        self.on_iteration = on_iteration
        self.history: list[float] = []
        self.shots_used = 0
        self.on_shots = on_shots

    def estimate(self, gammas: Floats, betas: Floats) -> float:
        """``<C>`` at these angles: exact, or the mean over ``shots`` samples."""
        if self.shots is None:
            return self.simulator.expectation(gammas, betas)
        counts = self.sample(gammas, betas, self.shots)
        return float(counts @ self.simulator.cost) / self.shots

    def sample(self, gammas: Floats, betas: Floats, shots: int) -> np.ndarray:
        """How often each basis state comes up in ``shots`` samples of the QAOA state."""
        self.simulator.evaluations += 1
        probabilities = np.abs(self.simulator.state(gammas, betas)) ** 2
        counts = self.rng.multinomial(shots, probabilities / probabilities.sum())
        self.shots_used += shots
        if self.on_shots is not None:
            self.on_shots(shots)
        return counts

    def best_of(self, starts: Sequence[Angles], *, stage: int, stages: int) -> tuple[Angles, float]:
        """Optimises from every start and returns the best angles with their ``<C>``.

        Args:
            starts: Starting (gammas, betas), all of the same depth.
            stage: Which depth of the schedule this is, from 0, for the progress fraction.
            stages: How many depths the schedule has.
        """
        found = []
        for index, (gammas, betas) in enumerate(starts):
            label = f"p={len(gammas)}, start {index + 1}/{len(starts)}"
            fraction = (stage + index / len(starts)) / stages
            width = 1 / (stages * len(starts))
            found.append(self._optimise(np.concatenate([gammas, betas]), label, fraction, width))
        return max(found, key=lambda item: item[1])

    def _optimise(
        self, start: np.ndarray, label: str, fraction: float, width: float
    ) -> tuple[Angles, float]:
        p = len(start) // 2
        if self.max_iterations == 0:
            value = self.estimate(start[:p], start[p:])
            self._record(value, f"{label}: kept the starting angles", fraction + width)
            return (start[:p], start[p:]), value
        iteration = 0

        def callback(intermediate_result: OptimizeResult) -> None:
            nonlocal iteration
            iteration += 1
            done = fraction + width * min(1.0, iteration / self.max_iterations)
            value = -float(intermediate_result.fun)
            self._record(value, f"{label}: iteration {iteration}, <C> = {value:.6g}", done)

        options: dict[str, Any] = {"maxiter": self.max_iterations}
        if self.method == "L-BFGS-B":
            result = minimize(
                self._negative_with_gradient,
                start,
                jac=True,
                method="L-BFGS-B",
                callback=callback,
                options=options,
            )
        else:
            result = minimize(
                self._negative, start, method="COBYLA", callback=callback, options=options
            )
        x = np.asarray(result.x, dtype=float)
        return (x[:p], x[p:]), -float(result.fun)

    def _negative(self, x: np.ndarray) -> float:
        p = len(x) // 2
        return -self.estimate(x[:p], x[p:])

    def _negative_with_gradient(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        p = len(x) // 2
        value, grad = self.simulator.expectation_and_gradient(x[:p], x[p:])
        return -value, -grad

    def _record(self, value: float, message: str, fraction: float) -> None:
        self.history.append(value)
        if self.on_iteration is not None:
            self.on_iteration(len(self.history), value)
        if self.progress is not None:
            self.progress(fraction, message)
