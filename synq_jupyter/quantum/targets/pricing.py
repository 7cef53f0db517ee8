"""Published prices of the hardware targets, with their source and date."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

PriceModel = Literal["free", "per_shot", "per_second"]


@dataclass(frozen=True)
class Pricing:
    """How a provider charges for running circuits on a device.

    Args:
        model: ``"free"`` (local simulators), ``"per_shot"`` (a fee per task plus a fee per
            shot) or ``"per_second"`` (QPU time).
        currency: ISO 4217 code of the figures.
        per_task: Fee charged once per submitted task (circuit), for ``per_shot``.
        per_shot: Fee charged per shot, for ``per_shot``.
        per_second: Fee per second of QPU time, for ``per_second``.
        source: Where the figures are published.
        as_of: Date (ISO 8601) on which the figures were read from the source.
    """

    model: PriceModel
    currency: str = "USD"
    per_task: float = 0.0
    per_shot: float = 0.0
    per_second: float = 0.0
    source: str = ""
    as_of: str = ""

    def estimate(self, shots: int, tasks: int = 1, seconds: float = 0.0) -> float:
        """Price of ``tasks`` tasks of ``shots`` shots each, or of ``seconds`` of QPU time."""
        if self.model == "per_shot":
            return tasks * (self.per_task + shots * self.per_shot)
        if self.model == "per_second":
            return seconds * self.per_second
        return 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


FREE = Pricing(model="free", source="runs locally on Qiskit Aer", as_of="2026-11-26")

# Amazon Braket on-demand QPU pricing page (aws.amazon.com/braket/pricing), read 2025-06:
# every QPU task costs 0.30 USD; the per-shot fee depends on the QPU family.
_BRAKET = "Amazon Braket on-demand QPU pricing (aws.amazon.com/braket/pricing)"
IONQ_ARIA = Pricing(model="per_shot", per_task=0.30, per_shot=0.03, source=_BRAKET, as_of="2025-06")
IONQ_FORTE = Pricing(
    model="per_shot", per_task=0.30, per_shot=0.08, source=_BRAKET, as_of="2025-06"
)
RIGETTI_ANKAA = Pricing(
    model="per_shot", per_task=0.30, per_shot=0.0009, source=_BRAKET, as_of="2025-06"
)

# IBM Quantum Platform, Pay-As-You-Go plan: 96 USD per minute of QPU usage.
IBM_PAYG = Pricing(
    model="per_second",
    per_second=96.0 / 60.0,
    source="IBM Quantum Platform plans, Pay-As-You-Go (quantum.cloud.ibm.com/pricing)",
    as_of="2025-06",
)
