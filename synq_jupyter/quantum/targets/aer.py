"""Qiskit Aer simulator targets."""

from __future__ import annotations

from qiskit.transpiler import Target


def ideal() -> Target:
    """Aer's own target: every standard gate, all-to-all, control flow."""
    from qiskit_aer import AerSimulator

    return AerSimulator().target
