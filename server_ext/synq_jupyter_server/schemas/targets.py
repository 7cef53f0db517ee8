"""Schemas of the target catalogue."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from synq_jupyter_server.schemas.base import Response


class TargetSummary(Response):
    name: str
    provider: str
    description: str
    processor: str | None
    num_qubits: int
    simulator: bool
    region: str
    all_to_all: bool
    price_model: Literal["free", "per_shot", "per_second"]


class TargetList(Response):
    targets: list[TargetSummary]


class Calibration(Response):
    median_1q_error: float | None
    median_2q_error: float | None
    median_readout_error: float | None
    median_1q_duration_s: float | None
    median_2q_duration_s: float | None
    median_readout_duration_s: float | None
    median_t1_s: float | None
    median_t2_s: float | None


class Pricing(Response):
    model: Literal["free", "per_shot", "per_second"]
    currency: str
    per_task: float
    per_shot: float
    per_second: float
    source: str
    as_of: str


class Connectivity(Response):
    layout: Literal["lattice", "spring", "circle"] = Field(
        description="How the positions were found: device rows stacked, a spring layout, "
        "or a circle (all-to-all)."
    )
    positions: list[list[float]] = Field(
        description="Where to draw each qubit: [x, y] in the unit square, y downwards."
    )
    links: list[list[int]] = Field(description="Coupled qubit pairs [low, high], each once.")
    qubit_errors: list[float | None] = Field(description="Readout error of each qubit.")
    link_errors: list[float | None] = Field(
        description="Mean two-qubit gate error of each link, in the order of `links`."
    )


class TargetDetail(TargetSummary):
    location: str
    basis_gates: list[str]
    coupling_map: list[list[int]] | None = Field(
        description="Directed qubit pairs of the native 2-qubit gate; null means all-to-all."
    )
    supports_control_flow: bool
    calibration: Calibration
    calibration_source: str
    pricing: Pricing
    connectivity: Connectivity
