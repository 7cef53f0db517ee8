"""Energies, standard errors and parameter-shift gradients from batches of estimator PUBs."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from synq_jupyter.algorithms.vqe_program import RotationProgram

SHIFT = np.pi / 2


class ShiftRuleEstimator(ABC):
    """⟨ψ(θ)|H|ψ(θ)⟩ from a primitive that estimates it at many angle sets per call.

    Gradients use the two-term parameter-shift rule on each rotation angle of ``program``
    (every shifted point in the same call as the energy) and the chain rule to the circuit
    parameters. Subclasses say where the points are estimated.

    Args:
        program: The ansatz as rotations.
        on_shots: Called with the shots each primitive call spent, as its results count them.

    Attributes:
        evaluations: Parameter sets estimated so far (each shifted point counts).
        shots_used: Shots spent so far, as the primitive's results count them.
    """

    def __init__(
        self, program: RotationProgram, on_shots: Callable[[int], None] | None = None
    ) -> None:
        self.program = program
        self.evaluations = 0
        self.shots_used = 0
        self._on_shots = on_shots

    def energy(self, theta: np.ndarray) -> float:
        """An estimated energy at circuit parameters ``theta``."""
        return self.estimate(theta)[0]

    def energies(self, points: np.ndarray) -> np.ndarray:
        """Estimated energies at each row of ``points``, from one primitive call."""
        angles = np.array([self.program.angles(theta) for theta in points])
        return self._count(angles)[0]

    def estimate(self, theta: np.ndarray) -> tuple[float, float]:
        """An estimated energy and its standard error."""
        values, errors = self._count(self.program.angles(theta)[None, :])
        return float(values[0]), float(errors[0])

    def energy_and_gradient(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """An estimated energy and the parameter-shift gradient, from one primitive call."""
        angles = self.program.angles(theta)
        moving = np.flatnonzero(np.any(self.program.weights != 0, axis=1))
        shifts = np.zeros((2 * len(moving), len(angles)))
        shifts[np.arange(len(moving)), moving] = SHIFT
        shifts[len(moving) + np.arange(len(moving)), moving] = -SHIFT
        values, _ = self._count(np.vstack([angles, angles + shifts]))
        slopes = np.zeros(len(angles))
        slopes[moving] = (values[1 : 1 + len(moving)] - values[1 + len(moving) :]) / 2
        return float(values[0]), self.program.weights.T @ slopes

    def _count(self, angles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self.evaluations += len(angles)
        return self._run(angles)

    def _spent(self, pub_results: Sequence[Any], shots: int) -> None:
        """Counts the shots of one primitive call: each result's ``metadata["shots"]`` (the
        primitive's own count per point, ``shots`` when it gives none) times its points."""
        spent = sum(
            int(getattr(r, "metadata", {}).get("shots", shots)) * int(np.size(r.data.evs))
            for r in pub_results
        )
        self.shots_used += spent
        if self._on_shots is not None and spent:
            self._on_shots(spent)

    @abstractmethod
    def _run(self, angles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The energies and standard errors at each row of rotation ``angles``."""
