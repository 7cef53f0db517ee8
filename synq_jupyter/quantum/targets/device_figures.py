"""Build a Qiskit ``Target`` from a device's published median figures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qiskit.circuit import Delay, Gate, Measure, Parameter, Reset
from qiskit.providers import QubitProperties
from qiskit.transpiler import InstructionProperties, Target


@dataclass(frozen=True)
class DeviceFigures:
    """Median figures a vendor publishes for a device (errors are 1 - fidelity).

    Args:
        one_q_error: Error of a physical single-qubit gate.
        two_q_error: Error of the native two-qubit gate.
        readout_error: State preparation and measurement error.
        one_q_duration: Single-qubit gate time, seconds.
        two_q_duration: Two-qubit gate time, seconds.
        readout_duration: Measurement time, seconds.
        t1: Energy relaxation time, seconds.
        t2: Dephasing time, seconds.
    """

    one_q_error: float
    two_q_error: float
    readout_error: float
    one_q_duration: float
    two_q_duration: float
    readout_duration: float
    t1: float
    t2: float


def build_target(
    *,
    num_qubits: int,
    figures: DeviceFigures,
    one_q_gates: Sequence[Gate],
    two_q_gate: Gate,
    pairs: Iterable[tuple[int, int]],
    virtual_gates: Sequence[Gate] = (),
    dt: float | None = None,
) -> Target:
    """Returns a ``Target`` whose every qubit and pair carries the same median figures.

    Args:
        num_qubits: Number of physical qubits.
        figures: The device's published medians.
        one_q_gates: Physical single-qubit gates (carry ``one_q_error``).
        two_q_gate: The native two-qubit gate, added on every pair in ``pairs``.
        pairs: Directed qubit pairs the two-qubit gate acts on.
        virtual_gates: Single-qubit gates done in software (frame changes): no error, no time.
        dt: Sample time of the control electronics, if the device has one.
    """
    target = Target(
        num_qubits=num_qubits,
        dt=dt,
        qubit_properties=[QubitProperties(t1=figures.t1, t2=figures.t2)] * num_qubits,
    )
    qubits = range(num_qubits)
    for gate in virtual_gates:
        target.add_instruction(gate, {(q,): InstructionProperties(0.0, 0.0) for q in qubits})
    one_q = InstructionProperties(figures.one_q_duration, figures.one_q_error)
    for gate in one_q_gates:
        target.add_instruction(gate, {(q,): one_q for q in qubits})
    two_q = InstructionProperties(figures.two_q_duration, figures.two_q_error)
    target.add_instruction(two_q_gate, {tuple(pair): two_q for pair in pairs})
    readout = InstructionProperties(figures.readout_duration, figures.readout_error)
    target.add_instruction(Measure(), {(q,): readout for q in qubits})
    target.add_instruction(Reset(), {(q,): readout for q in qubits})
    target.add_instruction(Delay(Parameter("t")), {(q,): None for q in qubits})
    return target


def all_pairs(num_qubits: int) -> list[tuple[int, int]]:
    """Every ordered pair of distinct qubits: all-to-all connectivity."""
    return [(a, b) for a in range(num_qubits) for b in range(num_qubits) if a != b]


def square_lattice(rows: int, cols: int) -> list[tuple[int, int]]:
    """Nearest-neighbour pairs (both directions) of a ``rows`` x ``cols`` grid, row-major."""
    pairs: list[tuple[int, int]] = []
    for r in range(rows):
        for c in range(cols):
            q = r * cols + c
            if c + 1 < cols:
                pairs += [(q, q + 1), (q + 1, q)]
            if r + 1 < rows:
                pairs += [(q, q + cols), (q + cols, q)]
    return pairs
