"""Transpile a circuit for a catalogue target and report on the result."""

from __future__ import annotations

import functools
import numbers
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from synq_jupyter.errors import SynqInputError, TargetError
from synq_jupyter.quantum.targets import SynqTarget, get_target
from synq_jupyter.quantum.targets.synq_target import CONTROL_FLOW
from synq_jupyter.quantum.transpile_report import TranspileReport

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.circuit import Operation

Progress = Callable[[float, str], None]
MAX_SEED = 2**31 - 1


@dataclass
class TranspileResult:
    """A transpiled circuit and its report; ``qasm3`` exports it on first use."""

    circuit: QuantumCircuit
    report: TranspileReport

    @cached_property
    def qasm3(self) -> str:
        """The transpiled circuit as OpenQASM 3 text."""
        from qiskit import qasm3

        return qasm3.dumps(self.circuit)


def transpile_circuit(
    circuit: QuantumCircuit,
    target: str | SynqTarget,
    *,
    optimization_level: int = 2,
    seed: int | None = None,
    progress: Progress | None = None,
) -> TranspileResult:
    """Transpiles ``circuit`` with Qiskit's preset pass manager for ``target``.

    Args:
        circuit: The circuit to transpile.
        target: A catalogue name or target.
        optimization_level: Qiskit preset level, 0 to 3.
        seed: Transpiler seed; a fresh one is drawn (and reported) when ``None``.
        progress: Called with (fraction done, message) as the work advances.

    Returns:
        The transpiled circuit with its report.

    Raises:
        TargetError: The target is unknown, too small, or cannot run the circuit.
        SynqInputError: The level or the seed is out of range.
    """
    from qiskit.transpiler import PassManager
    from qiskit.transpiler.exceptions import TranspilerError
    from qiskit.transpiler.preset_passmanagers import generate_preset_pass_manager

    spec = target if isinstance(target, SynqTarget) else get_target(target)
    level = check_level(optimization_level)
    seed = check_seed(seed)
    check_fits(circuit, spec)
    _report(progress, 0.0, f"transpiling for {spec.name} at level {level}")
    manager = generate_preset_pass_manager(
        optimization_level=level, target=spec.qiskit_target, seed_transpiler=seed
    )
    if level >= 1 and spec.native_passes is not None:
        manager.post_optimization = PassManager(spec.native_passes())
    try:
        transpiled = manager.run(circuit)
    except TranspilerError as exc:
        raise TargetError(f"cannot transpile for {spec.name}: {exc}") from None
    _report(progress, 0.9, "analysing the transpiled circuit")
    report = TranspileReport.build(circuit, transpiled, spec, optimization_level=level, seed=seed)
    _report(progress, 1.0, f"transpiled for {spec.name}")
    return TranspileResult(circuit=transpiled, report=report)


def whole(value: object, low: int, high: int) -> int | None:
    """``value`` as an ``int`` if it is a whole number from ``low`` to ``high`` (numpy
    integers too, not ``bool``), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return None
    number = int(value)
    return number if low <= number <= high else None


def check_level(level: int) -> int:
    checked = whole(level, 0, 3)
    if checked is None:
        raise SynqInputError(
            f"optimization level must be 0, 1, 2 or 3, not {level!r}", field="optimization_level"
        )
    return checked


def check_seed(seed: int | None) -> int:
    if seed is None:
        return secrets.randbelow(MAX_SEED)
    checked = whole(seed, 0, MAX_SEED)
    if checked is None:
        raise SynqInputError(f"seed must be an integer from 0 to {MAX_SEED}", field="seed")
    return checked


def check_fits(circuit: QuantumCircuit, target: SynqTarget) -> None:
    """Raises ``TargetError`` when ``target`` lacks the qubits or the control flow needed,
    and ``SynqInputError`` when no target can run the circuit (see ``check_defined``)."""
    check_defined(circuit)
    if circuit.num_qubits > target.num_qubits:
        raise TargetError(
            f"the circuit uses {circuit.num_qubits} qubits but {target.name} has "
            f"{target.num_qubits}"
        )
    missing = control_flow(circuit) - set(target.qiskit_target.operation_names)
    if missing:
        what = ", ".join(_CONTROL_FLOW_WORDS.get(name, name) for name in sorted(missing))
        raise TargetError(
            f"{target.name} cannot run {what}; choose a target that can (aer_simulator runs "
            "every kind of control flow; IBM devices all but while loops)"
        )


def check_defined(circuit: QuantumCircuit) -> None:
    """Refuses a circuit using a gate that has no definition and is not one Qiskit knows,
    such as an OpenQASM 2 ``opaque`` gate: nothing can run it, and Qiskit says so only deep
    in a transpile (or, for a job, in its worker after it was accepted).

    Raises:
        SynqInputError: Naming the gate (field ``source``).
    """
    from qiskit.circuit import Instruction

    known = _known_operations()
    for operation in _operations(circuit):
        if (
            isinstance(operation, Instruction)
            and not operation._directive
            and operation.name not in known
            # Not ``definition``, which builds it: seconds for a large unitary.
            and operation._definition is None
            and type(operation)._define is Instruction._define
        ):
            raise SynqInputError(
                f"the circuit uses {operation.name}, a gate with no definition (declared "
                "opaque): no simulator or device can run it; define it instead",
                field="source",
            )


@functools.cache
def _known_operations() -> frozenset[str]:
    """Qiskit's standard gates, control flow, and what Aer runs without a definition (noise
    channels; its save and set instructions are directives). Built once: Qiskit makes an
    instance of every standard gate for it, 70 µs on every validation otherwise."""
    from qiskit.circuit.library import get_standard_gate_name_mapping

    undefined = {"store", "kraus", "superop"}  # run as they are, without a definition
    return frozenset(get_standard_gate_name_mapping()) | CONTROL_FLOW | undefined


_CONTROL_FLOW_WORDS = {
    "if_else": "mid-circuit measurement feedback (if/else)",
    "for_loop": "for loops",
    "while_loop": "while loops",
    "switch_case": "switch statements",
}


def control_flow(circuit: QuantumCircuit) -> set[str]:
    """The control-flow operations ``circuit`` uses, nested ones too."""
    return {op.name for op in _operations(circuit) if getattr(op, "blocks", ())}


def _operations(circuit: QuantumCircuit) -> Iterator[Operation]:
    """Every operation of ``circuit``, and of the blocks of its control flow."""
    pending = [circuit]
    while pending:
        for instruction in pending.pop().data:
            yield instruction.operation
            pending.extend(getattr(instruction.operation, "blocks", ()))


def _report(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(fraction, message)
