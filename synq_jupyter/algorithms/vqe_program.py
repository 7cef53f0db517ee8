"""An ansatz circuit rewritten as Pauli rotations with one angle each, and fixed gates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from qiskit import QuantumCircuit
from qiskit.circuit import Gate, Instruction, Parameter, ParameterExpression, ParameterVector
from qiskit.circuit.library import PauliEvolutionGate, RXGate, RYGate, RZGate
from qiskit.quantum_info import Pauli, SparsePauliOp

# Gates that are exp(-iφ/2 P) for the Pauli string P, written in Qiskit's label order.
ROTATIONS = {"rx": "X", "ry": "Y", "rz": "Z", "rxx": "XX", "ryy": "YY", "rzz": "ZZ"}
SINGLE_QUBIT = {"X": RXGate, "Y": RYGate, "Z": RZGate}
IGNORED = {"barrier", "delay"}


@dataclass(frozen=True)
class PauliRotation:
    """``exp(-iφ/2 · pauli)`` on the whole register, with φ the program's angle ``index``."""

    pauli: Pauli
    index: int


@dataclass(frozen=True)
class FixedGate:
    """A gate without parameters, on ``qubits`` of the register."""

    operation: Instruction
    qubits: tuple[int, ...]


@dataclass(frozen=True)
class RotationProgram:
    """The same unitary as an ansatz circuit, as steps whose angles are ``A θ + b``.

    Every angle φ drives exactly one Pauli rotation, so ∂E/∂φ obeys the two-term
    parameter-shift rule (shifts of ±π/2) whatever the ansatz; a circuit parameter that
    drives several rotations (a UCCSD excitation) gets its gradient by the chain rule
    ``Aᵀ ∂E/∂φ``.

    Attributes:
        num_qubits: Width of the register.
        steps: Rotations and fixed gates, in circuit order.
        weights: ``A``, of shape (rotations, circuit parameters).
        offsets: ``b``, the constant part of each angle.
    """

    num_qubits: int
    steps: tuple[PauliRotation | FixedGate, ...]
    weights: np.ndarray
    offsets: np.ndarray

    @property
    def num_rotations(self) -> int:
        return int(self.weights.shape[0])

    def angles(self, theta: np.ndarray) -> np.ndarray:
        """The rotation angles φ for circuit parameters ``theta``."""
        return np.asarray(self.weights @ theta + self.offsets, dtype=float)

    def circuit(self) -> QuantumCircuit:
        """A circuit over the angles φ (parameters ``φ[0] …``), for primitives."""
        phi = ParameterVector("φ", self.num_rotations)
        circuit = QuantumCircuit(self.num_qubits)
        for step in self.steps:
            if isinstance(step, FixedGate):
                circuit.append(step.operation, step.qubits)
                continue
            label = step.pauli.to_label()
            support = [q for q in range(self.num_qubits) if label[-1 - q] != "I"]
            local = "".join(label[-1 - q] for q in reversed(support))
            if len(support) == 1:
                circuit.append(SINGLE_QUBIT[local](phi[step.index]), support)
            else:
                circuit.append(PauliEvolutionGate(Pauli(local), time=phi[step.index] / 2), support)
        return circuit


def compile_rotations(circuit: QuantumCircuit) -> RotationProgram:
    """Rewrites ``circuit`` as a ``RotationProgram`` over ``circuit.parameters``.

    Rotation gates (rx … rzz) and Pauli evolutions of commuting terms become one rotation
    per Pauli term; other gates with parameters are expanded through their definitions.

    Raises:
        ValueError: The circuit measures, resets, or uses a parameter non-linearly.
    """
    builder = _Builder(circuit)
    builder.walk(circuit, list(range(circuit.num_qubits)))
    rotations = len(builder.rows)
    weights = np.array(builder.rows, dtype=float).reshape(rotations, circuit.num_parameters)
    return RotationProgram(
        num_qubits=circuit.num_qubits,
        steps=tuple(builder.steps),
        weights=weights,
        offsets=np.array(builder.offsets, dtype=float),
    )


class _Builder:
    def __init__(self, circuit: QuantumCircuit) -> None:
        self.num_qubits = circuit.num_qubits
        self.position = {p: i for i, p in enumerate(circuit.parameters)}
        self.steps: list[PauliRotation | FixedGate] = []
        self.rows: list[np.ndarray] = []
        self.offsets: list[float] = []

    def walk(self, circuit: QuantumCircuit, qubit_map: list[int]) -> None:
        for inst in circuit.data:
            op = inst.operation
            qubits = [qubit_map[circuit.find_bit(q).index] for q in inst.qubits]
            if op.name in IGNORED:
                continue
            if op.name in ROTATIONS:
                self.rotate(ROTATIONS[op.name], qubits, op.params[0])
            elif isinstance(op, PauliEvolutionGate) and _commuting_hermitian(op.operator):
                operator = op.operator
                for label, coeff in operator.to_list():
                    self.rotate(label, qubits, 2 * float(np.real(coeff)) * op.params[0])
            elif isinstance(op, Gate) and not op.is_parameterized() and _has_matrix(op):
                self.steps.append(FixedGate(op, tuple(qubits)))
            elif op.definition is not None and op.name not in ("measure", "reset"):
                self.walk(op.definition, qubits)
            else:
                raise ValueError(f"an ansatz cannot contain {op.name!r}")

    def rotate(self, label: str, qubits: list[int], angle: Any) -> None:
        letters = ["I"] * self.num_qubits
        for k, qubit in enumerate(qubits):
            letters[-1 - qubit] = label[-1 - k]
        if set(letters) == {"I"}:
            return  # a global phase
        row, offset = self.linear(angle)
        self.steps.append(PauliRotation(Pauli("".join(letters)), len(self.rows)))
        self.rows.append(row)
        self.offsets.append(offset)

    def linear(self, angle: Any) -> tuple[np.ndarray, float]:
        row = np.zeros(len(self.position))
        if not isinstance(angle, ParameterExpression):
            return row, float(angle)
        for parameter in angle.parameters:
            slope = angle.gradient(parameter)
            if isinstance(slope, ParameterExpression) and slope.parameters:
                raise ValueError(f"the angle {angle} is not linear in its parameters")
            row[self.position[parameter]] = float(np.real(complex(slope)))
        zero: dict[Parameter, float] = dict.fromkeys(angle.parameters, 0.0)
        return row, float(angle.bind(zero))


def _commuting_hermitian(operator: Any) -> bool:
    if not isinstance(operator, SparsePauliOp) or np.any(np.abs(operator.coeffs.imag) > 1e-12):
        return False
    paulis = operator.paulis
    return all(paulis[i].commutes(paulis[j]) for i in range(len(paulis)) for j in range(i))


def _has_matrix(op: Gate) -> bool:
    try:
        op.to_matrix()
    except Exception:
        return False
    return True
