"""Schemas of the circuit routes: parse, transpile, analyze."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from synq_jupyter_server.schemas.base import Request, Response

CircuitFormat = Literal["synq", "qasm2", "qasm3"]
MAX_SOURCE = 1_000_000
MAX_SEED = 2**31 - 1


class CircuitSource(Request):
    source: str = Field(
        min_length=1,
        max_length=MAX_SOURCE,
        description="The circuit in SynQ, OpenQASM 2 or OpenQASM 3.",
        examples=["qubit q[2]\nquantum bell_pair q[0], q[1]\nmeasure q[0] as a"],
    )
    format: CircuitFormat | None = Field(
        default=None, description="Format of `source`; detected from the text when null."
    )


class ParseRequest(CircuitSource):
    pass


class ParseResponse(Response):
    format: CircuitFormat
    qasm3: str = Field(description="The circuit as canonical OpenQASM 3.")
    num_qubits: int
    num_clbits: int
    ops: dict[str, int] = Field(description="Number of each operation, by name.")
    warnings: list[str] = []


class TranspileRequest(CircuitSource):
    target: str = Field(min_length=1, max_length=64, examples=["ibm_torino"])
    optimization_level: int = Field(default=2, ge=0, le=3)
    seed: int | None = Field(
        default=None, ge=0, le=MAX_SEED, description="Transpiler seed; drawn when null."
    )


class TranspileReport(Response):
    target: str
    optimization_level: int
    num_qubits: int
    ops: dict[str, int]
    depth: int
    two_qubit_count: int
    two_qubit_depth: int
    layout: list[int] = Field(description="Physical qubit of each input qubit at the start.")
    final_layout: list[int] = Field(description="Physical qubit of each input qubit at the end.")
    estimated_success_probability: float = Field(
        description="Product of (1 - error) over the gates and measurements."
    )
    estimated_duration_s: float | None = Field(
        description="Length of an as-soon-as-possible schedule with the device's gate durations; "
        "null on the ideal simulator, which has none."
    )
    seed: int
    versions: dict[str, str]
    fingerprint: str = Field(description="SHA-256 of the output circuit and layout.")


class TranspileResponse(Response):
    qasm3: str
    report: TranspileReport
    cached: bool = Field(description="True when served from an earlier identical transpile.")


def _once_each(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


MAX_TARGETS = 50
TargetNames = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=64)]],
    Field(max_length=MAX_TARGETS),
    # Each is a transpile: a name given twice is checked once (2,000 copies took 10 s).
    AfterValidator(_once_each),
]
"""Catalogue names to compare, each once, in the order given."""


class AnalyzeRequest(CircuitSource):
    targets: TargetNames | None = Field(
        default=None, description="Targets to check feasibility on; every target when null."
    )


class CriticalPathStep(Response):
    name: str
    qubits: list[int]


class Feasibility(Response):
    target: str
    feasible: bool
    reason: str | None = None
    two_qubit_count: int | None = None
    depth: int | None = None
    estimated_success_probability: float | None = None
    estimated_duration_s: float | None = None


class AnalyzeResponse(Response):
    num_qubits: int
    num_clbits: int
    depth: int
    ops: dict[str, int]
    two_qubit_count: int
    critical_path: list[CriticalPathStep]
    idle_qubits: list[int]
    t_count: int
    non_clifford_rotations: int
    feasibility: list[Feasibility]
