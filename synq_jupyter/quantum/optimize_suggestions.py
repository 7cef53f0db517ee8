"""Measured changes to how a circuit is transpiled that make it cheaper or more reliable."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum.operation_fidelity import operation_fidelity
from synq_jupyter.quantum.targets import SynqTarget, get_target
from synq_jupyter.quantum.transpile import Progress, TranspileResult, check_fits, check_seed
from synq_jupyter.quantum.transpile_recipe import Recipe, drop_small_rotations
from synq_jupyter.quantum.transpile_strategy import Strategy

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

SEED = 11
SEED_TRIALS = 8
# Rotations |θ| below these are candidates for removal (each is tried and measured).
ROTATION_THRESHOLDS = (math.pi / 128, math.pi / 32)
# A candidate that should not change the operation must match it this closely.
EXACT = 1 - 1e-6
_TOLERANCE = 1e-9
# name -> (description, change to the baseline strategy)
_STRATEGY_CHANGES: dict[str, tuple[str, dict[str, Any]]] = {
    "optimization_level_3": ("transpile at optimization level 3", {"optimization_level": 3}),
    "seed_trials": (f"keep the best of {SEED_TRIALS} seeds", {"seed_trials": SEED_TRIALS}),
    "layout_dense": ("place qubits with the dense layout", {"layout_method": "dense"}),
    "layout_trivial": ("keep qubit i on physical qubit i", {"layout_method": "trivial"}),
    "routing_basic": ("route with the basic swap router", {"routing_method": "basic"}),
    "approximate_synthesis": ("synthesise to 0.99 fidelity", {"approximation_degree": 0.99}),
}
_PLACEMENT = {"layout_dense", "layout_trivial", "routing_basic"}
# pre-pass -> the operation that makes it worth trying (None: always)
_PRE_PASS_NEEDS = {
    "remove_barriers": "barrier",
    "remove_idle_resets": "reset",
    "cancel_gates": None,
}


@dataclass(frozen=True)
class Metrics:
    """The figures a suggestion is judged by, from a transpile report."""

    two_qubit_count: int
    depth: int
    estimated_success_probability: float

    @classmethod
    def of(cls, result: TranspileResult) -> Metrics:
        report = result.report
        return cls(report.two_qubit_count, report.depth, report.estimated_success_probability)


@dataclass(frozen=True)
class Suggestion:
    """A change that was applied and measured to help.

    ``fidelity`` is how closely the candidate implements the input's operation (1 for
    changes that keep it); ``check`` says how that was established: ``"operator"``,
    ``"statevector"``, ``"bound"`` (an analytic bound over the removed rotations) or
    ``"not checked"`` (too wide or not unitary; only exact Qiskit passes are kept then).
    ``success_gain`` compares ``fidelity`` times the estimated success probability with the
    baseline's.
    """

    name: str
    description: str
    before: Metrics
    after: Metrics
    fidelity: float
    check: str
    recipe: Recipe

    @property
    def two_qubit_saved(self) -> int:
        return self.before.two_qubit_count - self.after.two_qubit_count

    @property
    def success_gain(self) -> float:
        before = self.before.estimated_success_probability
        after = self.after.estimated_success_probability * self.fidelity
        return after / before - 1 if before > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "recipe": self.recipe.to_dict(),
            "two_qubit_saved": self.two_qubit_saved,
            "success_gain": self.success_gain,
        }


@dataclass(frozen=True)
class Trial:
    """A candidate that was tried, and why it was or was not suggested."""

    name: str
    accepted: bool
    reason: str
    after: Metrics | None = None


@dataclass(frozen=True)
class OptimizationSuggestions(Sequence[Suggestion]):
    """The suggestions for one circuit and target, best first, with what they beat."""

    target: str
    baseline: Metrics
    baseline_recipe: Recipe
    suggestions: list[Suggestion]
    trials: list[Trial] = field(default_factory=list)

    def __getitem__(self, index: Any) -> Any:
        return self.suggestions[index]

    def __len__(self) -> int:
        return len(self.suggestions)

    def __iter__(self) -> Iterator[Suggestion]:
        return iter(self.suggestions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "baseline": asdict(self.baseline),
            "baseline_recipe": self.baseline_recipe.to_dict(),
            "suggestions": [s.to_dict() for s in self.suggestions],
            "trials": [asdict(t) for t in self.trials],
        }


def suggest_optimizations(
    circuit: QuantumCircuit,
    target: str | SynqTarget,
    *,
    optimization_level: int = 2,
    seed: int = SEED,
    min_fidelity: float = 0.99,
    progress: Progress | None = None,
) -> OptimizationSuggestions:
    """Tries transformations of how ``circuit`` is transpiled and keeps those that help.

    The baseline is ``transpile_circuit`` at ``optimization_level`` with ``seed``. Each
    candidate is transpiled with the same seed and measured; it is suggested only when its
    success probability (times its fidelity to the input's operation) is strictly higher, or
    it has fewer two-qubit gates and that probability is not lower. Every candidate's
    operation is compared with the input's (see ``operation_fidelity``); a candidate that
    gives the same figures as one already suggested is left out.

    Args:
        circuit: The circuit to transpile.
        target: A catalogue name or target.
        optimization_level: Level of the baseline transpile.
        seed: Transpiler seed of the baseline and of every candidate.
        min_fidelity: Approximations below this fidelity are never suggested.
        progress: Called with (fraction done, message) after each candidate.

    Returns:
        The suggestions sorted by gain (success probability, then two-qubit gates saved),
        with every candidate tried.

    Raises:
        TargetError: The target is unknown or cannot run the circuit.
        SynqInputError: The level, seed or ``min_fidelity`` is out of range.
    """
    spec = target if isinstance(target, SynqTarget) else get_target(target)
    if not 0.0 < min_fidelity <= 1.0:
        raise SynqInputError("min_fidelity must be in (0, 1]", field="min_fidelity")
    check_fits(circuit, spec)
    base = Recipe(Strategy(optimization_level=optimization_level), check_seed(seed))
    before = Metrics.of(base.transpile(circuit, spec))
    candidates = _candidates(circuit, spec, base)
    suggestions: list[Suggestion] = []
    trials: list[Trial] = []
    for done, (name, description, recipe) in enumerate(candidates):
        prepared, dropped = recipe.prepare(circuit)
        result = recipe.strategy.transpile(prepared, spec, seed=recipe.seed)
        recipe = replace(recipe, strategy=replace(recipe.strategy, seed_trials=1))
        recipe = replace(recipe, seed=result.report.seed)
        after = Metrics.of(result)
        fidelity, check = operation_fidelity(circuit, result.circuit, dropped)
        exact = not dropped and recipe.strategy.approximation_degree == 1.0
        reason = _verdict(before, after, fidelity, check, exact, min_fidelity)
        # An exact candidate that passed the check is exact; rounding noise would only
        # reorder equal suggestions.
        fidelity = 1.0 if exact or fidelity is None else fidelity
        same = [s.name for s in suggestions if s.after == after and s.fidelity >= fidelity]
        reason = f"same result as {same[0]}" if reason is None and same else reason
        trials.append(Trial(name, reason is None, reason or "helps", after))
        if reason is None:
            suggestions.append(
                Suggestion(name, description, before, after, fidelity, check, recipe)
            )
        if progress is not None:
            progress((done + 1) / len(candidates), f"tried {name}")
    suggestions.sort(key=lambda s: (-s.success_gain, -s.two_qubit_saved, s.after.depth))
    return OptimizationSuggestions(spec.name, before, base, suggestions, trials)


def _candidates(
    circuit: QuantumCircuit, spec: SynqTarget, base: Recipe
) -> list[tuple[str, str, Recipe]]:
    """(name, description, recipe) of every transformation worth trying on ``circuit``."""
    recipes = []
    for name, (text, change) in _STRATEGY_CHANGES.items():
        if name in _PLACEMENT and spec.coupling_map is None:
            continue  # all-to-all: placement and routing cannot matter
        strategy = replace(base.strategy, **change)
        if strategy != base.strategy:
            recipes.append((name, text, replace(base, strategy=strategy)))
    names = {inst.operation.name for inst in circuit.data}
    exact = [p for p, op in _PRE_PASS_NEEDS.items() if op is None or op in names]
    recipes += [
        (p, f"run {p.replace('_', ' ')} first", replace(base, pre_passes=(p,))) for p in exact
    ]
    counts: set[int] = set()
    for threshold in ROTATION_THRESHOLDS:
        count = len(drop_small_rotations(circuit, threshold)[1])
        if count and count not in counts:
            counts.add(count)
            text = f"remove the {count} rotations with |angle| < {threshold:.3g}"
            recipe = replace(base, drop_rotations_below=threshold)
            recipes.append((f"drop_small_rotations_{threshold:.3g}", text, recipe))
    combined = Strategy(optimization_level=3, seed_trials=SEED_TRIALS)
    text = "the exact pre-passes, level 3 and the best of several seeds together"
    recipes.append(("combined", text, replace(base, strategy=combined, pre_passes=tuple(exact))))
    return recipes


def _verdict(
    before: Metrics,
    after: Metrics,
    fidelity: float | None,
    check: str,
    exact: bool,
    min_fidelity: float,
) -> str | None:
    """Why the candidate is not suggested, or ``None`` when it is."""
    if fidelity is None:
        if not exact:
            return f"approximation {check}"
        fidelity = 1.0
    elif exact and fidelity < EXACT:
        return f"changed the operation (fidelity {fidelity:.6f}, {check})"
    elif fidelity < min_fidelity:
        return f"fidelity {fidelity:.4f} is below {min_fidelity}"
    base_p = before.estimated_success_probability
    new_p = after.estimated_success_probability * fidelity
    if new_p > base_p * (1 + _TOLERANCE):
        return None
    if after.two_qubit_count < before.two_qubit_count and new_p >= base_p * (1 - _TOLERANCE):
        return None
    return "no better than the baseline"
