"""What every provider's sample job shares: transpiling, waiting for the job, the result."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Container, Hashable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.primitives import SamplerPubResult

    from synq_jupyter.quantum.targets import SynqTarget
    from synq_jupyter.quantum.transpile import TranspileResult

Report = Callable[[str, Any], None]
Status = TypeVar("Status", bound=Hashable)


def transpile_for_sampling(
    circuit: QuantumCircuit, target: SynqTarget, payload: dict[str, Any], report: Report
) -> tuple[TranspileResult, bool]:
    """Measures every qubit if the circuit measures nothing, then transpiles it for
    ``target`` with the job's level and seed.

    Returns the transpile result and whether the measurements were added.
    """
    from synq_jupyter.quantum import transpile_circuit
    from synq_jupyter.quantum.local_sampling import with_measurements

    circuit, measured_all = with_measurements(circuit)
    report("progress", (0.0, f"transpiling for {target.name}"))
    transpiled = transpile_circuit(
        circuit,
        target,
        optimization_level=payload.get("optimization_level", 2),
        seed=payload["seed"],
    )
    return transpiled, measured_all


def wait_until_final(
    read_status: Callable[[], Status],
    final: Container[Status],
    stages: Mapping[Status, tuple[float, str]],
    report: Report,
    *,
    waiting: tuple[float, str],
    pause: float,
    backoff: float = 1.0,
    max_pause: float = math.inf,
) -> Status:
    """Polls a remote job's status until it is final, reporting its stage and time waited.

    Args:
        read_status: Reads the job's current status from the provider.
        final: The statuses that end the wait.
        stages: The progress ``(fraction, words)`` to report for each non-final status.
        report: Called with ``("progress", (fraction, message))`` before each pause.
        waiting: The progress to report for a status ``stages`` does not name.
        pause: Seconds between the first two reads.
        backoff: What each pause is multiplied by for the next one.
        max_pause: The longest pause.

    Returns:
        The final status.
    """
    started = time.monotonic()
    while (status := read_status()) not in final:
        fraction, words = stages.get(status, waiting)
        report("progress", (fraction, f"{words} ({time.monotonic() - started:.0f} s)"))
        time.sleep(pause)
        pause = min(pause * backoff, max_pause)
    return status


def register_counts(pub_result: SamplerPubResult) -> dict[str, int]:
    """The counts of a ``SamplerV2`` result, keyed as Aer keys them: the bits of each
    classical register, the last register leftmost, registers separated by spaces.

    ``join_data`` already orders the bits that way but runs the registers together, so
    ``counts["0 1"]`` would be a KeyError only on IBM's targets.
    """
    widths = [bits.num_bits for bits in reversed(list(pub_result.data.values()))]
    return {
        _spaced(key, widths): count for key, count in pub_result.join_data().get_counts().items()
    }


def _spaced(bitstring: str, widths: list[int]) -> str:
    """``bitstring`` cut into groups of ``widths`` bits, separated by spaces."""
    groups, start = [], 0
    for width in widths:
        groups.append(bitstring[start : start + width])
        start += width
    return " ".join(groups)


def sample_result(
    counts: Mapping[Any, int],
    payload: dict[str, Any],
    target: SynqTarget,
    transpiled: TranspileResult,
    measured_all: bool,
    *,
    noise: str,
    provider_job_id: str,
) -> dict[str, Any]:
    """The result of a sample job, the same for every provider.

    Args:
        counts: How often each bitstring was read.
        payload: The job's ``shots`` and ``seed``.
        target: The target the circuit ran on.
        transpiled: The circuit as transpiled for ``target``.
        measured_all: Whether SynQ added a measurement of every qubit.
        noise: Where the counts come from (a device, a noise model).
        provider_job_id: The provider's id of the job.

    Returns:
        The counts (sorted, with string keys) with the shots, seed, target, noise, whether
        every qubit was measured, the provider's job id and the transpile report.
    """
    return {
        "counts": {str(k): int(v) for k, v in sorted(counts.items())},
        "shots": payload["shots"],
        "seed": payload["seed"],
        "target": target.name,
        "noise": noise,
        "measured_all": measured_all,
        "provider_job_id": provider_job_id,
        "report": transpiled.report.to_dict(),
    }
