"""What a QAOA run should do: the problem, the depth and how to choose the angles."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from synq_jupyter.algorithms.problems import Problem
from synq_jupyter.algorithms.problems_input import integer, mapping, only_keys
from synq_jupyter.algorithms.qaoa_angles import fixed_angles
from synq_jupyter.algorithms.qaoa_simulator import MAX_QUBITS
from synq_jupyter.errors import SynqInputError

INITS = ("interp", "fixed", "random")
OPTIMIZERS = ("L-BFGS-B", "COBYLA")
MAX_DEPTH = 50
MAX_SEED = 2**31 - 1
MAX_SHOTS = 1_000_000
_KEYS = (
    "problem",
    "p",
    "init",
    "optimizer",
    "shots",
    "seed",
    "max_iterations",
    "restarts",
    "top_k",
)


@dataclass(frozen=True)
class QAOASpec:
    """A QAOA run, checked on construction.

    Attributes:
        problem: The problem, at most ``MAX_QUBITS`` variables.
        p: The depth (number of cost and mixer layers), 1 to ``MAX_DEPTH``.
        init: How the angles start. ``"interp"`` optimises p = 1 from a grid, then grows the
            depth one layer at a time with INTERP, re-optimising at each depth;
            ``"fixed"`` starts from the published fixed angles for regular MaxCut;
            ``"random"`` draws the starts.
        optimizer: ``"L-BFGS-B"`` (exact gradients, the default without shots) or
            ``"COBYLA"`` (derivative-free; the default, and the only choice, with shots).
        shots: ``None`` to optimise the exact expectation, or the number of samples each
            estimate of it draws, as hardware would.
        seed: Seeds every random choice; the same spec gives the same result. Drawn when
            ``None`` is given, and reported.
        max_iterations: Optimiser iterations per start and depth; 0 keeps the starting
            angles (``"fixed"`` without refinement).
        restarts: Starts per depth: the first is the heuristic's, the others perturb it (or,
            for ``"random"``, are fresh draws); the best end point is kept. One suffices for
            ``"interp"``, whose p = 1 grid already searches globally; ``"random"`` needs more.
        top_k: How many of the most likely bitstrings the result lists.

    Raises:
        SynqInputError: An option is out of range; ``field`` names it.
    """

    problem: Problem
    p: int = 1
    init: str = "interp"
    optimizer: str | None = None
    shots: int | None = None
    seed: int | None = None
    max_iterations: int = 200
    restarts: int = 1
    top_k: int = 32

    def __post_init__(self) -> None:
        if not isinstance(self.problem, Problem):
            raise SynqInputError("problem must be a Problem", field="problem")
        if self.problem.num_variables > MAX_QUBITS:
            raise SynqInputError(
                f"exact simulation handles at most {MAX_QUBITS} variables; this problem has "
                f"{self.problem.num_variables}",
                field="problem",
            )
        integer(self.p, "p", minimum=1, maximum=MAX_DEPTH)
        if self.init not in INITS:
            raise SynqInputError(f"init must be one of {', '.join(INITS)}", field="init")
        if self.shots is not None:
            integer(self.shots, "shots", minimum=1, maximum=MAX_SHOTS)
        default = "L-BFGS-B" if self.shots is None else "COBYLA"
        optimizer = default if self.optimizer is None else _optimizer(self.optimizer)
        if optimizer == "L-BFGS-B" and self.shots is not None:
            raise SynqInputError(
                "L-BFGS-B needs exact gradients; with shots use COBYLA", field="optimizer"
            )
        object.__setattr__(self, "optimizer", optimizer)
        seed = secrets.randbelow(MAX_SEED) if self.seed is None else self.seed
        object.__setattr__(self, "seed", integer(seed, "seed", minimum=0, maximum=MAX_SEED))
        integer(self.max_iterations, "max_iterations", minimum=0, maximum=10_000)
        integer(self.restarts, "restarts", minimum=1, maximum=50)
        integer(self.top_k, "top_k", minimum=1, maximum=1024)
        if self.init == "fixed":
            fixed_angles(self.problem, self.p)

    @property
    def num_qubits(self) -> int:
        """The qubits the QAOA circuit needs: one per variable."""
        return self.problem.num_variables

    @classmethod
    def from_dict(cls, data: Any) -> QAOASpec:
        """Validates a request body such as ``{"problem": {"type": "maxcut", ...}, "p": 2}``.

        Keys are the attribute names; ``problem`` is as ``Problem.from_dict`` takes it, and
        every other key is optional (``shots``, ``seed`` and ``optimizer`` may be null).

        Raises:
            SynqInputError: Anything is malformed; ``field`` names it (``"problem.edges"``,
                ``"p"`` ...).
        """
        data = mapping(data, "request")
        only_keys(data, _KEYS, "")
        if "problem" not in data:
            raise SynqInputError("the request needs a problem", field="problem")
        options = {key: value for key, value in data.items() if key != "problem"}
        return cls(problem=Problem.from_dict(data["problem"]), **options)


def _optimizer(name: Any) -> str:
    for known in OPTIMIZERS:
        if isinstance(name, str) and name.upper() == known:
            return known
    raise SynqInputError(f"optimizer must be one of {', '.join(OPTIMIZERS)}", field="optimizer")
