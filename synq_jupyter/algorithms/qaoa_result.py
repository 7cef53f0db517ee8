"""The outcome of a QAOA run: the angles, the distribution and how good it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class QAOAResult:
    """A QAOA run's result; ``to_dict`` gives plain JSON.

    Bitstrings are in Qiskit order: the rightmost character is variable (qubit) 0.

    Attributes:
        problem: The problem's type, size and sense (``Problem.to_dict``).
        p: The depth.
        gammas: The cost angle of each layer.
        betas: The mixer angle of each layer.
        expectation: ``<C>`` at those angles; with shots, the mean over the final samples.
        best_bitstring: The highest-objective bitstring among those listed in
            ``distribution`` (exact) or among all those sampled (shots).
        best_objective: Its objective C (for ``mis``, the set size when it is feasible).
        feasible: Whether ``best_bitstring`` satisfies the constraints (only ``mis`` has any).
        distribution: The ``top_k`` most likely bitstrings, most likely first, each as
            ``{"bitstring", "probability", "objective", "feasible"}``.
        c_max: The largest objective found classically.
        c_min: The smallest objective found classically.
        c_max_method: ``"brute_force"`` (exact, up to 20 variables) or ``"local_search"``.
        c_max_bitstring: A bitstring reaching ``c_max``.
        approximation_ratio: ``expectation / c_max`` when ``c_max > 0`` (MaxCut, MIS);
            otherwise ``(expectation - c_min) / (c_max - c_min)``, as ``ratio_definition`` says.
        ratio_definition: The formula used for ``approximation_ratio``.
        init: How the angles started.
        optimizer: The SciPy method.
        shots: Samples per estimate, or ``None`` for exact simulation.
        seed: The seed that reproduces this result.
        evaluations: How many times the QAOA state was simulated.
        history: ``<C>`` at every optimiser iteration, over all depths and starts (with
            ``max_iterations`` 0, one entry per start: its value).
        by_depth: The optimum of each depth optimised (1 to p for ``"interp"``, else p
            alone), as ``{"p", "gammas", "betas", "expectation", "approximation_ratio"}``;
            with shots the expectation is the optimiser's last estimate.
        shots_used: Samples drawn in all (every estimate's and the final distribution's);
            0 for exact simulation.
    """

    problem: dict[str, Any]
    p: int
    gammas: list[float]
    betas: list[float]
    expectation: float
    best_bitstring: str
    best_objective: float
    feasible: bool
    distribution: list[dict[str, Any]]
    c_max: float
    c_min: float
    c_max_method: str
    c_max_bitstring: str
    approximation_ratio: float
    ratio_definition: str
    init: str
    optimizer: str
    shots: int | None
    seed: int
    evaluations: int
    history: list[float] = field(default_factory=list)
    by_depth: list[dict[str, Any]] = field(default_factory=list)
    shots_used: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready built-in types."""
        return {
            "problem": dict(self.problem),
            "p": self.p,
            "gammas": [float(g) for g in self.gammas],
            "betas": [float(b) for b in self.betas],
            "expectation": float(self.expectation),
            "best_bitstring": self.best_bitstring,
            "best_objective": float(self.best_objective),
            "feasible": bool(self.feasible),
            "distribution": [dict(entry) for entry in self.distribution],
            "c_max": float(self.c_max),
            "c_min": float(self.c_min),
            "c_max_method": self.c_max_method,
            "c_max_bitstring": self.c_max_bitstring,
            "approximation_ratio": float(self.approximation_ratio),
            "ratio_definition": self.ratio_definition,
            "init": self.init,
            "optimizer": self.optimizer,
            "shots": self.shots,
            "seed": self.seed,
            "evaluations": self.evaluations,
            "history": [float(value) for value in self.history],
            "by_depth": [dict(entry) for entry in self.by_depth],
            "shots_used": self.shots_used,
        }


def approximation_ratio(expectation: float, c_max: float, c_min: float) -> tuple[float, str]:
    """``<C> / C_max`` for objectives with a positive maximum, else the min-max normalised form."""
    if c_max > 0:
        return expectation / c_max, "expectation / c_max"
    if c_max > c_min:
        return (expectation - c_min) / (c_max - c_min), "(expectation - c_min) / (c_max - c_min)"
    return 1.0, "constant objective"
