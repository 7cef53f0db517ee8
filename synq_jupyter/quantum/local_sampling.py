"""Sample a circuit on Qiskit Aer, ideal or with a target's noise."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqInputError
from synq_jupyter.quantum.aer_seed import aer_seed
from synq_jupyter.quantum.circuit_loading import require_bound
from synq_jupyter.quantum.device_simulation import device_simulation
from synq_jupyter.quantum.noise import has_noise
from synq_jupyter.quantum.targets import SynqTarget, get_target
from synq_jupyter.quantum.transpile import (
    Progress,
    TranspileResult,
    check_fits,
    check_level,
    check_seed,
    transpile_circuit,
    whole,
)

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

MAX_SHOTS = 1_000_000
NO_QUBITS = (
    "the circuit has no qubits: declare some (qubit q[2], or qreg q[2]; in OpenQASM) "
    "and the gates on them"
)
"""One wording for a local run and the server's check at submission, so a cell reads alike
run here or submitted."""
TRAJECTORY_PARTS = 200
"""Most parts a run of one noisy trajectory per shot is split into, for progress."""
MIN_PART = 50
"""Fewest shots in one part: at the 16+ qubits where trajectories are simulated, a shot
takes a tenth of a second or more, so each part outlasts Aer's setup many times over."""


@dataclass(frozen=True)
class SampleResult:
    """Counts of a local run and how they were obtained."""

    counts: dict[str, int]
    shots: int
    seed: int
    target: str
    noise: str
    measured_all: bool
    transpile: TranspileResult | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        # Field by field, not ``asdict``: that deep-copies every count, and the transpiled
        # circuit only to drop it; a shallow copy of the counts is all a caller needs.
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "transpile"}
        data["counts"] = dict(self.counts)
        data["report"] = self.transpile.report.to_dict() if self.transpile else None
        return data


def run_local(
    circuit: QuantumCircuit,
    *,
    target: str | SynqTarget = "aer_simulator",
    shots: int = 1024,
    seed: int | None = None,
    optimization_level: int = 2,
    progress: Progress | None = None,
) -> SampleResult:
    """Samples ``circuit`` on Aer.

    On ``aer_simulator`` the circuit runs as written, without noise. On any other target it is
    first transpiled for that target, then the transpiled circuit runs with the target's noise
    model, so the counts show what the device's errors would do to it.

    Args:
        circuit: The circuit; when it measures nothing, every qubit is measured at the end.
        target: Catalogue name or target.
        shots: Number of samples, 1 to 1,000,000.
        seed: Seeds both the transpiler and the simulator; drawn and reported when ``None``.
        optimization_level: Transpiler preset level for hardware targets.
        progress: Called with (fraction done, message).

    Returns:
        The counts, keyed by bitstring (registers separated by spaces, as Qiskit prints them).

    Raises:
        SynqInputError: An option is out of range, or the circuit has no qubits.
        TargetError: The circuit does not fit the target (even the ideal simulator has a
            width: Aer would fail deep inside with its own error).
    """
    from qiskit_aer import AerSimulator

    spec = target if isinstance(target, SynqTarget) else get_target(target)
    checked = whole(shots, 1, MAX_SHOTS)
    if checked is None:
        raise SynqInputError(f"shots must be an integer from 1 to {MAX_SHOTS:,}", field="shots")
    shots = checked
    seed = check_seed(seed)
    # Checked on every target, though the ideal simulator does not transpile: a level the
    # submitted job would refuse should not pass silently here.
    check_level(optimization_level)
    if circuit.num_qubits == 0:
        raise SynqInputError(NO_QUBITS, field="source")
    require_bound(circuit, "the circuit", "source", before="running")
    check_fits(circuit, spec)
    circuit, measured_all = with_measurements(circuit)

    from qiskit import transpile

    transpiled: TranspileResult | None = None
    if has_noise(spec):
        transpiled = transpile_circuit(
            circuit,
            spec,
            optimization_level=optimization_level,
            seed=seed,
            progress=_scaled(progress, 0.0, 0.5),
        )
        device = device_simulation(transpiled.circuit, spec)
        runnable, simulator = device.circuit, device.simulator
    else:
        simulator = AerSimulator()
        runnable = transpile(circuit, simulator, optimization_level=0)
    counts = sample_counts(simulator, runnable, shots, seed, _scaled(progress, 0.5, 1.0))
    if progress:
        progress(1.0, "done")
    return SampleResult(
        counts={str(k): int(v) for k, v in sorted(counts.items())},
        shots=shots,
        seed=seed,
        target=spec.name,
        noise=f"{spec.calibration_source}" if transpiled else "none",
        measured_all=measured_all,
        transpile=transpiled,
    )


def sample_counts(
    simulator: Any, circuit: QuantumCircuit, shots: int, seed: int, progress: Progress | None
) -> dict[str, int]:
    """Runs ``circuit`` on the Aer ``simulator``; its counts.

    A noisy statevector simulation is one trajectory per shot, and can take hours: it runs
    in parts of at least ``MIN_PART`` shots, at most ``TRAJECTORY_PARTS`` of them,
    reporting the shots done before each; the parts give the counts one call would. Any
    other run samples one final state, in one call. Either way the same seed gives the same
    counts, and Aer is given ``aer_seed(seed)``, so that other seeds give other shots.
    """
    options = simulator.options
    per_shot = options.method == "statevector" and options.noise_model is not None
    parts = min(TRAJECTORY_PARTS, shots // MIN_PART) if per_shot else 1
    first = aer_seed(seed)
    if parts <= 1:
        if progress:
            progress(0.0, f"sampling {shots:,} shot{'s' if shots != 1 else ''} on Aer")
        run = simulator.run(circuit, shots=shots, seed_simulator=first)
        return dict(run.result().get_counts())
    counts: Counter[str] = Counter()
    done = 0
    for part in range(parts):
        size = shots // parts + (part < shots % parts)
        if progress:
            progress(done / shots, f"{done:,} of {shots:,} shots (noisy trajectories)")
        # Aer seeds shot i of a run with seed + i: a part starting at shot ``done`` takes
        # the seeds one call for every shot would, so the parts are that call's shots, not
        # repeats (seed + part gave parts that shared all but one of their shots' seeds).
        result = simulator.run(circuit, shots=size, seed_simulator=first + done).result()
        counts.update(result.get_counts())
        done += size
    return dict(counts)


def with_measurements(circuit: QuantumCircuit) -> tuple[QuantumCircuit, bool]:
    """``circuit``, with every qubit measured at the end if it measures nothing; and whether
    those measurements were added."""
    if any(inst.operation.name == "measure" for inst in circuit.data):
        return circuit, False
    return circuit.measure_all(inplace=False), True


def _scaled(progress: Progress | None, start: float, stop: float) -> Progress | None:
    if progress is None:
        return None
    outer = progress
    return lambda fraction, message: outer(start + (stop - start) * fraction, message)
