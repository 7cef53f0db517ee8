"""What users pass to the algorithm helpers (``vqe``, ``qaoa``, ``train_qnn`` ...): numpy
values are sent as numbers; a missing, NaN or non-numeric input is one line naming it, and
nothing reaches the server."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from qiskit.quantum_info import SparsePauliOp

from synq_jupyter.errors import SynqInputError
from synq_jupyter.kernel import algorithms
from synq_jupyter.kernel.client import SynqClient
from tests.kernel.scripted_api import Api

JOB_ID = "5ef9a63ee3914a68973bb28f2afacf37"
NAN = float("nan")


def refusal(call: Any) -> str:
    """The one line IPython shows for ``call()``'s error."""
    with pytest.raises(SynqInputError) as refused:
        call()
    [line] = refused.value._render_traceback_()
    return line


def offline() -> SynqClient:
    """A client whose server is down: any request would fail with another error."""
    return SynqClient("http://127.0.0.1:9/synq/api/", token="t")


@pytest.mark.parametrize(
    ("call", "line"),
    [
        (
            lambda c: algorithms.vqe(client=c),
            "SynqInputError: hamiltonian: give a hamiltonian (a SparsePauliOp, or paulis and "
            "coeffs) or a molecule",
        ),
        (
            lambda c: algorithms.vqe({"paulis": ["ZZ"], "coeffs": [1.0]}, molecule={}, client=c),
            "SynqInputError: hamiltonian: give a hamiltonian or a molecule, not both",
        ),
        (
            lambda c: algorithms.vqe(SparsePauliOp(["ZZ", "XI"], [1.0, 0.5j]), client=c),
            "SynqInputError: hamiltonian.coeffs[1]: coefficient 0.5j is complex; "
            "an observable's coefficients are real",
        ),
        (
            lambda c: algorithms.vqe({"paulis": ["ZZ"], "coeffs": [NAN]}, client=c),
            "SynqInputError: hamiltonian.coeffs[0]: nan is not a finite number",
        ),
        (
            lambda c: algorithms.qaoa(
                {"type": "maxcut", "edges": [[0, 1, NAN], [1, 2, 1.0]]}, client=c
            ),
            "SynqInputError: problem.edges[0][2]: nan is not a finite number",
        ),
        (
            lambda c: algorithms.train_qnn(X=[[1.0, NAN], [0.0, 1.0]], y=[0, 1], client=c),
            "SynqInputError: X[0][1]: nan is not a finite number",
        ),
        (
            lambda c: algorithms.train_qnn(X=np.array([[1, np.inf], [0, 1]]), y=[0, 1], client=c),
            "SynqInputError: X[0][1]: inf is not a finite number",
        ),
        (
            lambda c: algorithms.train_qnn(X=[[1, "a"]], y=[0], client=c),
            "SynqInputError: X[0][1]: 'a' is not a number",
        ),
        (
            lambda c: algorithms.train_qnn(X=None, y=None, client=c),
            "SynqInputError: X: give the features, one row of numbers per sample",
        ),
        (
            lambda c: algorithms.train_qnn(X=[1.0, 2.0], y=[0, 1], client=c),
            "SynqInputError: X: give one row of numbers per sample (a list of lists)",
        ),
        (
            lambda c: algorithms.train_qnn(X=[[1.0], [2.0]], y=None, client=c),
            "SynqInputError: y: give the labels, one per row of X",
        ),
        (
            lambda c: algorithms.estimate("qubit q[1]", shots=np.float64(NAN), client=c),
            "SynqInputError: shots: nan is not a finite number",
        ),
        (
            lambda c: algorithms.predict("../health?x", [[1.0]], client=c),
            "SynqInputError: model_id: '../health?x' is not a job id: an id is hex digits "
            "(0-9, a-f), as the job widget shows it",
        ),
    ],
)
def test_a_bad_input_is_one_line_naming_it_before_any_request(call, line):
    assert refusal(lambda: call(offline())) == line


def test_numpy_values_are_sent_as_json_numbers(api: Api) -> None:
    client = SynqClient(api.url, token="t")
    api.answers = [(202, {}, {"id": JOB_ID})] * 2
    edges = np.array([[0, 1], [1, 2]])
    handle = algorithms.qaoa(
        {"type": "maxcut", "edges": edges}, p=np.int64(2), seed=np.int64(3), client=client
    )
    assert handle.id == JOB_ID
    algorithms.train_qnn(
        X=np.array([[0.5, 1.0], [1.5, 2.0]]), y=np.array([0, 1]), epochs=np.int32(4), client=client
    )
    qaoa_body, qnn_body = (json.loads(request[2]) for request in api.requests)
    assert qaoa_body == {
        "problem": {"type": "maxcut", "edges": [[0, 1], [1, 2]]},
        "p": 2,
        "seed": 3,
    }
    assert qnn_body == {"epochs": 4, "data": {"X": [[0.5, 1.0], [1.5, 2.0]], "y": [0, 1]}}


def test_a_refused_molecule_is_named_as_the_molecule(api: Api) -> None:
    """The API takes a molecule as the request's ``hamiltonian``: the refusal names the
    argument the user passed, once."""
    problem = {
        "status": 422,
        "errors": [
            {
                "field": "hamiltonian.geometry",
                "message": "atoms 0 and 1 are closer than 0.1 Å",
            }
        ],
    }
    api.answers = [(422, {"Content-Type": "application/problem+json"}, problem)]
    molecule = {"symbols": ["H", "H"], "geometry": [[0, 0, 0], [0, 0, 0]]}
    line = refusal(lambda: algorithms.vqe(molecule=molecule, client=SynqClient(api.url, "t")))
    assert line == "SynqInputError: molecule.geometry: atoms 0 and 1 are closer than 0.1 Å"


def test_a_message_that_names_a_part_of_its_field_is_not_prefixed_again() -> None:
    error = SynqInputError("problem.edges[0] is a self-loop on node 0", field="problem.edges")
    assert error._render_traceback_() == [
        "SynqInputError: problem.edges[0] is a self-loop on node 0"
    ]
