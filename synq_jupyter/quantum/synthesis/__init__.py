"""Circuit synthesis from structured specs and plain English, with verification.

Names are imported on first use, so that importing this package does not import NumPy,
lark or Qiskit until something needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from synq_jupyter.lazy_exports import lazy_exports

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


__getattr__ = lazy_exports(__name__, _EXPORTS)


if TYPE_CHECKING:
    from synq_jupyter.quantum.synthesis.circuit_synthesis import synthesize
    from synq_jupyter.quantum.synthesis.english import UNDERSTOOD_FORMS, parse_description
    from synq_jupyter.quantum.synthesis.spec import KINDS, SynthesisSpec
    from synq_jupyter.quantum.synthesis.synthesis_result import SynthesisResult
