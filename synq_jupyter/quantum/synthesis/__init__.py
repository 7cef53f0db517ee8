"""Circuit synthesis from structured specs and plain English, with verification.

Names are imported on first use, so that importing this package does not import NumPy,
lark or Qiskit until something needs them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "UNDERSTOOD_FORMS": "english",
    "parse_description": "english",
    "KINDS": "spec",
    "SynthesisSpec": "spec",
    "SynthesisResult": "synthesis_result",
    "synthesize": "circuit_synthesis",
}

__all__ = [
    "KINDS",
    "UNDERSTOOD_FORMS",
    "SynthesisResult",
    "SynthesisSpec",
    "parse_description",
    "synthesize",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from synq_jupyter.quantum.synthesis.circuit_synthesis import synthesize
    from synq_jupyter.quantum.synthesis.english import UNDERSTOOD_FORMS, parse_description
    from synq_jupyter.quantum.synthesis.spec import KINDS, SynthesisSpec
    from synq_jupyter.quantum.synthesis.synthesis_result import SynthesisResult
