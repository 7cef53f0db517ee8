"""The variational quantum eigensolver: the entry point that workers, kernels and tests call."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from synq_jupyter.algorithms.ansatz import Ansatz, build_ansatz
from synq_jupyter.algorithms.chem_molecule import Molecule
from synq_jupyter.algorithms.hamiltonian import Hamiltonian
from synq_jupyter.algorithms.optimizers import Minimum, minimize
from synq_jupyter.algorithms.vqe_hardware import HardwareEstimator, RunPubs
from synq_jupyter.algorithms.vqe_program import RotationProgram, compile_rotations
from synq_jupyter.algorithms.vqe_result import VQEResult
from synq_jupyter.algorithms.vqe_sampled import SampledEstimator
from synq_jupyter.algorithms.vqe_spec import VQESpec
from synq_jupyter.algorithms.vqe_statevector import StatevectorEstimator
from synq_jupyter.errors import SynqInputError

__all__ = ["VQEResult", "VQESpec", "check_initial_parameters", "run_vqe"]

Progress = Callable[[float, str], None]
OnIteration = Callable[[int, float], None]
ShouldStop = Callable[[], bool]
OnShots = Callable[[int], None]


def run_vqe(
    spec: VQESpec,
    *,
    progress: Progress | None = None,
    on_iteration: OnIteration | None = None,
    should_stop: ShouldStop | None = None,
    hardware: RunPubs | None = None,
    on_shots: OnShots | None = None,
) -> VQEResult:
    """Finds the lowest energy of ``spec.hamiltonian`` over ``spec.ansatz``.

    The same spec and seed give the same result.

    Args:
        spec: The problem and how to solve it.
        progress: Called once per iteration with (iteration / max_iterations, a message
            such as ``"iteration 12: E = -1.137306 Ha"``).
        on_iteration: Called once per iteration with (iteration, energy), e.g. to plot.
        should_stop: Polled once per iteration; when it returns True the run stops and
            returns what it has, with ``stopped`` set.
        hardware: For the hardware estimator: sends PUBs to ``spec.target`` and returns
            their results (see ``vqe_hardware.RunPubs``); one call per batch of points.
        on_shots: Called with the shots each estimator call spent (sampled estimators
            only), e.g. to meter them as the run goes.

    Returns:
        The energy, its error against exact diagonalisation, and the run's history.

    Raises:
        SynqInputError: A molecule whose Hamiltonian cannot be built, UCCSD without
            electrons, initial parameters of the wrong length, or the hardware estimator
            without ``hardware``.
        TargetError: The noisy or hardware estimator's target cannot run the ansatz.
    """
    hamiltonian, ansatz = _problem(spec)
    # VQESpec fills in every default it is given None for.
    assert spec.reps is not None
    assert spec.optimizer is not None
    assert spec.seed is not None
    program = compile_rotations(ansatz.circuit)
    start_rng, optimizer_rng, estimator_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(spec.seed).spawn(3)
    )
    estimator = _estimator(spec, program, hamiltonian, estimator_rng, hardware, on_shots)
    x0 = _initial_point(spec, ansatz, start_rng)
    unit = " Ha" if hamiltonian.is_molecular else ""
    history: list[float] = []
    stopped = False

    def after_iteration(iteration: int, _: np.ndarray, energy: float) -> bool:
        nonlocal stopped
        history.append(energy)
        if progress is not None:
            progress(
                iteration / spec.max_iterations, f"iteration {iteration}: E = {energy:.6f}{unit}"
            )
        if on_iteration is not None:
            on_iteration(iteration, energy)
        stopped = should_stop is not None and should_stop()
        return stopped

    if ansatz.num_parameters:
        found = minimize(
            spec.optimizer,
            estimator,
            x0,
            max_iterations=spec.max_iterations,
            rng=optimizer_rng,
            callback=after_iteration,
        )
    else:
        found = Minimum(x0, 0)
    energy, std_error = estimator.estimate(found.x)
    exact = hamiltonian.exact_ground_energy(in_reference_sector=ansatz.conserves_particles)
    return VQEResult(
        energy=energy,
        exact_energy=exact,
        error=None if exact is None else energy - exact,
        std_error=std_error,
        optimal_parameters=tuple(float(x) for x in found.x),
        evaluations=estimator.evaluations,
        iterations=found.iterations,
        history=tuple(history),
        num_qubits=hamiltonian.num_qubits,
        num_parameters=ansatz.num_parameters,
        ansatz=ansatz.name,
        reps=spec.reps,
        optimizer=spec.optimizer,
        estimator=spec.estimator,
        shots=spec.shots,
        target=spec.target,
        seed=spec.seed,
        hf_energy=hamiltonian.reference_energy,
        stopped=stopped,
        shots_used=estimator.shots_used,
    )


def _estimator(
    spec: VQESpec,
    program: RotationProgram,
    hamiltonian: Hamiltonian,
    rng: np.random.Generator,
    hardware: RunPubs | None,
    on_shots: OnShots | None,
) -> StatevectorEstimator | SampledEstimator | HardwareEstimator:
    if spec.estimator == "statevector":
        return StatevectorEstimator(program, hamiltonian.sparse_matrix)
    from synq_jupyter.quantum import get_target

    assert spec.shots is not None
    seed = int(rng.integers(2**31 - 1))
    if spec.estimator == "hardware":
        assert spec.target is not None
        if hardware is None:
            raise SynqInputError(
                f"the hardware estimator needs a way to run jobs on {spec.target}: pass "
                "run_vqe(..., hardware=...), or submit the VQE as a SynQ job with your "
                "provider credentials stored",
                field="estimator",
            )
        return HardwareEstimator(
            program,
            hamiltonian.operator,
            shots=spec.shots,
            target=get_target(spec.target),
            run=hardware,
            seed=seed,
            on_shots=on_shots,
        )
    return SampledEstimator(
        program,
        hamiltonian.operator,
        shots=spec.shots,
        seed=seed,
        target=None if spec.target is None else get_target(spec.target),
        on_shots=on_shots,
    )


def check_initial_parameters(spec: VQESpec) -> None:
    """Raises, before anything runs, the error ``run_vqe`` would raise for initial
    parameters that do not match the ansatz (which needs the Hamiltonian to count them)."""
    if spec.initial_parameters is not None:
        _initial_point(spec, _problem(spec)[1], np.random.default_rng(0))


def _problem(spec: VQESpec) -> tuple[Hamiltonian, Ansatz]:
    hamiltonian = (
        spec.hamiltonian.build()
        if isinstance(spec.hamiltonian, Molecule)
        else spec.hamiltonian.build(spec.num_electrons)
    )
    # VQESpec fills in every default it is given None for.
    assert spec.ansatz is not None
    assert spec.reps is not None
    return hamiltonian, build_ansatz(spec.ansatz, hamiltonian, spec.reps)


def _initial_point(spec: VQESpec, ansatz: Ansatz, rng: np.random.Generator) -> np.ndarray:
    if spec.initial_parameters is None:
        return ansatz.initial_point(rng)
    if len(spec.initial_parameters) != ansatz.num_parameters:
        raise SynqInputError(
            f"the {ansatz.name} ansatz has {ansatz.num_parameters} parameters but "
            f"{len(spec.initial_parameters)} initial values were given",
            field="initial_parameters",
        )
    return np.array(spec.initial_parameters, dtype=float)
