"""The outcome of a VQE run, as plain values."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class VQEResult:
    """What a VQE run found, and how.

    Attributes:
        energy: The energy at ``optimal_parameters`` (sampled, for sampled estimators;
            measured on the device, for hardware).
        exact_energy: The lowest eigenvalue the ansatz could reach — in the reference's
            electron sector for UCCSD, over all states otherwise — by sparse
            diagonalisation; ``None`` above 14 qubits.
        error: ``energy - exact_energy``, or ``None``.
        std_error: The standard error of ``energy``; ``None`` when it is exact.
        optimal_parameters: The ansatz parameters the optimiser ended at.
        evaluations: Energy evaluations: states prepared (with their gradient, for the
            statevector estimator) or parameter sets sampled, including shifted ones.
        iterations: Optimiser iterations completed.
        history: The energy after each iteration, as the optimiser saw it.
        num_qubits: Width of the Hamiltonian.
        num_parameters: Parameters of the ansatz.
        ansatz: The ansatz name.
        reps: The ansatz layers.
        optimizer: The optimiser name.
        estimator: ``"statevector"``, ``"shots"``, ``"noisy"`` or ``"hardware"``.
        shots: Samples per energy, or ``None`` for statevector.
        target: The device whose noise was simulated or that ran the circuits, or ``None``.
        seed: The seed that reproduces the run.
        hf_energy: The reference (Hartree–Fock) energy when the problem has electrons.
        stopped: Whether the run was stopped early on request.
        shots_used: Shots spent in all, as the estimator's results count them (0 for
            statevector): what the run cost on a device, or on a plan's monthly shots.
    """

    energy: float
    exact_energy: float | None
    error: float | None
    std_error: float | None
    optimal_parameters: tuple[float, ...]
    evaluations: int
    iterations: int
    history: tuple[float, ...]
    num_qubits: int
    num_parameters: int
    ansatz: str
    reps: int
    optimizer: str
    estimator: str
    shots: int | None
    target: str | None
    seed: int
    hf_energy: float | None = None
    stopped: bool = False
    shots_used: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready values (lists, floats, ints, strings, None)."""
        out = asdict(self)
        out["optimal_parameters"] = [float(x) for x in self.optimal_parameters]
        out["history"] = [float(x) for x in self.history]
        return out
