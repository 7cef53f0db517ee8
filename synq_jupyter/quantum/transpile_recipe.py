"""A reproducible transpile: pre-passes, rotations removed, strategy and seed."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum.targets import SynqTarget
from synq_jupyter.quantum.transpile import TranspileResult, check_seed
from synq_jupyter.quantum.transpile_strategy import Strategy

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.transpiler.basepasses import BasePass

_ROTATIONS = {"rx", "ry", "rz", "p", "u1", "cp", "cu1", "crx", "cry", "crz"}
_ROTATIONS |= {"rxx", "ryy", "rzz", "rzx"}


def _pre_passes() -> dict[str, Callable[[], list[BasePass]]]:
    from qiskit.transpiler import passes

    return {
        "remove_barriers": lambda: [passes.RemoveBarriers()],
        "remove_idle_resets": lambda: [passes.RemoveResetInZeroState(), passes.RemoveFinalReset()],
        "cancel_gates": lambda: [
            passes.InverseCancellation(),
            passes.CommutativeInverseCancellation(),
            passes.CommutativeCancellation(),
            passes.Optimize1qGatesDecomposition(basis=["u"]),
        ],
    }


@dataclass(frozen=True)
class Recipe:
    """Everything needed to reproduce one transpile of a circuit.

    ``pre_passes`` (``remove_barriers``, ``remove_idle_resets``, ``cancel_gates``) run on the
    input circuit first; then rotations with ``|θ| < drop_rotations_below`` are removed;
    then ``strategy`` runs with ``seed``.

    Raises:
        SynqInputError: A pre-pass name is unknown (when the recipe is applied).
    """

    strategy: Strategy
    seed: int
    pre_passes: tuple[str, ...] = ()
    drop_rotations_below: float = 0.0

    def prepare(self, circuit: QuantumCircuit) -> tuple[QuantumCircuit, list[float]]:
        """The circuit the strategy transpiles, and the angles of the rotations removed."""
        from qiskit.transpiler import PassManager

        known = _pre_passes()
        unknown = [name for name in self.pre_passes if name not in known]
        if unknown:
            raise SynqInputError(f"unknown pre-passes {unknown}", field="pre_passes")
        passes = [p for name in self.pre_passes for p in known[name]()]
        prepared = PassManager(passes).run(circuit) if passes else circuit
        if self.drop_rotations_below <= 0:
            return prepared, []
        return drop_small_rotations(prepared, self.drop_rotations_below)

    def transpile(self, circuit: QuantumCircuit, target: str | SynqTarget) -> TranspileResult:
        """Re-runs the recipe: the same input, target and recipe give the same output."""
        prepared, _ = self.prepare(circuit)
        return self.strategy.transpile(prepared, target, seed=self.seed)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pre_passes": list(self.pre_passes)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Recipe:
        return cls(
            strategy=Strategy(**data["strategy"]),
            seed=check_seed(data["seed"]),
            pre_passes=tuple(data.get("pre_passes", ())),
            drop_rotations_below=float(data.get("drop_rotations_below", 0.0)),
        )


def drop_small_rotations(
    circuit: QuantumCircuit, threshold: float
) -> tuple[QuantumCircuit, list[float]]:
    """A copy of ``circuit`` without the rotations whose angle is below ``threshold``.

    Gates on three or more qubits (a ``QFTGate``, say) are unrolled first, so that the
    rotations inside them count.

    Returns:
        The new circuit and the angles removed (rotations with free parameters stay).
    """
    from qiskit.transpiler import PassManager
    from qiskit.transpiler.passes import Unroll3qOrMore

    flat = PassManager([Unroll3qOrMore()]).run(circuit)
    kept = flat.copy_empty_like()
    dropped: list[float] = []
    for inst in flat.data:
        op = inst.operation
        if op.name in _ROTATIONS and len(op.params) == 1:
            try:
                angle = float(op.params[0])
            except TypeError:
                angle = math.inf
            if abs(angle) < threshold:
                dropped.append(angle)
                continue
        kept.append(inst)
    return kept, dropped
