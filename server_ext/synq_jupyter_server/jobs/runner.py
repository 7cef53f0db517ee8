"""What a job does, run inside a worker process: plain data in, plain data out.

No tornado and no database here, so a local worker or a Dask worker imports it cheaply.
``report(name, data)`` sends ``("progress", (fraction, message))``,
``("provider_job_id", id)`` and, from algorithm jobs, ``("point", (x, y))`` and
``("shots", n)`` back to the scheduler.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from synq_jupyter.errors import SynqInputError

Report = Callable[[str, Any], None]
BATCH_CHUNK = 250


def run_job(kind: str, payload: dict[str, Any], report: Report) -> dict[str, Any]:
    """Runs one job of ``kind`` and returns its result."""
    if kind != "noop" and "qiskit" not in sys.modules:
        # A fresh worker (the first job, or the one after a cancel killed its worker)
        # spends seconds importing Qiskit before it can report anything else.
        report("progress", (0.0, "starting a worker: loading Qiskit"))
    if kind == "sample":
        return _sample(payload, report)
    if kind == "estimate":
        return _estimate(payload, report)
    if kind == "sample_batch":
        return _sample_batch(payload, report)
    if kind == "noop":
        return _noop(payload, report)
    from synq_jupyter_server.jobs.algorithm_jobs import ALGORITHM_JOBS

    if kind in ALGORITHM_JOBS:
        return ALGORITHM_JOBS[kind](payload, report)
    raise SynqInputError(f"unknown job kind {kind!r}", field="kind")


def _progress(report: Report) -> Callable[[float, str], None]:
    return lambda fraction, message: report("progress", (fraction, message))


def _noop(payload: dict[str, Any], report: Report) -> dict[str, Any]:
    """A diagnostic job: waits ``seconds`` (0 by default), reporting progress each second.

    Used to measure the queue's own overhead and to exercise cancellation.
    """
    seconds = float(payload.get("seconds", 0.0))
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        report("progress", (1 - left / seconds, f"{left:.0f} s left"))
        time.sleep(min(1.0, left))
    return {"ok": True, "seconds": seconds}


def _sample(payload: dict[str, Any], report: Report) -> dict[str, Any]:
    from synq_jupyter.quantum import get_target, load_circuit, run_local

    circuit = load_circuit(payload["source"], payload.get("format"))
    target = get_target(payload["target"])
    if target.provider == "ionq" and payload.get("credentials"):
        from synq_jupyter_server.jobs.providers.ionq_cloud import sample_on_ionq

        return sample_on_ionq(circuit, target, payload, payload["credentials"], report)
    if target.provider == "ibm" and payload.get("credentials"):
        from synq_jupyter_server.jobs.providers.ibm_cloud import sample_on_ibm

        return sample_on_ibm(circuit, target, payload, payload["credentials"], report)
    if target.provider == "ibm":
        from synq_jupyter_server.jobs.providers.ibm_runtime import sample_on_device_model

        return sample_on_device_model(circuit, target, payload, report)
    result = run_local(
        circuit,
        target=target,
        shots=payload["shots"],
        seed=payload["seed"],
        optimization_level=payload.get("optimization_level", 2),
        progress=_progress(report),
    )
    return result.to_dict()


def _estimate(payload: dict[str, Any], report: Report) -> dict[str, Any]:
    from synq_jupyter.quantum import get_target, load_circuit
    from synq_jupyter_server.jobs.providers.estimate import estimate

    circuit = load_circuit(payload["source"], payload.get("format"))
    return estimate(circuit, get_target(payload["target"]), payload, _progress(report))


def _sample_batch(payload: dict[str, Any], report: Report) -> dict[str, Any]:
    """Samples every circuit of a batch (or of the slice of one starting at circuit
    ``first``) here, never on a device's cloud: on the ideal simulator as written,
    ``BATCH_CHUNK`` circuits per simulator call (the call starting at circuit ``i`` seeded
    ``aer_seed(seed) + i``; Aer spaces the seeds of the circuits within it); for any other
    target each circuit as a sample job seeded ``seed + i`` simulates it, transpiled for the
    target and run with its noise model (``aer_seed`` makes those seeds' shots unrelated)."""
    from qiskit import transpile
    from qiskit_aer import AerSimulator

    from synq_jupyter.quantum import get_target, load_circuit
    from synq_jupyter.quantum.aer_seed import aer_seed
    from synq_jupyter.quantum.local_sampling import with_measurements
    from synq_jupyter.quantum.noise import has_noise

    if has_noise(get_target(payload["target"])):
        return _sample_batch_with_noise(payload, report)
    sources: list[str] = payload["sources"]
    shots, seed, first = payload["shots"], payload["seed"], payload.get("first", 0)
    simulator = AerSimulator()
    counts: list[dict[str, int]] = []
    for start in range(0, len(sources), BATCH_CHUNK):
        chunk = []
        for source in sources[start : start + BATCH_CHUNK]:
            circuit, _ = with_measurements(load_circuit(source, payload.get("format")))
            chunk.append(circuit)
        compiled = transpile(chunk, simulator, optimization_level=0)
        aer = aer_seed(seed) + first + start
        result = simulator.run(compiled, shots=shots, seed_simulator=aer).result()
        counts += [dict(sorted(result.get_counts(i).items())) for i in range(len(chunk))]
        done = start + len(chunk)
        report("progress", (done / len(sources), f"{done:,} of {len(sources):,} circuits"))
    return {
        "counts": counts,
        "shots": shots,
        "seed": seed,
        "target": payload["target"],
        "noise": "none",
    }


def _sample_batch_with_noise(payload: dict[str, Any], report: Report) -> dict[str, Any]:
    from synq_jupyter.quantum import get_target, load_circuit, run_local
    from synq_jupyter.quantum.transpile import MAX_SEED

    sources: list[str] = payload["sources"]
    shots, seed, first = payload["shots"], payload["seed"], payload.get("first", 0)
    target = get_target(payload["target"])
    counts: list[dict[str, int]] = []
    noise = "none"
    every = max(1, len(sources) // 100)  # about a hundred progress events, not one a circuit
    for index, source in enumerate(sources):
        result = run_local(
            load_circuit(source, payload.get("format")),
            target=target,
            shots=shots,
            seed=(seed + first + index) % (MAX_SEED + 1),
            optimization_level=payload.get("optimization_level", 2),
        )
        counts.append(result.counts)
        noise = result.noise
        if (index + 1) % every == 0 or index + 1 == len(sources):
            done = index + 1
            message = f"{done:,} of {len(sources):,} circuits (with {target.name}'s noise)"
            report("progress", (done / len(sources), message))
    return {"counts": counts, "shots": shots, "seed": seed, "target": target.name, "noise": noise}
