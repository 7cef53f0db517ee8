"""Counts, depths and error-weighted estimates over a circuit's instructions."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from qiskit import QuantumCircuit
    from qiskit.circuit import CircuitInstruction
    from qiskit.transpiler import Target

NOT_OPERATIONS = frozenset({"barrier", "delay"})
Calibration = dict[tuple[str, tuple[int, ...]], tuple[float | None, float | None]]

State = TypeVar("State")
N = TypeVar("N", int, float)

EXACT_VISITS = 200_000
"""Instructions a walk visits before ``for`` loops stop being run iteration by iteration
(after two iterations each): beyond it, each further iteration adds what the last one did."""


def flat_instructions(
    circuit: QuantumCircuit,
) -> Iterator[tuple[CircuitInstruction, list[int], list[int]]]:
    """Yields every instruction with the circuit's qubit and clbit indices it acts on.

    The bodies of control-flow blocks are included as if their branch were taken, which is
    the conservative choice for error and time estimates.
    """
    qubit_index = {q: i for i, q in enumerate(circuit.qubits)}
    clbit_index = {c: i for i, c in enumerate(circuit.clbits)}
    for instruction in circuit.data:
        qubits = [qubit_index[q] for q in instruction.qubits]
        clbits = [clbit_index[c] for c in instruction.clbits]
        blocks = getattr(instruction.operation, "blocks", ())
        if blocks:
            for block in blocks:
                for inner, inner_qubits, inner_clbits in flat_instructions(block):
                    yield (
                        inner,
                        [qubits[i] for i in inner_qubits],
                        [clbits[i] for i in inner_clbits],
                    )
            continue
        yield instruction, qubits, clbits


def op_counts(circuit: QuantumCircuit) -> dict[str, int]:
    """Number of each operation by name, largest first."""
    return {str(name): int(n) for name, n in circuit.count_ops().items()}


def two_qubit_count(circuit: QuantumCircuit) -> int:
    """Number of operations acting on exactly two qubits, inside control flow too: a ``for``
    loop's once per iteration, a ``while`` loop's once, every branch of an ``if``."""
    count = 0
    for inst in circuit.data:
        if inst.is_control_flow():
            op = inst.operation
            times = len(op.params[0]) if inst.name == "for_loop" else 1
            count += times * sum(two_qubit_count(block) for block in op.blocks)
        elif len(inst.qubits) == 2 and inst.name not in NOT_OPERATIONS:
            count += 1
    return count


def depth(circuit: QuantumCircuit) -> int:
    """Layers of operations, as Qiskit's ``QuantumCircuit.depth()`` counts them (barriers
    left out), but looking into control flow, which Qiskit counts as one layer: a ``for``
    loop as its body written out once per iteration; an ``if`` or ``switch`` as its deepest
    branch, and a ``while`` loop as its body once (how often it runs is only known when it
    does), each starting once all its bits are free."""
    from qiskit.converters import circuit_to_dag

    if not any(inst.is_control_flow() for inst in circuit.data):
        dag = circuit_to_dag(circuit)  # in Rust
        dag.remove_all_ops_named("barrier")
        return int(dag.depth())
    walk = _DepthWalk()
    walk.run(circuit, list(range(circuit.num_qubits + circuit.num_clbits)), walk.level)
    return max(walk.level.values(), default=0)


class _DepthWalk:
    """The state of ``depth``'s pass: each bit's layer (clbits numbered after the qubits)."""

    def __init__(self) -> None:
        self.level: dict[int, int] = {}
        self.visits = 0

    def run(self, circuit: QuantumCircuit, bits: list[int], level: dict[int, int]) -> None:
        index = dict(zip([*circuit.qubits, *circuit.clbits], bits, strict=True))
        self.visits += len(circuit.data)
        for inst in circuit.data:
            if inst.name == "barrier":
                continue
            on = [index[b] for b in (*inst.qubits, *inst.clbits)]
            start = max([level.get(b, 0) for b in on], default=0)
            if not inst.is_control_flow():
                for bit in on:
                    level[bit] = start + 1
                continue
            blocks = inst.operation.blocks
            if inst.name == "for_loop":  # as if written out: no waiting for a condition
                self._loop(blocks[0], on, level, len(inst.operation.params[0]))
                continue
            for bit in on:  # a branch or a while loop starts once its condition is known
                level[bit] = start
            if inst.name in ("if_else", "switch_case"):
                branches = [dict(level) for _ in blocks]
                for block, branch in zip(blocks, branches, strict=True):
                    self.run(block, on, branch)
                for bit in on:
                    level[bit] = max(branch[bit] for branch in branches)
            else:
                for block in blocks:
                    self.run(block, on, level)

    def _loop(self, body: QuantumCircuit, on: list[int], level: dict[int, int], times: int) -> None:
        def snapshot() -> dict[int, int]:
            return {b: level.get(b, 0) for b in on}

        def extend(before: dict[int, int], more: int) -> None:
            _extend(level, before, on, more)

        repeat(
            times,
            lambda: self.run(body, on, level),
            snapshot,
            extend,
            lambda: self.visits > EXACT_VISITS,
        )


def repeat(
    times: int,
    once: Callable[[], None],
    snapshot: Callable[[], State],
    extend: Callable[[State, int], None],
    exhausted: Callable[[], bool],
) -> None:
    """Runs a loop body's walk ``times`` times; once ``exhausted()`` (and after at least two
    iterations, past the first one's start-up), ``extend`` adds the rest, given the state
    ``snapshot`` took before the last iteration run and how many iterations remain."""
    done = 0
    before: State | None = None
    while done < times and not (done >= 2 and exhausted()):
        before = snapshot()
        once()
        done += 1
    if done < times and before is not None:
        extend(before, times - done)


def _extend(state: dict[int, N], before: dict[int, N], bits: list[int], times: int) -> None:
    """Moves each bit on by ``times`` more of what the last iteration added to it."""
    for bit in bits:
        now = state.get(bit, before[bit])
        state[bit] = now + times * (now - before[bit])


def calibration_table(target: Target) -> Calibration:
    """``(name, qubits) -> (error, duration)`` for every calibrated instruction of ``target``."""
    table: Calibration = {}
    for name in target.operation_names:
        entries = target[name]
        if not entries:
            continue
        for qargs, props in entries.items():
            if qargs is not None and props is not None:
                table[(name, tuple(qargs))] = (props.error, props.duration)
    return table


@dataclass(frozen=True)
class ExecutionMetrics:
    """What one pass over a transpiled circuit measures against a target's calibration.

    ``estimated_success_probability`` is the product of (1 - error) over the gates and
    measurements; idle decoherence is left out, as in IBM's own estimator.
    ``estimated_duration_s`` is the length of an as-soon-as-possible schedule with the
    target's durations, or ``None`` when the target knows none (a simulator).
    ``two_qubit_depth`` follows Qiskit's ``depth(filter_function=...)`` rule: only
    two-qubit operations add a layer.
    """

    two_qubit_count: int
    two_qubit_depth: int
    estimated_success_probability: float
    estimated_duration_s: float | None
    fingerprint: str


def execution_metrics(circuit: QuantumCircuit, calibration: Calibration) -> ExecutionMetrics:
    """Measures ``circuit`` in one pass (see ``ExecutionMetrics``).

    The fingerprint is a SHA-256 over every instruction's name, parameters and bits, so it
    changes whenever the circuit does and never with anything else.
    """
    walk = _Walk(calibration, circuit.num_qubits)
    walk.run(circuit, list(range(circuit.num_qubits)), list(range(circuit.num_clbits)))
    return ExecutionMetrics(
        two_qubit_count=walk.two_qubit_count,
        two_qubit_depth=max(walk.level.values(), default=0),
        estimated_success_probability=walk.probability,
        estimated_duration_s=max(walk.finish.values(), default=0.0)
        if walk.known_duration
        else None,
        fingerprint=hashlib.sha256(repr(walk.fingerprint).encode()).hexdigest(),
    )


class _Walk:
    """The state of ``execution_metrics``'s pass.

    This runs after every transpile on circuits of tens of thousands of instructions, so it
    reads names and parameters straight from the instructions (never ``inst.operation``,
    which builds a Python gate object) and keeps per-bit state in flat dicts; clbits are
    numbered after the qubits.
    """

    def __init__(self, calibration: Calibration, clbit_offset: int) -> None:
        self.calibration = calibration
        self.clbit_offset = clbit_offset
        self.fingerprint: list[tuple[object, ...]] = []
        self.two_qubit_count = 0
        self.probability = 1.0
        self.known_duration = False
        self.level: dict[int, int] = {}
        self.finish: dict[int, float] = {}
        self.has_params: dict[str, bool] = {}
        self.visits = 0
        self.recording = True
        """Whether instructions go into the fingerprint (a loop body's, only the first time)."""

    def run(self, circuit: QuantumCircuit, qubit_map: list[int], clbit_map: list[int]) -> None:
        qubit_index = {q: qubit_map[i] for i, q in enumerate(circuit.qubits)}
        clbit_index = {c: clbit_map[i] for i, c in enumerate(circuit.clbits)}
        level, finish, calibration = self.level, self.finish, self.calibration
        self.visits += len(circuit.data)
        for inst in circuit.data:
            qubits = tuple([qubit_index[q] for q in inst.qubits])
            clbits = tuple([clbit_index[c] for c in inst.clbits]) if inst.clbits else ()
            if inst.is_control_flow():
                blocks = inst.operation.blocks
                if inst.name == "for_loop":
                    self._loop(blocks[0], qubits, clbits, len(inst.operation.params[0]))
                    continue
                for block in blocks:
                    self.run(block, list(qubits), list(clbits))
                continue
            name = inst.name
            # Reading params is the slow part; a gate name has the same number of params on
            # every instance, so names seen without params skip the read.
            params = inst.params if self.has_params.get(name, True) else ()
            if name not in self.has_params:
                self.has_params[name] = bool(params)
            if self.recording:
                self.fingerprint.append((name, params, qubits, clbits))
            error, duration = calibration.get((name, qubits), (None, None))
            if error and name not in NOT_OPERATIONS:
                self.probability *= 1.0 - error
            if duration is not None:
                self.known_duration = True
            if len(qubits) == 1 and not clbits:
                # A one-qubit gate adds no two-qubit layer: only its own clock moves.
                (q,) = qubits
                if duration:
                    finish[q] = finish.get(q, 0.0) + duration
                continue
            bits = qubits + tuple(self.clbit_offset + c for c in clbits) if clbits else qubits
            layer = max([level.get(b, 0) for b in bits], default=0)
            if len(qubits) == 2 and name not in NOT_OPERATIONS:
                self.two_qubit_count += 1
                layer += 1
            end = max([finish.get(b, 0.0) for b in bits], default=0.0) + (duration or 0.0)
            for bit in bits:
                level[bit] = layer
                finish[bit] = end

    def _loop(
        self, body: QuantumCircuit, qubits: tuple[int, ...], clbits: tuple[int, ...], times: int
    ) -> None:
        """A ``for`` loop: its body once per iteration (see ``repeat``), in the fingerprint
        once, with the iteration count. Errors and two-qubit gates are the same every
        iteration; layers and time too, once the first iteration has lined the bits up."""
        if self.recording:
            self.fingerprint.append(("for_loop", times, qubits, clbits))
        recording = self.recording
        bits = [*qubits, *(self.clbit_offset + c for c in clbits)]

        def once() -> None:
            self.run(body, list(qubits), list(clbits))
            self.recording = False

        def snapshot() -> _LoopState:
            return _LoopState(
                {b: self.level.get(b, 0) for b in bits},
                {b: self.finish.get(b, 0.0) for b in bits},
                self.probability,
                self.two_qubit_count,
            )

        def extend(before: _LoopState, more: int) -> None:
            if before.probability > 0:
                self.probability *= (self.probability / before.probability) ** more
            self.two_qubit_count += more * (self.two_qubit_count - before.two_qubit_count)
            _extend(self.level, before.level, bits, more)
            _extend(self.finish, before.finish, bits, more)

        repeat(times, once, snapshot, extend, lambda: self.visits > EXACT_VISITS)
        self.recording = recording


@dataclass(frozen=True)
class _LoopState:
    """What a ``for`` loop's iteration changes, as it was before one."""

    level: dict[int, int]
    finish: dict[int, float]
    probability: float
    two_qubit_count: int
