"""Classical optimisers for VQE: COBYLA and L-BFGS-B from SciPy, SPSA and Adam."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

OPTIMIZERS = ("cobyla", "l-bfgs-b", "spsa", "adam")
CALIBRATION_SAMPLES = 5


class Objective(Protocol):
    """An energy to minimise; the estimators of this package implement it."""

    def energy(self, theta: np.ndarray) -> float: ...

    def energies(self, points: np.ndarray) -> np.ndarray:
        """The energies at each row of ``points``, in one batch where that is cheaper."""
        ...

    def energy_and_gradient(self, theta: np.ndarray) -> tuple[float, np.ndarray]: ...


# Called after each iteration with (iteration from 1, parameters, energy); returns True
# to stop early.
IterationCallback = Callable[[int, np.ndarray, float], bool]


@dataclass(frozen=True)
class Minimum:
    """Where an optimiser stopped: the parameters and how many iterations it took."""

    x: np.ndarray
    iterations: int


def minimize(
    method: str,
    objective: Objective,
    x0: np.ndarray,
    *,
    max_iterations: int,
    rng: np.random.Generator,
    callback: IterationCallback,
) -> Minimum:
    """Minimises ``objective`` from ``x0`` with ``method``, one of ``OPTIMIZERS``.

    Args:
        method: ``"cobyla"`` (derivative-free), ``"l-bfgs-b"`` (quasi-Newton on the
            objective's gradient), ``"spsa"`` (two energies per iteration, whatever the
            number of parameters) or ``"adam"`` (first-order, on the gradient).
        objective: The energy and its gradient.
        x0: The starting parameters.
        max_iterations: At most this many iterations.
        rng: Randomness (SPSA's perturbations).
        callback: Called after each iteration; returning True stops the optimiser.

    Returns:
        The last parameters and the number of iterations done.
    """
    if method in ("cobyla", "l-bfgs-b"):
        return _scipy(method, objective, x0, max_iterations, callback)
    if method == "spsa":
        return spsa(objective, x0, max_iterations=max_iterations, rng=rng, callback=callback)
    if method == "adam":
        return adam(objective, x0, max_iterations=max_iterations, callback=callback)
    raise ValueError(f"unknown optimizer {method!r}")


def _scipy(
    method: str,
    objective: Objective,
    x0: np.ndarray,
    max_iterations: int,
    callback: IterationCallback,
) -> Minimum:
    from scipy.optimize import OptimizeResult
    from scipy.optimize import minimize as scipy_minimize

    iterations = 0

    def step(intermediate_result: OptimizeResult) -> None:
        nonlocal iterations
        iterations += 1
        stop = callback(iterations, intermediate_result.x, float(intermediate_result.fun))
        if stop or iterations >= max_iterations:
            raise StopIteration

    if method == "cobyla":
        # COBYLA counts evaluations, not iterations: the callback enforces the limit.
        options = {"maxiter": 10 * max_iterations + 100, "tol": 1e-8}
        result = scipy_minimize(
            objective.energy, x0, method="COBYLA", callback=step, options=options
        )
    else:
        options = {"maxiter": max_iterations, "ftol": 1e-12, "gtol": 1e-8}
        result = scipy_minimize(
            objective.energy_and_gradient,
            x0,
            jac=True,
            method="L-BFGS-B",
            callback=step,
            options=options,
        )
    return Minimum(np.asarray(result.x, dtype=float), iterations)


def spsa(
    objective: Objective,
    x0: np.ndarray,
    *,
    max_iterations: int,
    rng: np.random.Generator,
    callback: IterationCallback,
    perturbation: float = 0.15,
    first_step: float = 0.2,
    alpha: float = 0.602,
    gamma: float = 0.101,
) -> Minimum:
    """Simultaneous-perturbation stochastic approximation (Spall, 1998).

    Each iteration estimates the gradient from two energies at ``x ± c_k Δ`` with a random
    ±1 vector ``Δ``, then steps by ``a_k``, with Spall's gains ``a_k = a / (k + 1 + A)^α``
    and ``c_k = c / (k + 1)^γ``, ``A`` a tenth of the iterations. ``a`` is calibrated
    from a few gradient estimates at ``x0`` so that the first step moves each parameter by
    about ``first_step``.

    The energy reported for an iteration is the mean of its two evaluations.

    Args:
        objective: The energy; ``energies`` gets both points of an iteration at once.
        x0: The starting parameters.
        max_iterations: Iterations to run.
        rng: Draws the perturbation directions.
        callback: Called after each iteration; returning True stops.
        perturbation: ``c``, the first perturbation size.
        first_step: The size of the first update of each parameter.
        alpha: Decay exponent of the step size.
        gamma: Decay exponent of the perturbation size.
    """
    x = np.array(x0, dtype=float)
    stability = 0.1 * max_iterations
    # Every component of a simultaneous-perturbation gradient has size |f+ - f-| / 2c.
    samples = min(CALIBRATION_SAMPLES, max_iterations)
    deltas = rng.choice([-1.0, 1.0], size=(samples, len(x)))
    values = objective.energies(np.vstack([x + perturbation * deltas, x - perturbation * deltas]))
    magnitude = np.mean(np.abs(values[:samples] - values[samples:])) / (2 * perturbation)
    gain = first_step * (1 + stability) ** alpha / max(float(magnitude), 1e-8)
    for k in range(max_iterations):
        c_k = perturbation / (k + 1) ** gamma
        a_k = gain / (k + 1 + stability) ** alpha
        delta = rng.choice([-1.0, 1.0], size=len(x))
        plus, minus = objective.energies(np.vstack([x + c_k * delta, x - c_k * delta]))
        x = x - a_k * (plus - minus) / (2 * c_k) * delta
        energy = float(plus + minus) / 2
        if callback(k + 1, x, energy):
            return Minimum(x, k + 1)
    return Minimum(x, max_iterations)


def adam(
    objective: Objective,
    x0: np.ndarray,
    *,
    max_iterations: int,
    callback: IterationCallback,
    learning_rate: float = 0.05,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
    tolerance: float = 1e-8,
) -> Minimum:
    """Adam (Kingma & Ba, 2015) on the objective's gradient.

    Stops early once the gradient's norm falls below ``tolerance``. The energy reported
    for an iteration is the one at the parameters its gradient was taken at.

    Args:
        objective: The energy and its gradient.
        x0: The starting parameters.
        max_iterations: At most this many iterations.
        callback: Called after each iteration; returning True stops.
        learning_rate: The step size.
        beta1: Decay of the running mean of gradients.
        beta2: Decay of the running mean of squared gradients.
        epsilon: Keeps the step finite where the gradient vanishes.
        tolerance: Gradient norm below which the optimum is reached.
    """
    x = np.array(x0, dtype=float)
    first, second = np.zeros_like(x), np.zeros_like(x)
    for t in range(1, max_iterations + 1):
        energy, g = objective.energy_and_gradient(x)
        if np.linalg.norm(g) < tolerance:
            callback(t, x, energy)
            return Minimum(x, t)
        first = beta1 * first + (1 - beta1) * g
        second = beta2 * second + (1 - beta2) * g**2
        step = first / (1 - beta1**t) / (np.sqrt(second / (1 - beta2**t)) + epsilon)
        x = x - learning_rate * step
        if callback(t, x, energy):
            return Minimum(x, t)
    return Minimum(x, max_iterations)
