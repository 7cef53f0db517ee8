"""What running a circuit would cost on each target: feasibility, fidelity, time and price."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError, TargetError
from synq_jupyter.quantum.analyze import FEASIBILITY_SEED, target_feasibility
from synq_jupyter.quantum.targets import SynqTarget, get_target, list_targets
from synq_jupyter.quantum.targets.pricing import Pricing
from synq_jupyter.quantum.transpile import Progress, check_seed, whole

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

MAX_SHOTS = 1_000_000


@dataclass(frozen=True)
class CostRow:
    """One target's line of the comparison.

    ``estimated_run_time_s`` is shots times one shot's time: the transpiled circuit's
    scheduled duration plus the device's repetition delay between shots (IBM's
    ``default_rep_delay``). ``pricing.py`` documents no per-task time overhead, so none is
    added: the QPU time a provider bills also includes job setup, which makes per-second
    prices here lower bounds. ``price`` is ``None`` when the circuit cannot run on the target
    or, for per-second pricing, when the target knows no gate durations.
    """

    target: str
    provider: str
    simulator: bool
    feasible: bool
    reason: str | None
    two_qubit_count: int | None
    depth: int | None
    estimated_success_probability: float | None
    circuit_duration_s: float | None
    estimated_run_time_s: float | None
    price: float | None
    currency: str
    price_model: str
    price_formula: str | None
    price_source: str
    price_as_of: str


@dataclass(frozen=True)
class CostComparison:
    """The cost rows of one circuit over a set of targets, in catalogue order."""

    shots: int
    seed: int
    rows: list[CostRow]

    def row(self, target: str) -> CostRow:
        """The row of the target called ``target``.

        Raises:
            TargetError: No row has that name.
        """
        for row in self.rows:
            if row.target == target:
                return row
        raise TargetError(f"no cost row for {target!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def estimate_costs(
    circuit: QuantumCircuit,
    *,
    shots: int = 1000,
    targets: Sequence[str | SynqTarget] | None = None,
    seed: int = FEASIBILITY_SEED,
    progress: Progress | None = None,
) -> CostComparison:
    """Transpiles ``circuit`` for each target and prices ``shots`` shots of it there.

    Feasibility, gate counts and estimates come from the same level-2 transpile with a fixed
    seed that ``analyze_circuit`` runs. A circuit that measures nothing is priced as it runs:
    with every qubit measured at the end, as a run adds (readout error and time included).

    Args:
        circuit: The circuit to run.
        shots: Shots in the (single) task.
        targets: Catalogue names or targets; every catalogue target when ``None``.
        seed: Transpiler seed of the trial transpiles.
        progress: Called with (fraction done, message) before each target, and when done.

    Returns:
        One row per target, feasible or not.

    Raises:
        SynqInputError: ``shots``, ``seed`` or ``targets`` is invalid, or ``circuit`` is not a
            circuit.
        TargetError: A target name is unknown (``field="targets"``).
    """
    from qiskit import QuantumCircuit

    from synq_jupyter.quantum.local_sampling import with_measurements

    if not isinstance(circuit, QuantumCircuit):
        raise SynqInputError("expected a Qiskit QuantumCircuit", field="circuit")
    circuit, _ = with_measurements(circuit)
    checked = whole(shots, 1, MAX_SHOTS)
    if checked is None:
        raise SynqInputError(f"shots must be an integer from 1 to {MAX_SHOTS}", field="shots")
    shots = checked
    seed = check_seed(seed)
    specs = resolve_targets(targets)
    rows = []
    for done, spec in enumerate(specs):
        if progress is not None:
            progress(done / len(specs), f"estimating {spec.name} ({done + 1} of {len(specs)})")
        rows.append(_row(circuit, spec, shots, seed))
    if progress is not None:
        progress(1.0, "done")
    return CostComparison(shots=shots, seed=seed, rows=rows)


def resolve_targets(targets: Sequence[str | SynqTarget] | None) -> list[SynqTarget]:
    """The targets to compare: every one for ``None``; errors name the field ``targets``."""
    if targets is None:
        return list_targets()
    if isinstance(targets, str) or not targets:
        raise SynqInputError("targets must be a non-empty list of target names", field="targets")
    specs = []
    for target in targets:
        if isinstance(target, SynqTarget):
            specs.append(target)
            continue
        try:
            specs.append(get_target(target))
        except TargetError as exc:
            raise TargetError(exc.message, field="targets") from None
    return specs


def _row(circuit: QuantumCircuit, spec: SynqTarget, shots: int, seed: int) -> CostRow:
    fit = target_feasibility(circuit, spec, seed=seed)
    duration = fit.estimated_duration_s
    run_time = None
    if fit.feasible and duration is not None:
        run_time = shots * (duration + spec.repetition_delay_s)
    price, formula = _price(spec.pricing, shots, run_time) if fit.feasible else (None, None)
    return CostRow(
        target=spec.name,
        provider=spec.provider,
        simulator=spec.simulator,
        feasible=fit.feasible,
        reason=fit.reason,
        two_qubit_count=fit.two_qubit_count,
        depth=fit.depth,
        estimated_success_probability=fit.estimated_success_probability,
        circuit_duration_s=duration,
        estimated_run_time_s=run_time,
        price=price,
        currency=spec.pricing.currency,
        price_model=spec.pricing.model,
        price_formula=formula,
        price_source=spec.pricing.source,
        price_as_of=spec.pricing.as_of,
    )


def _price(pricing: Pricing, shots: int, run_time: float | None) -> tuple[float | None, str]:
    """The price of one task under ``pricing``'s model, and the sum that gives it."""
    if pricing.model == "per_shot":
        formula = (
            f"{pricing.per_task} per task + {shots} shots x {pricing.per_shot} per shot "
            f"({pricing.currency})"
        )
        return pricing.estimate(shots, tasks=1), formula
    if pricing.model == "per_second":
        if run_time is None:
            return None, "per-second pricing, but the target knows no gate durations"
        formula = f"{run_time:.6g} s x {pricing.per_second:.6g} per second ({pricing.currency})"
        return pricing.estimate(shots, seconds=run_time), formula
    return 0.0, "free"
