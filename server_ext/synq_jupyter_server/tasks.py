"""Quantum work run inside executor workers: plain data in, plain data out.

This module imports no tornado and no database, so a worker process (or a Dask worker)
can import it cheaply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import SparsePauliOp


def parse_task(source: str, format: str | None) -> dict[str, Any]:
    """Parses a source and describes the circuit."""
    from qiskit import qasm3

    from synq_jupyter.quantum import parse_circuit
    from synq_jupyter.quantum.circuit_metrics import op_counts

    parsed = parse_circuit(source, format)
    circuit = parsed.circuit
    return {
        "format": parsed.format,
        "qasm3": qasm3.dumps(circuit),
        "num_qubits": circuit.num_qubits,
        "num_clbits": circuit.num_clbits,
        "ops": op_counts(circuit),
        "warnings": [str(warning) for warning in parsed.warnings],
    }


def transpile_task(
    source: str, format: str | None, target: str, optimization_level: int, seed: int | None
) -> dict[str, Any]:
    """Transpiles a source for a target; returns the OpenQASM 3 text and the report."""
    from synq_jupyter.quantum import load_circuit, transpile_circuit

    result = transpile_circuit(
        load_circuit(source, format), target, optimization_level=optimization_level, seed=seed
    )
    return {"qasm3": result.qasm3, "report": result.report.to_dict()}


def analyze_task(source: str, format: str | None, targets: list[str] | None) -> dict[str, Any]:
    """Analyses a source and checks it against the given targets (all when ``None``)."""
    from synq_jupyter.quantum import analyze_circuit, get_target, load_circuit

    specs = [get_target(name) for name in targets] if targets else None
    return analyze_circuit(load_circuit(source, format), specs).to_dict()


def catalogue_task(name: str | None) -> Any:
    """The target catalogue (summaries), or one target's full detail."""
    from synq_jupyter.quantum import get_target, list_targets

    if name is None:
        return [t.summary() for t in list_targets()]
    return get_target(name).detail()


def validate_job_task(
    sources: list[str],
    format: str | None,
    target: str,
    observables: list[Any] | None,
    batch: bool = False,
    on_device: bool = False,
    first: int = 0,
) -> list[int]:
    """Checks that every source parses and fits ``target``; returns their qubit counts.

    A sample or estimate job that will be simulated here (on a noisy simulator, or on a
    device target that is not ``on_device``: IBM's in local mode, any without the owner's
    credentials) must also fit this machine's memory.

    Errors name the field: ``source`` for a single circuit, ``sources[i]`` in a ``batch``
    (even a batch of one), counting from ``first`` (a slice of a batch starts there).
    """
    from synq_jupyter.errors import SynqInputError
    from synq_jupyter.quantum import get_target, load_circuit
    from synq_jupyter.quantum.circuit_loading import require_bound
    from synq_jupyter.quantum.device_simulation import check_simulable
    from synq_jupyter.quantum.local_sampling import NO_QUBITS
    from synq_jupyter.quantum.noise import has_noise
    from synq_jupyter.quantum.transpile import check_fits
    from synq_jupyter_server.jobs.providers.estimate import check_estimable, observables_of

    spec = get_target(target)
    # Memory bounds the width now, judged on the qubits the circuit touches before routing
    # (routing may add some: the run checks again). A batch and an estimate are always
    # simulated here, with the target's noise on any target but the ideal simulator.
    simulated = observables is not None or (has_noise(spec) and (batch or not on_device))
    widths = []
    for index, source in enumerate(sources, start=first):
        field = f"sources[{index}]" if batch else "source"
        try:
            circuit = load_circuit(source, format)
            if circuit.num_qubits == 0:
                raise SynqInputError(NO_QUBITS, field="source")
            require_bound(circuit, "the circuit", "source")
            check_fits(circuit, spec)
            if observables is not None:
                check_estimable(circuit)
            # Read once: their errors name them (observables[i]), never the circuit.
            operators = (
                None if observables is None else observables_of(observables, circuit.num_qubits)
            )
            if simulated:
                check_simulable(len(_simulated_qubits(circuit, operators)), spec.name)
        except SynqInputError as exc:
            if exc.field in ("source", "target", None):
                exc.field = field
            if batch:
                # "sources[2], line 3, column 9: ...": which circuit first, by its place in
                # the list as the field names it ("circuit 2" read as the second), then where.
                joint = ", " if exc.line is not None else ": "
                exc.message, exc.line, exc.column = f"sources[{index}]{joint}{exc}", None, None
            raise
        widths.append(circuit.num_qubits)
    return widths


def _simulated_qubits(circuit: QuantumCircuit, operators: list[SparsePauliOp] | None) -> set[int]:
    """The qubits a noisy simulation of the job holds, as it will run: a sampled circuit
    that measures nothing gets every qubit measured; an estimate drops its measurements and
    keeps the qubits its observables (``operators``) act on."""
    from synq_jupyter.quantum.device_simulation import active_qubits
    from synq_jupyter.quantum.local_sampling import with_measurements

    if operators is None:
        return active_qubits(with_measurements(circuit)[0])
    kept = active_qubits(circuit.remove_final_measurements(inplace=False))
    for operator in operators:
        kept |= {q for _, qubits, _ in operator.to_sparse_list() for q in qubits}
    return kept


Validation = tuple[list[str], str | None, str, list[Any] | None, bool, bool, int]
"""One ``validate_job_task`` call's arguments: sources, format, target, observables, batch,
on_device, first."""


def validate_jobs_task(validations: list[Validation]) -> list[list[int] | Exception]:
    """``validate_job_task`` over several submissions in one round trip: each one's qubit
    counts, or the error that refuses it (the others are still checked)."""
    from synq_jupyter.errors import picklable

    outcomes: list[list[int] | Exception] = []
    for validation in validations:
        try:
            outcomes.append(validate_job_task(*validation))
        except Exception as exc:
            outcomes.append(picklable(exc))
    return outcomes


def validate_algorithm_task(kind: str, spec: dict[str, Any]) -> str:
    """Checks an algorithm job's spec with the code the job will run; returns its target.

    Raises:
        SynqInputError: The spec is wrong, naming the field (``hamiltonian.coeffs``, ``p``,
            ``data.X`` ...), or needs more qubits than its target has.
    """
    from synq_jupyter.errors import TargetError
    from synq_jupyter.quantum import get_target

    target, num_qubits = _checked_spec(kind, spec)
    if num_qubits is not None and target in _catalogue_names():
        width = get_target(target).num_qubits
        if num_qubits > width:
            raise TargetError(f"the problem needs {num_qubits} qubits; {target} has {width}")
    return target


def _checked_spec(kind: str, spec: dict[str, Any]) -> tuple[str, int | None]:
    from synq_jupyter.errors import SynqInputError

    if kind == "vqe":
        from synq_jupyter.algorithms.vqe import VQESpec, check_initial_parameters

        vqe = VQESpec.from_dict(spec)
        check_initial_parameters(vqe)
        return spec.get("target") or "aer_simulator", vqe.num_qubits
    if kind == "qaoa":
        from synq_jupyter.algorithms.qaoa import QAOASpec

        qaoa = QAOASpec.from_dict(spec)
        return spec.get("target") or "aer_simulator", qaoa.num_qubits
    if kind == "qnn_train":
        from synq_jupyter.algorithms.qnn import QNNSpec

        QNNSpec.from_dict(spec)
        return "lightning.qubit", None
    if kind == "synthesize":
        from synq_jupyter.quantum.synthesis import SynthesisSpec, parse_description

        if "description" in spec:
            parse_description(spec["description"])
        else:
            SynthesisSpec.from_dict(spec["spec"])
        return "aer_simulator", None
    if kind in ("cost_estimate", "optimize"):
        return _checked_circuit_job(kind, spec)
    raise SynqInputError(f"unknown algorithm {kind!r}", field="kind")


def _checked_circuit_job(kind: str, spec: dict[str, Any]) -> tuple[str, int | None]:
    from synq_jupyter.quantum import get_target, load_circuit
    from synq_jupyter.quantum.cost_estimate import resolve_targets
    from synq_jupyter.quantum.transpile import check_fits

    circuit = load_circuit(spec["source"], spec.get("format"))
    if kind == "optimize":
        # As the transpile route refuses it: too wide, or control flow the target lacks.
        check_fits(circuit, get_target(spec["target"]))
        return spec["target"], circuit.num_qubits
    resolve_targets(spec.get("targets"))
    return "aer_simulator", None


def _catalogue_names() -> set[str]:
    from synq_jupyter.quantum import target_names

    return set(target_names())


def validate_prediction_task(model: dict[str, Any], features: list[list[float]]) -> None:
    """Checks that ``features`` suit ``model`` (width, finite values) before a job is queued."""
    from synq_jupyter.algorithms.qnn import check_features

    check_features(model, features)
