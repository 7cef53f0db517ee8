"""A device or simulator that circuits can be transpiled for and estimated on."""

from __future__ import annotations

import statistics
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from synq_jupyter.quantum.circuit_metrics import Calibration, calibration_table
from synq_jupyter.quantum.targets.pricing import Pricing

if TYPE_CHECKING:
    from qiskit.transpiler import Target
    from qiskit.transpiler.basepasses import BasePass

# Instructions every Qiskit target may list that are not gates a user would call "basis".
_NON_BASIS = {"delay", "reset", "measure", "barrier"}
CONTROL_FLOW = frozenset(
    ("if_else", "for_loop", "while_loop", "switch_case", "break_loop", "continue_loop", "box")
)
"""Qiskit's control-flow operations: what a target lists beside its gates, and what
``check_fits`` compares with a circuit's."""


@dataclass(frozen=True)
class Region:
    """Where a target's hardware runs, for data-residency decisions."""

    code: str
    location: str


@dataclass(eq=False)
class SynqTarget:
    """A named target: metadata, prices, and a lazily built Qiskit ``Target``.

    Args:
        name: Catalogue name used by the API and the magics (``ibm_torino``).
        provider: ``aer``, ``ibm``, ``ionq`` or ``rigetti``.
        description: One line for people.
        region: Where the device runs.
        simulator: True for simulators.
        pricing: The provider's published prices.
        calibration_source: Where the error rates and durations come from.
        builder: Builds the Qiskit ``Target`` on first use.
        processor: Processor family name (``Heron r1``), if any.
        native_passes: Provider passes that simplify the native gates further, run after
            Qiskit's optimization stage at optimization level 1 and above.
        repetition_delay: Returns the seconds the device idles between two shots (IBM's
            ``default_rep_delay``), which its billed time includes; none when not given.
    """

    name: str
    provider: str
    description: str
    region: Region
    simulator: bool
    pricing: Pricing
    calibration_source: str
    builder: Callable[[], Target]
    processor: str | None = None
    native_passes: Callable[[], list[BasePass]] | None = None
    repetition_delay: Callable[[], float] | None = None
    _target: Target | None = field(default=None, init=False, repr=False)
    _calibration: Calibration | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def qiskit_target(self) -> Target:
        """The Qiskit ``Target`` (built once, then shared)."""
        with self._lock:
            if self._target is None:
                self._target = self.builder()
            return self._target

    @property
    def calibration_table(self) -> Calibration:
        """``(name, qubits) -> (error, duration)`` of every calibrated instruction, built once."""
        with self._lock:
            if self._calibration is None:
                target = self._target or self.builder()
                self._target = target
                self._calibration = calibration_table(target)
            return self._calibration

    @property
    def repetition_delay_s(self) -> float:
        """Seconds between two shots on the device; 0 when it does not say."""
        return self.repetition_delay() if self.repetition_delay is not None else 0.0

    @property
    def num_qubits(self) -> int:
        return int(self.qiskit_target.num_qubits or 0)

    @property
    def basis_gates(self) -> list[str]:
        """Gate names the device executes natively, without measurement or control flow."""
        from qiskit.circuit import Gate

        target = self.qiskit_target
        return sorted(
            name
            for name in target.operation_names
            if name not in _NON_BASIS
            and name not in CONTROL_FLOW
            and isinstance(target.operation_from_name(name), Gate)
        )

    @property
    def supports_control_flow(self) -> bool:
        """True when the device runs mid-circuit measurement feedback (``if_else``)."""
        return "if_else" in self.qiskit_target.operation_names

    @property
    def coupling_map(self) -> list[list[int]] | None:
        """Directed pairs that a 2-qubit gate can act on; ``None`` means all-to-all."""
        cmap = self.qiskit_target.build_coupling_map()
        if cmap is None:
            return None
        edges = sorted({(int(a), int(b)) for a, b in cmap.get_edges()})
        n = self.num_qubits
        if len(edges) == n * (n - 1):
            return None
        return [[a, b] for a, b in edges]

    def calibration(self) -> dict[str, float | None]:
        """Median error rates, durations and coherence times over the device."""
        target = self.qiskit_target
        one_q: list[float] = []
        two_q: list[float] = []
        readout: list[float] = []
        one_q_time: list[float] = []
        two_q_time: list[float] = []
        readout_time: list[float] = []
        for name in target.operation_names:
            if name in CONTROL_FLOW or name in {"delay", "reset", "barrier"}:
                continue
            for qargs, props in target[name].items():
                if props is None or qargs is None:
                    continue
                if name == "measure":
                    _append(readout, props.error)
                    _append(readout_time, props.duration)
                elif len(qargs) == 1 and name != "rz":
                    # rz is a virtual frame change on every target in the catalogue.
                    _append(one_q, props.error)
                    _append(one_q_time, props.duration)
                elif len(qargs) == 2:
                    _append(two_q, props.error)
                    _append(two_q_time, props.duration)
        t1 = [p.t1 for p in (target.qubit_properties or []) if p is not None and p.t1]
        t2 = [p.t2 for p in (target.qubit_properties or []) if p is not None and p.t2]
        return {
            "median_1q_error": _median(one_q),
            "median_2q_error": _median(two_q),
            "median_readout_error": _median(readout),
            "median_1q_duration_s": _median(one_q_time),
            "median_2q_duration_s": _median(two_q_time),
            "median_readout_duration_s": _median(readout_time),
            "median_t1_s": _median(t1),
            "median_t2_s": _median(t2),
        }

    def summary(self) -> dict[str, Any]:
        """The catalogue entry: what a list of targets shows for this one."""
        return {
            "name": self.name,
            "provider": self.provider,
            "description": self.description,
            "processor": self.processor,
            "num_qubits": self.num_qubits,
            "simulator": self.simulator,
            "region": self.region.code,
            "all_to_all": self.coupling_map is None,
            "price_model": self.pricing.model,
        }

    def detail(self) -> dict[str, Any]:
        """The full description: qubits, basis, connectivity, error rates, region, prices."""
        return {
            **self.summary(),
            "location": self.region.location,
            "basis_gates": self.basis_gates,
            "coupling_map": self.coupling_map,
            "supports_control_flow": self.supports_control_flow,
            "calibration": self.calibration(),
            "calibration_source": self.calibration_source,
            "pricing": self.pricing.to_dict(),
            "connectivity": self.connectivity(),
        }

    def connectivity(self) -> dict[str, Any]:
        """The coupling graph laid out for drawing, with readout and link errors."""
        from synq_jupyter.quantum.targets.connectivity import connectivity

        return connectivity(self.num_qubits, self.coupling_map, self.calibration_table)


def _append(values: list[float], value: float | None) -> None:
    if value is not None:
        values.append(float(value))


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None
