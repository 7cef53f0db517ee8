"""Build the circuit a checked spec asks for, from Qiskit's library and synthesis functions."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from synq_jupyter.quantum.synthesis.grover_oracle import GroverOracle
from synq_jupyter.quantum.synthesis.spec import SynthesisSpec

if TYPE_CHECKING:
    from qiskit import QuantumCircuit


def build_circuit(spec: SynthesisSpec) -> QuantumCircuit:
    """The circuit for ``spec``, before it is lowered to standard gates.

    Args:
        spec: A checked spec.

    Returns:
        The circuit, without measurements.
    """
    return _BUILDERS[spec.kind](spec.params)


def _ghz(params: Mapping[str, Any]) -> QuantumCircuit:
    """Fans the first qubit's superposition out, doubling the entangled qubits each layer."""
    from qiskit import QuantumCircuit

    num_qubits = params["num_qubits"]
    circuit = QuantumCircuit(num_qubits, name=f"ghz_{num_qubits}")
    circuit.h(0)
    entangled = 1
    while entangled < num_qubits:
        step = min(entangled, num_qubits - entangled)
        for source in range(step):
            circuit.cx(source, entangled + source)
        entangled += step
    return circuit


def _w_state(params: Mapping[str, Any]) -> QuantumCircuit:
    """Passes the excitation down the line, leaving a 1/n share of probability on each qubit."""
    from qiskit import QuantumCircuit

    num_qubits = params["num_qubits"]
    circuit = QuantumCircuit(num_qubits, name=f"w_{num_qubits}")
    circuit.x(0)
    for k in range(num_qubits - 1):
        # Keep amplitude 1/sqrt(n - k) of what is left on qubit k and move the rest on.
        theta = 2 * math.acos(math.sqrt(1 / (num_qubits - k)))
        circuit.cry(theta, k, k + 1)
        circuit.cx(k + 1, k)
    return circuit


def _qft(params: Mapping[str, Any]) -> QuantumCircuit:
    from qiskit.synthesis import synth_qft_full

    return synth_qft_full(
        params["num_qubits"],
        do_swaps=params["swaps"],
        inverse=params["inverse"],
        name="iqft" if params["inverse"] else "qft",
    )


def _grover(params: Mapping[str, Any]) -> QuantumCircuit:
    """Uniform superposition, then the oracle and the diffusion, ``iterations`` times."""
    from qiskit import QuantumCircuit
    from qiskit.circuit.library import grover_operator

    oracle = GroverOracle.parse(params["oracle"])
    iteration = grover_operator(oracle.circuit())
    circuit = QuantumCircuit(oracle.num_qubits, name="grover")
    circuit.h(range(oracle.num_qubits))
    for _ in range(oracle.iterations(params["iterations"])):
        circuit.compose(iteration, inplace=True)
    return circuit


def _state_preparation(params: Mapping[str, Any]) -> QuantumCircuit:
    from qiskit import QuantumCircuit
    from qiskit.circuit.library import StatePreparation

    gate = StatePreparation(list(params["amplitudes"]))
    circuit = QuantumCircuit(gate.num_qubits, name="state_preparation")
    circuit.append(gate, circuit.qubits)
    return circuit


def _unitary(params: Mapping[str, Any]) -> QuantumCircuit:
    import numpy as np
    from qiskit import QuantumCircuit
    from qiskit.circuit.library import UnitaryGate

    gate = UnitaryGate(np.array(params["matrix"], dtype=complex))
    circuit = QuantumCircuit(gate.num_qubits, name="unitary")
    circuit.append(gate, circuit.qubits)
    return circuit


def _permutation(params: Mapping[str, Any]) -> QuantumCircuit:
    from qiskit import QuantumCircuit
    from qiskit.circuit.library import PermutationGate

    gate = PermutationGate(list(params["pattern"]))
    circuit = QuantumCircuit(gate.num_qubits, name="permutation")
    circuit.append(gate, circuit.qubits)
    return circuit


def _clifford(params: Mapping[str, Any]) -> QuantumCircuit:
    from qiskit.quantum_info import Clifford
    from qiskit.synthesis import synth_circuit_from_stabilizers

    if "destabilizers" not in params:
        return synth_circuit_from_stabilizers(list(params["stabilizers"]))
    clifford = Clifford.from_dict(
        {"stabilizer": list(params["stabilizers"]), "destabilizer": list(params["destabilizers"])}
    )
    return clifford.to_circuit()


def _adder(params: Mapping[str, Any]) -> QuantumCircuit:
    """Registers ``a`` and ``b`` of ``num_bits`` each, then ``cout`` and a helper qubit.

    The circuit adds in place: ``b`` becomes ``(a + b) mod 2**n`` and ``cout`` the carry.
    """
    from qiskit.synthesis import adder_ripple_c04

    return adder_ripple_c04(params["num_bits"], kind="half")


_BUILDERS: dict[str, Callable[[Mapping[str, Any]], QuantumCircuit]] = {
    "ghz": _ghz,
    "w_state": _w_state,
    "qft": _qft,
    "grover": _grover,
    "state_preparation": _state_preparation,
    "unitary": _unitary,
    "permutation": _permutation,
    "clifford": _clifford,
    "adder": _adder,
}
