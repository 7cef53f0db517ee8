"""Lowered SynQ operations: what the checker hands to the OpenQASM 3 emitter."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhysicalQubit:
    """A qubit of a declared register, ``q[1]``."""

    register: str
    index: int

    def __str__(self) -> str:
        return f"{self.register}[{self.index}]"


@dataclass(frozen=True)
class QubitParam:
    """A ``qubit`` parameter of the kernel being defined; replaced when the kernel is called."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class AngleParam:
    """An ``angle`` parameter of the kernel being defined; replaced when it is called."""

    name: str


QubitValue = PhysicalQubit | QubitParam
AngleValue = float | AngleParam


@dataclass(frozen=True)
class GateOp:
    """One standard gate: ``h``, ``x``, ``y``, ``z``, ``cx``, ``rx``, ``ry``, ``rz`` or ``p``.

    Attributes:
        name: The OpenQASM 3 gate name.
        qubits: The qubits, control first for ``cx``.
        angle: The rotation angle in radians, for the rotation gates.
        line: Source line of the statement the gate comes from.
        column: Source column of that statement's gate name.
    """

    name: str
    qubits: tuple[QubitValue, ...]
    angle: AngleValue | None
    line: int
    column: int


@dataclass(frozen=True)
class MeasureOp:
    """``bit[0] = measure qubit`` into the one-bit register ``bit``."""

    qubit: PhysicalQubit
    bit: str


@dataclass(frozen=True)
class ConditionalOp:
    """Gates applied when the measured ``bit`` is 1 (or 0 when ``negated``)."""

    bit: str
    negated: bool
    gates: tuple[GateOp, ...]


Operation = GateOp | MeasureOp | ConditionalOp
