"""Rigetti Ankaa-class processor: an 84-qubit square lattice built as a Qiskit ``Target``."""

from __future__ import annotations

from qiskit.circuit import Parameter
from qiskit.circuit.library import RZGate, SXGate, XGate, iSwapGate
from qiskit.transpiler import Target

from synq_jupyter.quantum.targets.device_figures import (
    DeviceFigures,
    build_target,
    square_lattice,
)

# Ankaa-3: 84 tunable transmons on a square lattice with tunable couplers (7 x 12).
# Native gates: RX(±π/2), RX(π) - Qiskit's sx and x, equal up to global phase - virtual RZ,
# and ISWAP. Sources: Rigetti Computing, "Rigetti Launches 84-Qubit Ankaa-3 System;
# Achieves 99.5% Median Two-Qubit Gate Fidelity", press release, 2024-12-23 (median iSWAP
# fidelity 99.5%, 1Q fidelity 99.9%); durations and coherence are the medians Rigetti lists
# for Ankaa-class devices on Amazon Braket's device page (read 2025-06).
ANKAA_ROWS = 7
ANKAA_COLS = 12
ANKAA_3 = DeviceFigures(
    one_q_error=0.001,
    two_q_error=0.005,
    readout_error=0.03,
    one_q_duration=40e-9,
    two_q_duration=72e-9,
    readout_duration=1.2e-6,
    t1=22e-6,
    t2=19e-6,
)


def ankaa() -> Target:
    return build_target(
        num_qubits=ANKAA_ROWS * ANKAA_COLS,
        figures=ANKAA_3,
        one_q_gates=[SXGate(), XGate()],
        two_q_gate=iSwapGate(),
        pairs=square_lattice(ANKAA_ROWS, ANKAA_COLS),
        virtual_gates=[RZGate(Parameter("θ"))],
    )
