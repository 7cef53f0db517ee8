"""Sampled energies and parameter-shift gradients through EstimatorV2 on Aer."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from qiskit import QuantumCircuit
from qiskit.quantum_info import SparsePauliOp

from synq_jupyter.algorithms.vqe_program import RotationProgram
from synq_jupyter.algorithms.vqe_shift_rule import ShiftRuleEstimator
from synq_jupyter.quantum.targets import SynqTarget

SMALL_CIRCUIT = 14  # qubits; Aer's own threshold for parallel state updates


class SampledEstimator(ShiftRuleEstimator):
    """⟨ψ(θ)|H|ψ(θ)⟩ from ``shots`` samples per measurement basis, with its standard error.

    Runs qiskit-ibm-runtime's ``EstimatorV2`` in local mode on Aer: ideal when ``target``
    is ``None``, otherwise on the circuit transpiled for the catalogue ``target`` with
    that device's calibrated noise. Gradients come from the parameter-shift rule (see
    ``ShiftRuleEstimator``), all shifted circuits in one primitive call.

    Args:
        program: The ansatz as rotations.
        operator: The Hamiltonian.
        shots: Samples per estimate (the precision asked of the estimator is 1/√shots).
        seed: Seeds the transpiler and the sequence of simulator seeds.
        target: A catalogue device whose noise to simulate, or ``None`` for ideal.
        on_shots: Called with the shots each estimator call spent.

    Attributes:
        evaluations: Parameter sets estimated so far (each shifted circuit counts).
        shots_used: Shots spent so far, as the estimator's results count them.
    """

    def __init__(
        self,
        program: RotationProgram,
        operator: SparsePauliOp,
        *,
        shots: int,
        seed: int,
        target: SynqTarget | None = None,
        on_shots: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(program, on_shots)
        self.shots = shots
        self._rng = np.random.default_rng(seed)
        circuit = program.circuit()
        if target is None:
            self._prepare_ideal(circuit, operator, seed)
        else:
            self._prepare_device(circuit, operator, target, seed)
        # Columns of φ in the order the (transpiled) circuit lists its parameters.
        names = [p.name for p in circuit.parameters]
        self._columns = [names.index(p.name) for p in self._circuit.parameters]

    def _run(self, angles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        from qiskit_ibm_runtime import EstimatorV2

        values: list[float] = []
        errors: list[float] = []
        for simulator, pubs in self._batches(angles[:, self._columns]):
            seed = int(self._rng.integers(1, 2**31 - 1))
            with warnings.catch_warnings():
                # EstimatorV2 is deprecated for a client-side estimator without a local mode
                # yet; SynQ's other estimates use it too.
                warnings.simplefilter("ignore", DeprecationWarning)
                estimator = EstimatorV2(
                    mode=simulator, options={"simulator": {"seed_simulator": seed}}
                )
            result = estimator.run(pubs, precision=1 / self.shots**0.5).result()
            self._spent(result, self.shots)
            for pub_result in result:
                values.extend(np.atleast_1d(pub_result.data.evs).tolist())
                errors.extend(np.atleast_1d(pub_result.data.stds).tolist())
        return np.array(values), np.array(errors)

    def _batches(self, values: np.ndarray) -> list[tuple[Any, list[Any]]]:
        """Primitive inputs, grouped by the simulator (noise model) they need."""
        if self._bind is None:
            return [(self._simulator, [(self._circuit, self._observable, values)])]
        batches: list[tuple[Any, list[Any]]] = []
        for row in values:
            simulator, pub = self._bind(row)
            if batches and batches[-1][0] is simulator:
                batches[-1][1].append(pub)
            else:
                batches.append((simulator, [pub]))
        return batches

    def _prepare_ideal(self, circuit: QuantumCircuit, operator: SparsePauliOp, seed: int) -> None:
        from qiskit.transpiler.preset_passmanagers import generate_preset_pass_manager
        from qiskit_aer import AerSimulator

        self._simulator = _quiet(AerSimulator(), circuit.num_qubits)
        manager = generate_preset_pass_manager(
            optimization_level=1, target=self._simulator.target, seed_transpiler=seed
        )
        self._circuit = manager.run(circuit)
        self._observable = operator
        self._bind: Any = None

    def _prepare_device(
        self, circuit: QuantumCircuit, operator: SparsePauliOp, target: SynqTarget, seed: int
    ) -> None:
        from qiskit_aer import AerSimulator

        from synq_jupyter.quantum import transpile_circuit
        from synq_jupyter.quantum.device_simulation import device_simulation

        known = set(AerSimulator().target.operation_names)
        try:
            transpiled: QuantumCircuit | None = transpile_circuit(
                circuit, target, seed=seed
            ).circuit
        except TypeError:
            # Some targets' passes (IonQ's gate rewrites) need numeric angles.
            transpiled = None
        if transpiled is not None and all(
            i.operation.name in known or not i.operation.is_parameterized() for i in transpiled
        ):
            on_device = operator.apply_layout(transpiled.layout)
            device = device_simulation(transpiled, target, keep=_support(on_device))
            self._simulator = _quiet(device.simulator, device.circuit.num_qubits)
            self._circuit, self._bind = device.circuit, None
            self._observable = device.observable(on_device)
            return
        # Natives Aer lacks run as unitaries, which needs their angles bound: prepare each
        # parameter set on its own, sharing one simulator per set of physical qubits.
        self._circuit = circuit if transpiled is None else transpiled
        simulators: dict[tuple[int, ...], Any] = {}

        def bind(row: np.ndarray) -> tuple[Any, Any]:
            if transpiled is None:
                bound = transpile_circuit(circuit.assign_parameters(row), target, seed=seed).circuit
            else:
                bound = transpiled.assign_parameters(row)
            on_device = operator.apply_layout(bound.layout)
            device = device_simulation(bound, target, keep=_support(on_device))
            simulator = simulators.setdefault(
                tuple(device.qubits), _quiet(device.simulator, device.circuit.num_qubits)
            )
            return simulator, (device.circuit, device.observable(on_device))

        self._bind = bind


def _support(operator: SparsePauliOp) -> list[int]:
    return sorted({q for _, qubits, _ in operator.to_sparse_list() for q in qubits})


def _quiet(simulator: Any, num_qubits: int) -> Any:
    """One thread for small circuits: spawning OpenMP threads costs more than it saves."""
    if num_qubits < SMALL_CIRCUIT:
        simulator.set_options(max_parallel_threads=1)
    return simulator
