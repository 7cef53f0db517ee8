"""Submitting a circuit with unbound parameters is refused in the kernel, naming the
parameters as the user wrote them, before any request is sent."""

from __future__ import annotations

import pytest
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter

from synq_jupyter.errors import SynqInputError
from synq_jupyter.kernel.client import SynqClient
from synq_jupyter.kernel.job_handle import submit, submit_batch


def offline() -> SynqClient:
    """A client whose server is down: any request would fail with another error."""
    return SynqClient("http://127.0.0.1:9/synq/api/", token="t")


def rotated(*names: str) -> QuantumCircuit:
    circuit = QuantumCircuit(1)
    for name in names:
        circuit.rx(Parameter(name), 0)
    return circuit


@pytest.mark.parametrize("name", ["t", "x", "pi", "theta"])
def test_submit_names_the_parameter_as_written(name: str) -> None:
    with pytest.raises(SynqInputError) as refused:
        submit(rotated(name), client=offline())

    assert f"unbound parameters ({name});" in str(refused.value)
    assert "_0" not in str(refused.value)


def test_submit_batch_names_the_circuit_and_its_parameters() -> None:
    bound = rotated("t").assign_parameters([0.5])

    with pytest.raises(SynqInputError) as refused:
        submit_batch([bound, rotated("x", "t")], client=offline())

    [line] = refused.value._render_traceback_()
    assert line == (
        "SynqInputError: circuits[1] has unbound parameters (t, x); "
        "give them values (circuit.assign_parameters) before submitting"
    )
