"""What a ``%%synq --name var`` cell stores in the user namespace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

    from synq_jupyter.quantum.local_sampling import SampleResult
    from synq_jupyter.quantum.transpile_report import TranspileReport


@dataclass(frozen=True)
class CellResult:
    """The circuit a cell built, its transpiled form and report (with ``--target``), and
    the result of running it.

    Attributes:
        circuit: The circuit as written in the cell.
        transpiled: The circuit transpiled for the target, or ``None`` on the ideal simulator.
        report: The transpile report, or ``None`` on the ideal simulator.
        result: Counts and how they were obtained.
    """

    circuit: QuantumCircuit
    transpiled: QuantumCircuit | None
    report: TranspileReport | None
    result: SampleResult

    @property
    def counts(self) -> dict[str, int]:
        return self.result.counts
