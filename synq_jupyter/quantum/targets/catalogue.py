"""The catalogue of targets SynQ knows, by name."""

from __future__ import annotations

from functools import cache

from synq_jupyter.errors import TargetError
from synq_jupyter.quantum.targets import aer, ibm, ionq, pricing, rigetti
from synq_jupyter.quantum.targets.synq_target import Region, SynqTarget

LOCAL = Region("local", "this machine")
IBM_US = Region("us-east", "IBM Quantum data center, Poughkeepsie, New York, USA")
IONQ_US = Region("us-east", "IonQ data center, College Park, Maryland, USA")
RIGETTI_US = Region("us-west", "Rigetti Fab-1, Berkeley, California, USA")

_TORINO_SNAPSHOT = "qiskit-ibm-runtime FakeTorino calibration snapshot"


@cache
def _catalogue() -> dict[str, SynqTarget]:
    targets = [
        SynqTarget(
            name="aer_simulator",
            provider="aer",
            description="Qiskit Aer, ideal (noise-free) simulation",
            region=LOCAL,
            simulator=True,
            pricing=pricing.FREE,
            calibration_source="ideal: no errors",
            builder=aer.ideal,
        ),
        SynqTarget(
            name="aer_noisy_torino",
            provider="aer",
            description="Qiskit Aer with the noise of IBM Torino (Heron r1) from a snapshot",
            region=LOCAL,
            simulator=True,
            pricing=pricing.FREE,
            calibration_source=_TORINO_SNAPSHOT,
            builder=ibm.torino,
            processor="Heron r1",
        ),
        SynqTarget(
            name="ibm_brisbane",
            provider="ibm",
            description="IBM Brisbane: Eagle r3, 127 qubits, ECR, heavy-hex",
            region=IBM_US,
            simulator=False,
            pricing=pricing.IBM_PAYG,
            calibration_source="qiskit-ibm-runtime FakeBrisbane calibration snapshot",
            builder=ibm.brisbane,
            processor="Eagle r3",
            repetition_delay=ibm.brisbane_repetition_delay,
        ),
        SynqTarget(
            name="ibm_torino",
            provider="ibm",
            description="IBM Torino: Heron r1, 133 qubits, CZ, heavy-hex",
            region=IBM_US,
            simulator=False,
            pricing=pricing.IBM_PAYG,
            calibration_source=_TORINO_SNAPSHOT,
            builder=ibm.torino,
            processor="Heron r1",
            repetition_delay=ibm.torino_repetition_delay,
        ),
        SynqTarget(
            name="ionq_aria_1",
            provider="ionq",
            description="IonQ Aria: 25 trapped-ion qubits, all-to-all, native GPI/GPI2/MS",
            region=IONQ_US,
            simulator=False,
            pricing=pricing.IONQ_ARIA,
            calibration_source="IonQ published Aria specifications (mean figures), 2025-06",
            builder=ionq.aria,
            processor="Aria",
            native_passes=ionq.native_passes,
        ),
        SynqTarget(
            name="ionq_forte_1",
            provider="ionq",
            description="IonQ Forte: 36 trapped-ion qubits, all-to-all, native GPI/GPI2/ZZ",
            region=IONQ_US,
            simulator=False,
            pricing=pricing.IONQ_FORTE,
            calibration_source="IonQ published Forte specifications (mean figures), 2025-06",
            builder=ionq.forte,
            processor="Forte",
            native_passes=ionq.native_passes,
        ),
        SynqTarget(
            name="rigetti_ankaa_3",
            provider="rigetti",
            description="Rigetti Ankaa-3: 84 qubits, square lattice, native RX/RZ/iSWAP",
            region=RIGETTI_US,
            simulator=False,
            pricing=pricing.RIGETTI_ANKAA,
            calibration_source="Rigetti Ankaa-3 published medians (press release 2024-12-23)",
            builder=rigetti.ankaa,
            processor="Ankaa-3",
        ),
    ]
    return {t.name: t for t in targets}


def list_targets() -> list[SynqTarget]:
    """Every target in the catalogue, simulators first."""
    return list(_catalogue().values())


def target_names() -> list[str]:
    return list(_catalogue())


def get_target(name: str) -> SynqTarget:
    """Returns the target called ``name``.

    Raises:
        TargetError: No target has that name; the message lists the names there are.
    """
    try:
        return _catalogue()[name]
    except KeyError:
        known = ", ".join(_catalogue())
        raise TargetError(f"unknown target {name!r}; known targets: {known}") from None
