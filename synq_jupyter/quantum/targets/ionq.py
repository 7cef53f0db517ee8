"""IonQ Aria and Forte, with IonQ's native gates from qiskit-ionq."""

from __future__ import annotations

from qiskit.circuit import Parameter
from qiskit.transpiler import Target
from qiskit.transpiler.basepasses import BasePass

from synq_jupyter.quantum.targets.device_figures import DeviceFigures, all_pairs, build_target

# Published mean figures (IonQ system specifications and the v0.3 characterization API,
# /characterizations/backends/{backend}/current, read 2025-06). Fidelities there are
# averages; errors here are 1 - fidelity.
ARIA = DeviceFigures(
    one_q_error=0.0005,
    two_q_error=0.006,
    readout_error=0.0039,
    one_q_duration=135e-6,
    two_q_duration=600e-6,
    readout_duration=300e-6,
    t1=100.0,
    t2=1.0,
)
FORTE = DeviceFigures(
    one_q_error=0.0002,
    two_q_error=0.004,
    readout_error=0.005,
    one_q_duration=130e-6,
    two_q_duration=970e-6,
    readout_duration=150e-6,
    t1=100.0,
    t2=1.0,
)
ARIA_QUBITS = 25
FORTE_QUBITS = 36


def ionq_target(num_qubits: int, figures: DeviceFigures, two_qubit: str) -> Target:
    """IonQ native gateset: GPI, GPI2 and MS (Aria) or ZZ (Forte), all-to-all.

    qiskit-ionq's own backends ask IonQ's cloud for the qubit count and fall back to 4
    qubits when it cannot be reached, so the target is built here with the device's real
    width, using qiskit-ionq's gate classes and its equivalence rules.
    """
    from qiskit_ionq import ionq_equivalence_library
    from qiskit_ionq.ionq_gates import GPI2Gate, GPIGate, MSGate, ZZGate

    # Teach Qiskit's basis translator how standard gates map onto IonQ's natives.
    ionq_equivalence_library.add_equivalences()
    phi = Parameter("φ")
    if two_qubit == "ms":
        gate = MSGate(Parameter("φ0"), Parameter("φ1"), Parameter("θ"))
    else:
        gate = ZZGate(Parameter("θ"))
    return build_target(
        num_qubits=num_qubits,
        figures=figures,
        one_q_gates=[GPIGate(phi), GPI2Gate(phi)],
        two_q_gate=gate,
        pairs=all_pairs(num_qubits),
    )


def aria() -> Target:
    return ionq_target(ARIA_QUBITS, ARIA, "ms")


def forte() -> Target:
    return ionq_target(FORTE_QUBITS, FORTE, "zz")


def native_passes() -> list[BasePass]:
    """qiskit-ionq's rewrite rules for GPI/GPI2/MS/ZZ sequences (its optimizer plugin's set)."""
    from qiskit_ionq import rewrite_rules as rules

    return [
        rules.CancelGPI2Adjoint(),
        rules.CancelGPIAdjoint(),
        rules.GPI2TwiceIsGPI(),
        rules.CommuteGPIsThroughMS(),
        rules.CommuteGPIsThroughZZ(),
        rules.CompactMoreThanThreeSingleQubitGates(),
        rules.FuseConsecutiveZZ(),
        rules.FuseConsecutiveMS(),
    ]
