"""The QAOA circuit of a problem, for sampling the same angles on Aer or hardware."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from synq_jupyter.algorithms.problems import Problem
from synq_jupyter.errors import SynqInputError

if TYPE_CHECKING:
    from qiskit import QuantumCircuit


def qaoa_circuit(
    problem: Problem, gammas: Sequence[float], betas: Sequence[float]
) -> QuantumCircuit:
    """Builds the QAOA circuit: H on every qubit, then per layer the cost and the mixer.

    The cost layer ``exp(-i gamma C)`` is ``RZZ(2 gamma w)`` per quadratic term and
    ``RZ(2 gamma h)`` per linear term (C's constant only changes the global phase); the
    mixer is ``RX(2 beta)`` on every qubit. Its statevector equals ``QAOASimulator.state``
    up to a global phase. The circuit measures nothing; ``run_local`` measures every qubit.

    Args:
        problem: The problem; qubit i is variable i.
        gammas: The cost angle of each layer.
        betas: The mixer angle of each layer, as many as ``gammas``.

    Returns:
        The circuit on ``problem.num_variables`` qubits.

    Raises:
        SynqInputError: ``gammas`` and ``betas`` differ in length or are empty.
    """
    from qiskit import QuantumCircuit

    if len(gammas) != len(betas) or not gammas:
        raise SynqInputError("give one gamma and one beta per layer, at least one layer")
    circuit = QuantumCircuit(problem.num_variables, name=f"qaoa_{problem.kind}_p{len(gammas)}")
    circuit.h(range(problem.num_variables))
    for gamma, beta in zip(gammas, betas, strict=True):
        for i, j, w in problem.quadratic:
            circuit.rzz(2 * gamma * w, i, j)
        for i, h in enumerate(problem.linear):
            if h != 0.0:
                circuit.rz(2 * gamma * h, i)
        circuit.rx(2 * beta, range(problem.num_variables))
    return circuit
