"""IBM Eagle and Heron devices from qiskit-ibm-runtime's calibration snapshots."""

from __future__ import annotations

from qiskit.transpiler import Target


def brisbane() -> Target:
    """Eagle r3, 127 qubits, ECR, heavy-hex (snapshot ``FakeBrisbane``)."""
    from qiskit_ibm_runtime.fake_provider import FakeBrisbane

    return FakeBrisbane().target


def torino() -> Target:
    """Heron r1, 133 qubits, CZ, heavy-hex (snapshot ``FakeTorino``)."""
    from qiskit_ibm_runtime.fake_provider import FakeTorino

    return FakeTorino().target


def brisbane_repetition_delay() -> float:
    """Seconds the device waits between shots by default (``default_rep_delay``)."""
    from qiskit_ibm_runtime.fake_provider import FakeBrisbane

    return float(FakeBrisbane().configuration().default_rep_delay)


def torino_repetition_delay() -> float:
    """Seconds the device waits between shots by default (``default_rep_delay``)."""
    from qiskit_ibm_runtime.fake_provider import FakeTorino

    return float(FakeTorino().configuration().default_rep_delay)
