"""The quantum core: load, transpile, analyse and run circuits on catalogue targets.

Names are imported on first use, so that importing a submodule (or this package) does not
import Qiskit until something needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from synq_jupyter.lazy_exports import lazy_exports

_EXPORTS = {
    "FORMATS": "circuit_format",
    "detect_format": "circuit_format",
    "CircuitAnalysis": "analyze",
    "analyze_circuit": "analyze",
    "ParsedCircuit": "circuit_loading",
    "load_circuit": "circuit_loading",
    "parse_circuit": "circuit_loading",
    "SampleResult": "local_sampling",
    "run_local": "local_sampling",
    "SynqTarget": "targets",
    "get_target": "targets",
    "list_targets": "targets",
    "target_names": "targets",
    "TranspileResult": "transpile",
    "transpile_circuit": "transpile",
    "TranspileReport": "transpile_report",
}

__all__ = [
    "FORMATS",
    "CircuitAnalysis",
    "ParsedCircuit",
    "SampleResult",
    "SynqTarget",
    "TranspileReport",
    "TranspileResult",
    "analyze_circuit",
    "detect_format",
    "get_target",
    "list_targets",
    "load_circuit",
    "parse_circuit",
    "run_local",
    "target_names",
    "transpile_circuit",
]


__getattr__ = lazy_exports(__name__, _EXPORTS)


if TYPE_CHECKING:
    from synq_jupyter.quantum.analyze import CircuitAnalysis, analyze_circuit
    from synq_jupyter.quantum.circuit_format import FORMATS, detect_format
    from synq_jupyter.quantum.circuit_loading import ParsedCircuit, load_circuit, parse_circuit
    from synq_jupyter.quantum.local_sampling import SampleResult, run_local
    from synq_jupyter.quantum.targets import SynqTarget, get_target, list_targets, target_names
    from synq_jupyter.quantum.transpile import TranspileResult, transpile_circuit
    from synq_jupyter.quantum.transpile_report import TranspileReport
