"""IBM Runtime primitives in local mode, on a simulator with the device snapshot's noise."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from synq_jupyter.quantum.aer_seed import aer_seed
from synq_jupyter_server.jobs.providers.sampling import (
    Report,
    register_counts,
    sample_result,
    transpile_for_sampling,
)

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

    from synq_jupyter.quantum.targets import SynqTarget


def sample_on_device_model(
    circuit: QuantumCircuit, target: SynqTarget, payload: dict[str, Any], report: Report
) -> dict[str, Any]:
    """Transpiles for the device and samples with qiskit-ibm-runtime's ``SamplerV2``.

    Without an IBM token this is the runtime's local mode: the same primitive, job and
    result types as on hardware, with an Aer backend carrying the snapshot's noise. The
    backend models only the qubits the circuit uses (handing the runtime the whole
    133-qubit snapshot makes it rebuild and simulate every qubit's noise, about 50 times
    slower, for the same counts).
    """
    from qiskit_ibm_runtime import SamplerV2

    from synq_jupyter.quantum.device_simulation import device_simulation

    shots, seed = payload["shots"], payload["seed"]
    transpiled, measured_all = transpile_for_sampling(circuit, target, payload, report)
    device = device_simulation(transpiled.circuit, target)
    sampler = SamplerV2(
        mode=device.simulator, options={"simulator": {"seed_simulator": aer_seed(seed)}}
    )
    job = sampler.run([device.circuit], shots=shots)
    report("provider_job_id", job.job_id())
    report("progress", (0.5, f"sampling {shots:,} shots (IBM Runtime local mode)"))
    counts = register_counts(job.result()[0])
    report("progress", (1.0, "done"))
    noise = f"{target.calibration_source} (IBM Runtime local mode)"
    return sample_result(
        counts, payload, target, transpiled, measured_all, noise=noise, provider_job_id=job.job_id()
    )
