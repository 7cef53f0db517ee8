"""Static analysis of a circuit: depth, critical path, idle qubits, T-count, feasibility."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import TargetError
from synq_jupyter.quantum import circuit_metrics as metrics
from synq_jupyter.quantum.targets import SynqTarget, list_targets
from synq_jupyter.quantum.transpile import check_fits, transpile_circuit

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

# T gates in the standard Clifford+T decompositions of these gates.
_FIXED_T_COUNT = {"t": 1, "tdg": 1, "ccx": 7, "ccz": 7, "cswap": 7, "rccx": 4}
_PHASE_ROTATIONS = {"rz", "p", "u1", "rx", "ry"}
# Seed of the trial transpiles, so that the same circuit always gets the same feasibility.
FEASIBILITY_SEED = 11


@dataclass(frozen=True)
class Feasibility:
    """Whether a circuit can run on one target, and what it would cost in gates and fidelity."""

    target: str
    feasible: bool
    reason: str | None = None
    two_qubit_count: int | None = None
    depth: int | None = None
    estimated_success_probability: float | None = None
    estimated_duration_s: float | None = None


@dataclass(frozen=True)
class CircuitAnalysis:
    """What a circuit needs, before any transpiling.

    ``critical_path`` lists the operations on the longest dependency chain, in order.
    ``t_count`` counts T gates in the Clifford+T form of the fixed gates (T/Tdg, Toffoli ...)
    and of phase rotations by odd multiples of π/4; ``non_clifford_rotations`` counts the
    rotations that would need approximate synthesis.
    """

    num_qubits: int
    num_clbits: int
    depth: int
    ops: dict[str, int]
    two_qubit_count: int
    critical_path: list[dict[str, Any]]
    idle_qubits: list[int]
    t_count: int
    non_clifford_rotations: int
    feasibility: list[Feasibility]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def analyze_circuit(
    circuit: QuantumCircuit, targets: list[SynqTarget] | None = None
) -> CircuitAnalysis:
    """Analyses ``circuit`` and checks it against ``targets`` (every catalogue target by default).

    Feasibility comes from a real transpile at optimization level 2 (what a run uses unless
    told otherwise) with a fixed seed on each target that has room for the circuit.
    """
    t_count, rotations = _t_count(circuit)
    return CircuitAnalysis(
        num_qubits=circuit.num_qubits,
        num_clbits=circuit.num_clbits,
        depth=metrics.depth(circuit),
        ops=metrics.op_counts(circuit),
        two_qubit_count=metrics.two_qubit_count(circuit),
        critical_path=_critical_path(circuit),
        idle_qubits=_idle_qubits(circuit),
        t_count=t_count,
        non_clifford_rotations=rotations,
        feasibility=[target_feasibility(circuit, t) for t in (targets or list_targets())],
    )


def _critical_path(circuit: QuantumCircuit) -> list[dict[str, Any]]:
    from qiskit.converters import circuit_to_dag
    from qiskit.dagcircuit import DAGOpNode

    dag = circuit_to_dag(circuit)
    return [
        {"name": node.op.name, "qubits": [circuit.find_bit(q).index for q in node.qargs]}
        for node in dag.longest_path()
        if isinstance(node, DAGOpNode) and node.op.name != "barrier"
    ]


def _idle_qubits(circuit: QuantumCircuit) -> list[int]:
    used = {
        q
        for inst, qubits, _ in metrics.flat_instructions(circuit)
        for q in qubits
        if inst.operation.name != "barrier"
    }
    return [q for q in range(circuit.num_qubits) if q not in used]


def _t_count(circuit: QuantumCircuit, times: int = 1) -> tuple[int, int]:
    """T gates and other non-Clifford rotations, each counted ``times`` over. A ``for``
    loop's body counts once per iteration; a ``while`` loop's, whose count is not known
    here, once; every branch of an ``if``, as if it were taken."""
    t_count = 0
    rotations = 0
    for instruction in circuit.data:
        op = instruction.operation
        blocks = getattr(op, "blocks", ())
        if blocks:
            repeat = times * (len(op.params[0]) if op.name == "for_loop" else 1)
            for block in blocks:
                inner_t, inner_rotations = _t_count(block, repeat)
                t_count += inner_t
                rotations += inner_rotations
        elif op.name in _FIXED_T_COUNT:
            t_count += times * _FIXED_T_COUNT[op.name]
        elif op.name in _PHASE_ROTATIONS and op.params:
            try:
                quarters = float(op.params[0]) / (math.pi / 4)
            except TypeError:  # a free parameter: not known until bound
                rotations += times
                continue
            nearest = round(quarters)
            if not math.isclose(quarters, nearest, abs_tol=1e-9):
                rotations += times
            elif nearest % 2:
                t_count += times
    return t_count, rotations


def target_feasibility(
    circuit: QuantumCircuit, target: SynqTarget, *, seed: int = FEASIBILITY_SEED
) -> Feasibility:
    """Whether ``circuit`` runs on ``target``, from a transpile at level 2 with ``seed``.

    Level 2, as a run transpiles by default, so that the success probability estimated here
    is the one a run's report shows: level 1 keeps the trivial layout when it fits, and on a
    device whose first qubits are poor it estimated 0.81 for a Bell pair that runs at 0.98.
    A circuit that does not fit, or that Qiskit cannot transpile for the target, is
    infeasible with the reason in words.
    """
    try:
        check_fits(circuit, target)
        result = transpile_circuit(circuit, target, optimization_level=2, seed=seed)
    except TargetError as exc:
        return Feasibility(target=target.name, feasible=False, reason=exc.message)
    report = result.report
    return Feasibility(
        target=target.name,
        feasible=True,
        two_qubit_count=report.two_qubit_count,
        depth=report.depth,
        estimated_success_probability=report.estimated_success_probability,
        estimated_duration_s=report.estimated_duration_s,
    )
